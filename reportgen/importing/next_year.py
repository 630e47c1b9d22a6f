"""Next year's YAML from this year's: `reportgen init --from LAST.yaml NEW.yaml`.

What stays true carries over (the unit, the outline and its headings, the 职能 and the goals,
the indicators and their targets, the staffing counts to update); last year's figures become
this year's 上年 (so the 同比 sentences write themselves) and its 年末结转和结余 this year's
年初; everything that must be written afresh is emptied, with a comment quoting how last
year's text began.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.input.loader import load
from reportgen.input.model import LastYear
from reportgen.input.yaml_writer import Writer, entry

CARRIED = ("部门名称", "部门简称", "自称", "模板", "格式", "附件标签", "文书名称", "文书")
KEPT_TEXT = re.compile(r"职能|目标|概况|机构")  # sections that change little from year to year
FUNDS = "部门整体收支情况"
STAFFING = "机构和人员"
THIS_YEAR_FIGURES = (
    "全年预算数",
    "执行数",
    "年初预算数",
    "本年收入",
    "总收入",
    "本年支出",
    "总支出",
    "年末结转和结余",
)
GROUPS = ("资金来源", "支出性质", "收入来源")
RESULTS = ("实际完成值", "评价", "得分比例")


def next_year(last: Path) -> str:
    data = load(last).data
    year = data.get("年度")
    new_year = year + 1 if isinstance(year, int) else None
    w = Writer()
    w.comment(f"由 reportgen init --from 从「{last.name}」生成：沿用去年的单位、大纲、职能、目标和指标；")
    w.comment("去年的数字已填入「上年」，今年的数字和各段正文留空待填（注释中是去年那段的开头）。")
    for key, value in data.items():
        if key in CARRIED:
            w.dump(key, value, 0)
        elif key == "年度":
            w.key("年度", new_year if new_year else value)
        elif key == "标题" and isinstance(year, int):
            shifted = _shift_year(value, year)
            w.dump(key, shifted, 0)
        elif key in ("自评得分",):
            continue
        elif key == "绩效指标" and isinstance(value, list):
            w.blank()
            w.comment("指标沿用去年的；请填写今年的实际完成值（定性指标填评价）")
            w.dump(key, [_without_results(i) for i in value], 0)
        elif key == "年度目标" and isinstance(value, dict):
            w.blank()
            w.dump(key, {k: v for k, v in value.items() if k != "完成情况"} | {"完成情况": None}, 0)
        elif key == "主要任务" and isinstance(value, list):
            w.blank()
            w.dump(key, [_task(t) for t in value], 0)
        elif key == "重点项目" and isinstance(value, list):
            w.blank()
            w.dump(key, [_project(p) for p in value], 0)
        elif key == "落款" and isinstance(value, dict):
            w.dump(key, {"单位": value.get("单位"), "日期": None}, 0)
        elif isinstance(value, dict):
            w.blank()
            _part(w, key, value)
        else:
            w.blank()
            _empty_text(w, key, value, 0)
    return w.text()


def _shift_year(value: Any, year: int) -> Any:
    if isinstance(value, str):
        return value.replace(str(year), str(year + 1))
    if isinstance(value, list):
        return [_shift_year(v, year) for v in value]
    return value


def _opening(value: Any) -> str:
    """How last year's text began, for the comment."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    text = str(value or "").strip().splitlines()[0] if str(value or "").strip() else ""
    return text[:30] + ("……" if len(text) > 30 else "")


def _empty_text(w: Writer, key: str, value: Any, indent: int) -> None:
    begun = _opening(value)
    if begun:
        w.comment(f"去年：{begun}", indent)
    w.raw(entry(indent, key, "|"))
    w.raw(" " * (indent + 2))


