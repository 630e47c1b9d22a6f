"""`reportgen init`: a commented starter YAML in a district's outline.

Every key the district's documents use is present with a one-line Chinese comment saying what
goes there and in which unit; figures are left empty (validation warns about them until they
are filled) so that the file validates and builds from the first minute.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.figures.numbers import chinese_number
from reportgen.input.model import Funds, Goals, KeyIndicator, Nature, Report, Sources, Staffing, Task
from reportgen.input.yaml_writer import comment_line, entry, flow, reads_back, scalar
from reportgen.template.folders import Template

_COMMENTS = {
    "部门职能": "部门的主要职能，每行一段",
    "部门概况": "部门概况，每行一段",
    "年度总体工作": "本年度总体工作",
    "年度总体工作和重点工作任务": "年度总体工作和重点工作任务，每行一段",
    "部门整体支出绩效目标": "本年度的绩效目标，可逐条写",
    "部门年度重点工作任务": "重点工作任务及主要实施内容",
    "部门整体绩效管理情况": "绩效管理的组织、制度和项目自评情况",
    "自评结论综述": "自评结论：是否完成目标、预算完成率、自评得分",
    "自评结论": "自评结论：自评得分及依据",
    "各重点工作任务绩效目标完成情况分析": "各项重点任务的目标与完成情况",
    "各项工作任务绩效目标完成情况分析": "各项工作任务的目标与完成情况",
    "各重点任务项目支出完成情况分析": "各重点任务的项目支出完成情况",
    "履职效能分析": "各项工作任务绩效目标完成情况、重点项目情况",
    "管理效率分析": "预算编制、预算执行、信息公开、绩效管理、采购管理、资产管理",
    "主要工作成效": "主要工作成效",
}


def _comment(model: type, key: str) -> str:
    field = model.model_fields.get(key)  # type: ignore[attr-defined]
    return (field.description or "") if field else ""


def _line(indent: int, key: str, comment: str, value: str = "") -> str:
    """`key: value  # comment`, the value already YAML."""
    return entry(indent, key, value, comment)


SCHEMA_NAME = "report.schema.json"


def schema_uri() -> str:
    """The editor line's schema: a file beside the YAML (schema_beside writes it), so that the
    reference holds wherever the folder is copied, on any PC, whatever reportgen's install path."""
    return SCHEMA_NAME


def schema_beside(path: Path) -> Path | None:
    """The input format's JSON Schema beside a file that names it, written when missing or out of
    date; None when the folder cannot take it (the YAML works without it)."""
    import json

    from reportgen.errors import ReportgenError
    from reportgen.input.model import json_schema
    from reportgen.output import write_atomically

    target = path.parent / SCHEMA_NAME
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    try:
        if target.is_file() and target.read_text(encoding="utf-8") == text:
            return target
        write_atomically(target, text.encode("utf-8"))
    except (OSError, UnicodeDecodeError, ReportgenError):
        return None
    return target


_FUNDS_OPTIONAL = [
    "# 以下按本部门报告的写法选用：去掉行首的「# 」并填写；不适用的删去",
    "# 本年收入:               # 万元；以收入开头的报告写本年收入及其来源",
    "# 收入来源:",
    "#   财政拨款收入:          # 万元",
    "#   事业收入:              # 万元",
    "#   其他收入:              # 万元",
    "# 年初结转和结余:          # 万元；年初 + 收入 − 支出 = 年末",
    "# 上年:                   # 同比：上年的数字，句中印出增减额和增减率",
    "#   执行数:                # 万元",
    "#   本年收入:              # 万元",
]
_NATURE_OPTIONAL = [
    "# 人员经费:              # 三分法：人员经费 + 公用经费 + 项目支出（可代替基本支出）",
    "# 公用经费:",
]
_STAFFING = [
    ("内设机构", "个"),
    ("下属单位", "个"),
    ("编制数", "人"),
    ("实有人数", "人"),
]
_STAFFING_OPTIONAL = [
    "# 编制构成: {行政编制: 0, 事业编制: 0}   # 各类编制人数，合计应等于编制数",
    "# 实有构成: {在职: 0, 离退休: 0}         # 合计应等于实有人数；在职人员控制率自动计算",
]
_INDICATORS = [
    "# 绩效指标:   # 用于计算自评得分（reportgen score），正文中写「- 评分: 结论」印出得分",
    "#   - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 指标名称, 分值: 20, 年度指标值: ≥20场, 实际完成值: 24场}",
]


