"""`reportgen init`: a commented starter YAML in a district's outline.

Every key the district's documents use is present with a one-line Chinese comment saying what
goes there and in which unit; figures are left empty (validation warns about them until they
are filled) so that the file validates and builds from the first minute.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportgen.compose.templates import Template
from reportgen.input.diagnostics import ReportgenError
from reportgen.input.model import Funds, Goals, KeyIndicator, Nature, Report, Sources, Task

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
    text = f"{' ' * indent}{key}:{' ' + value if value else ''}"
    return f"{text}  # {comment}" if comment else text


def schema_uri() -> str:
    """Where the installed JSON Schema lies, for the editor line at the top of a new file."""
    here = Path(__file__).resolve().parents[1]  # the package: schema/ inside it once installed
    for candidate in (here / "schema" / "report.schema.json", here.parent / "schema" / "report.schema.json"):
        if candidate.is_file():
            return candidate.as_uri()
    return "report.schema.json"


def render(template: Template, department: str, year: int) -> str:
    settings = template.settings
    outline: dict[str, list[str]] = settings.get("大纲") or {}
    kinds = list(settings.get("文书") or ["报告"])
    part_two = "绩效自评情况" if "绩效自评情况" in outline else "综合评价分析"
    out = [
        f"# yaml-language-server: $schema={schema_uri()}",
        f"# 部门整体支出绩效自评（{template.name}模板）。填写后运行：reportgen validate 本文件",
        "# 金额单位万元，写数字（不加引号、千位分隔符）；正文每行一段。",
        _line(0, "部门名称", _comment(Report, "部门名称"), department),
        _line(0, "年度", _comment(Report, "年度"), str(year)),
        _line(0, "模板", "区模板名", template.name),
        _line(0, "文书", _comment(Report, "文书"), "[" + ", ".join(kinds) + "]"),
        "",
        _line(0, "基本情况", "第一部分；下面每个键是一个二级标题，可增删、改名、调整顺序"),
    ]
    funds_keys = ["全年预算数", "执行数", "年初预算数"]
    for section in outline.get("基本情况") or ["部门整体收支情况"]:
        if section != "部门整体收支情况":
            if "报告" in kinds:
                out.append(_line(2, section, _COMMENTS.get(section, "每行一段"), "|"))
                out.append("    ")
            continue
        out.append(_line(2, "部门整体收支情况", "数字由模板写成句子；比率自动计算"))
        out.extend(_line(4, key, _comment(Funds, key)) for key in funds_keys)
        out.append(_line(4, "资金来源", _comment(Funds, "资金来源")))
        out.extend(_line(6, key, "万元") for key in Sources.model_fields)
        out.append(_line(4, "支出性质", _comment(Funds, "支出性质")))
        out.extend(_line(6, key, _comment(Nature, key)) for key in ("基本支出", "项目支出"))
        out.append(_line(4, "年末结转和结余", _comment(Funds, "年末结转和结余")))
    if "报告" in kinds:
        out += ["", _line(0, part_two, "第二部分")]
        for section in outline.get(part_two) or []:
            out.append(_line(2, section, _COMMENTS.get(section, "每行一段"), "|"))
            out.append("    ")
    out += ["", _line(0, "存在的主要问题", "存在的主要问题，每行一段", "|"), "  "]
    out += ["", _line(0, "下一步改进措施", "下一步改进措施，每行一段", "|"), "  "]
    if "自评表" in kinds:
        out += [
            "",
            "# —— 自评表 ——",
            _line(0, "年度目标", _comment(Report, "年度目标")),
            _line(2, "预期目标", _comment(Goals, "预期目标"), "|"),
            "    ",
            _line(2, "完成情况", _comment(Goals, "完成情况"), "|"),
            "    ",
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
    return "\n".join(out) + "\n"


def write(path: Path, template: Template, department: str | None = None, year: int | None = None) -> Path:
    if path.exists():
        raise ReportgenError(f"{path}: 错误: 文件已存在，不会覆盖；请换一个文件名")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise ReportgenError(f"{path}: 错误: 文件名应以 .yaml 结尾")
    text = render(template, department or "（部门全称）", year or date.today().year - 1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError as exc:
        raise ReportgenError(f"{path}: 错误: 文件已存在，不会覆盖；请换一个文件名") from exc
    except OSError as exc:
        raise ReportgenError(f"{path}: 错误: 无法写入（{exc.strerror}）") from exc
    return path