def _part(w: Writer, key: str, part: dict[str, Any]) -> None:
    w.key(key)
    for name, value in part.items():
        if name == "标题":
            w.key(name, value, 2)
        elif name == FUNDS and isinstance(value, dict):
            _funds(w, value)
        elif name == STAFFING and isinstance(value, dict):
            w.comment("去年的数字，请按今年的情况更新", 2)
            w.dump(name, value, 2)
        elif KEPT_TEXT.search(name) and not isinstance(value, dict):
            w.comment("沿用去年的，请核对", 2)
            w.dump(name, value, 2)
        elif isinstance(value, dict):
            w.key(name, indent=2)
            for inner, content in value.items():
                if inner == "标题":
                    w.key(inner, content, 4)
                elif inner == "内容" and KEPT_TEXT.search(name):
                    w.comment("沿用去年的，请核对", 4)
                    w.dump(inner, content, 4)
                else:
                    _empty_text(w, inner, content, 4)
        else:
            _empty_text(w, name, value, 2)


def _funds(w: Writer, funds: dict[str, Any]) -> None:
    w.key(FUNDS, indent=2)
    for name in ("标题", "句子"):
        if name in funds:
            w.key(name, funds[name], 4)
    w.comment("今年的数字（万元）：请填写；不适用的删去该行", 4)
    for name in THIS_YEAR_FIGURES:
        if name in funds and name != "年末结转和结余":
            w.key(name, indent=4)
    for group in GROUPS:
        if isinstance(funds.get(group), dict):
            w.key(group, indent=4)
            for inner in funds[group]:
                w.key(inner, indent=6)
    closing = funds.get("年末结转和结余")
    if isinstance(closing, int | Decimal):
        w.comment("去年的年末结转和结余，即今年的年初", 4)
        w.key("年初结转和结余", closing, 4)
    if "年末结转和结余" in funds:
        w.key("年末结转和结余", indent=4)
    last = _last_year(funds)
    if last:
        w.comment("去年的数字：句中据此印出同比增减额和增减率", 4)
        w.key("上年", indent=4)
        for name, value in last.items():
            w.key(name, value, 6)
    if funds.get("内容"):
        _empty_text(w, "内容", funds["内容"], 4)


def _last_year(funds: dict[str, Any]) -> dict[str, Decimal]:
    nature = _mapping(funds.get("支出性质"))
    income = _mapping(funds.get("收入来源"))
    values: dict[str, Any] = {
        "全年预算数": funds.get("全年预算数"),
        "执行数": funds.get("执行数"),
        "本年收入": funds.get("本年收入"),
        "本年支出": funds.get("本年支出"),
        "财政拨款收入": income.get("财政拨款收入"),
        "基本支出": nature.get("基本支出"),
        "项目支出": nature.get("项目支出"),
        "人员经费": nature.get("人员经费"),
        "公用经费": nature.get("公用经费"),
        "年末结转和结余": funds.get("年末结转和结余"),
    }
    return {k: Decimal(v) for k, v in values.items() if k in LastYear.model_fields and isinstance(v, int | Decimal)}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _without_results(indicator: Any) -> Any:
    if not isinstance(indicator, dict):
        return indicator
    return {k: v for k, v in indicator.items() if k not in RESULTS}


def _task(task: Any) -> Any:
    if not isinstance(task, dict):
        return task
    kept = {k: v for k, v in task.items() if k not in ("完成情况", "涉及资金")}
    if isinstance(task.get("关键指标"), list):
        kept["关键指标"] = [
            {k: v for k, v in i.items() if k != "完成情况"} | {"完成情况": ""} if isinstance(i, dict) else i
            for i in task["关键指标"]
        ]
    return kept | {"完成情况": "", "涉及资金": None}


def _project(project: Any) -> Any:
    if not isinstance(project, dict):
        return project
    kept: dict[str, Any] = {"名称": project.get("名称")}
    if isinstance(project.get("绩效指标"), list):
        kept["绩效指标"] = [_without_results(i) for i in project["绩效指标"]]
    return kept | {"预算数": None, "执行数": None}