def _section(indent: int, section: str, kinds: Sequence[str]) -> list[str]:
    pad = " " * indent
    if section == "部门整体收支情况":
        out = [_line(indent, section, "数字由模板写成句子；比率自动计算；不适用的数字删去该行")]
        out.extend(_line(indent + 2, key, _comment(Funds, key)) for key in ("全年预算数", "执行数", "年初预算数"))
        out.append(_line(indent + 2, "资金来源", _comment(Funds, "资金来源")))
        out.extend(_line(indent + 4, key, "万元") for key in Sources.model_fields)
        out.append(_line(indent + 2, "支出性质", _comment(Funds, "支出性质")))
        out.extend(_line(indent + 4, key, _comment(Nature, key)) for key in ("基本支出", "项目支出"))
        out.extend(pad + "    " + line for line in _NATURE_OPTIONAL)
        out.append(_line(indent + 2, "年末结转和结余", _comment(Funds, "年末结转和结余")))
        out.extend(pad + "  " + line for line in _FUNDS_OPTIONAL)
        return out
    if section == "机构和人员":
        out = [_line(indent, section, "内设机构与人员；数字由模板写成句子，不适用的删去")]
        out.extend(_line(indent + 2, key, f"{_comment(Staffing, key)}（{unit}）") for key, unit in _STAFFING)
        out.extend(pad + "  " + line for line in _STAFFING_OPTIONAL)
        return out
    if "报告" not in kinds:
        return []
    return [_line(indent, section, _COMMENTS.get(section, "每行一段"), "|"), pad + "  "]


def render(template: Template, department: str, year: int | None, reference: str | None = None) -> str:
    """The starter text: the template's parts in order, each with its standard sections."""
    settings = template.settings
    outline = settings.大纲
    kinds = list(settings.文书)
    out = [
        f"# yaml-language-server: $schema={schema_uri()}",
        comment_line(f"部门整体支出绩效自评（{template.name}模板）。填写后运行：reportgen validate 本文件"),
        "# 金额单位万元，写数字（不加引号、千位分隔符）；正文每行一段。",
        _line(0, "部门名称", _comment(Report, "部门名称"), scalar(department)),
        _line(0, "年度", _comment(Report, "年度"), str(year) if year else ""),
        _line(0, "模板", "区模板名或模板文件夹", scalar(reference or template.name)),
        _line(0, "文书", _comment(Report, "文书"), flow(kinds)),
    ]
    if settings.前言 and "报告" in kinds:
        out += ["", _line(0, "前言", _comment(Report, "前言"), "|"), "  "]
    figures_only = "报告" not in kinds
    for number, (part, sections) in enumerate(outline.items(), 1):
        if figures_only and part not in ("基本情况", "存在的主要问题", "下一步改进措施"):
            continue
        body = [line for section in sections for line in _section(2, section, kinds)]
        out.append("")
        if body:
            out.append(
                _line(0, part, f"第{chinese_number(number)}部分；下面每个键是一个二级标题，可增删、改名、调整顺序")
            )
            out.extend(body)
        else:
            out += [_line(0, part, f"第{chinese_number(number)}部分，每行一段", "|"), "  "]
    needs = settings.自评表.必填
    if "自评表" in kinds:
        out += [
            "",
            "# —— 自评表 ——",
            _line(0, "年度目标", _comment(Report, "年度目标")),
            _line(2, "预期目标", _comment(Goals, "预期目标"), "|"),
            "    ",
            _line(2, "完成情况", _comment(Goals, "完成情况"), "|"),
            "    ",
        ]
    if "自评表" in kinds and "主要任务" in needs:  # a form by tasks, as Tianhe's
        out += [
            _line(0, "主要任务", _comment(Report, "主要任务")),
            "  - " + _line(0, "预期目标", "任务的预期目标", "").strip(),
            _line(4, "完成情况", "目标完成情况"),
            _line(4, "关键指标", _comment(Task, "关键指标")),
            "      - " + _line(0, "指标", _comment(KeyIndicator, "指标")).strip(),
            _line(8, "完成情况", _comment(KeyIndicator, "完成情况")),
            _line(4, "涉及资金", _comment(Task, "涉及资金")),
            _line(0, "部门整体绩效", _comment(Report, "部门整体绩效"), "|"),
            "  ",
        ]
    out += ["", *_INDICATORS]
    return "\n".join(out) + "\n"


def template_reference(template: Template, path: Path) -> str:
    """How the new file names its template: a shipped district by name, a folder by its path
    relative to the new file."""
    from reportgen.template.folders import shipped_root

    folder = template.dirs[0]
    if folder.parent == shipped_root().resolve() or folder.parent == shipped_root():
        return template.name
    relative = os.path.relpath(folder, path.resolve().parent)
    return relative if relative.startswith(".") else f"./{relative}"


def write(path: Path, template: Template, department: str | None = None, year: int | None = None) -> Path:
    if path.exists():
        raise ReportgenError(f"{path}: 错误: 文件已存在，不会覆盖；请换一个文件名")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ReportgenError(f"{path}: 错误: 文件名应以 .yaml 结尾")
    reference = template_reference(template, path)
    text = render(template, department or "（部门全称）", year or date.today().year - 1, reference)
    reads_back(path, text.encode("utf-8"))  # kept only when it reads as written
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise ReportgenError(f"{path}: 错误: 文件已存在，不会覆盖；请换一个文件名") from exc
    except OSError as exc:
        raise ReportgenError(f"{path}: 错误: 无法写入（{exc.strerror}）") from exc
    schema_beside(path)
    return path
