"""Turn a loaded file into a validated report, collecting every problem with its position."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.checks import rules
from reportgen.checks.glyphs import missing_glyphs, strings
from reportgen.diagnostics import Diagnostic, Level, Path_
from reportgen.errors import InvalidReport, InvalidSettings, ReportgenError
from reportgen.figures.numbers import NumberFormat, chinese_number
from reportgen.input.errors import model_at_extra, translate, unwrap, value_at
from reportgen.input.loader import Loaded, load
from reportgen.input.model import DOCUMENT_KINDS, PART_ALTERNATIVES, Report
from reportgen.template import folders as templates
from reportgen.template.settings import DEFAULTS, Settings


@dataclass
class Checked:
    loaded: Loaded
    report: Report | None
    template: templates.Template | None
    fmt: NumberFormat
    diagnostics: list[Diagnostic]
    kinds: tuple[str, ...] = ("报告",)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]


def document_kinds(
    data: dict[str, Any], settings: Settings, requested: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Which documents to make: asked on the command line, else the YAML's 文书, else the template's."""
    if requested:
        return requested
    declared = data.get("文书")
    if isinstance(declared, list) and all(k in DOCUMENT_KINDS for k in declared) and declared:
        return tuple(declared)
    return tuple(settings.文书)


def outline(settings: Settings) -> dict[str, list[str]]:
    """The template's parts, in order, each with its standard sections."""
    return {key: list(sections) for key, sections in settings.大纲.items()}


def _outline_text(parts: dict[str, list[str]]) -> str:
    return " ".join(f"{chinese_number(i)}、{key}" for i, key in enumerate(parts, 1))


def _required(
    loaded: Loaded, kinds: tuple[str, ...], parts: dict[str, list[str]], form_needs: list[str] | None = None
) -> list[Diagnostic]:
    """Parts each document needs, checked up front so that they are reported with every other
    problem: for a report, every part of the template's outline (the second part goes by two
    names; exactly one must be there)."""
    data = loaded.data
    found: list[Diagnostic] = []
    present = [k for k in ("综合评价分析", "绩效自评情况") if k in data]
    if len(present) == 2:
        line, col = loaded.position((present[1],), key=True)
        message = "第二部分应写「综合评价分析」或「绩效自评情况」中的一个（且只写一个）"
        found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, ()))
    if "报告" in kinds:
        missing = [(n, k) for n, k in enumerate(parts, 1) if k not in data and PART_ALTERNATIVES.get(k) not in data]
        for number, key in missing:
            other = PART_ALTERNATIVES.get(key)
            message = f"缺少第{chinese_number(number)}部分「{key}」" + (f"（也可写作「{other}」）" if other else "")
            (line, col), where = _where_part_goes(loaded, list(parts), number)
            message += where
            if number == missing[0][0]:  # the outline once, with the first
                message += f"。本模板的大纲：{_outline_text(parts)}"
            found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, (key,)))
    if "自评表" in kinds:
        found += _form_needs(loaded, tuple(form_needs) if form_needs is not None else FORM_NEEDS)
    return found


def _where_part_goes(loaded: Loaded, outline: list[str], number: int) -> tuple[tuple[int, int], str]:
    """Where a missing part of the outline belongs: before the next part that is there, else at
    the end of the file."""
    for later in outline[number:]:
        for key in (later, PART_ALTERNATIVES.get(later)):
            if key is not None and key in loaded.data:
                return loaded.position((key,), key=True), f"，应写在「{key}」之前"
    return (loaded.raw.count(b"\n") + 1, 1), "，应写在文件末尾"


# What the national 自评表 needs unless the template's 「自评表 › 必填」 says otherwise.
FORM_NEEDS = ("年度目标", "绩效指标")
NEED_WHAT = {
    "年度目标": "预期目标与完成情况",
    "绩效指标": "各项指标的分值、年度指标值和实际完成值",
    "主要任务": "各项任务及关键指标",
    "存在的主要问题": "存在问题",
    "下一步改进措施": "改进措施或下一步计划",
}
FUNDS_NEEDS = {
    "部门整体收支情况": "全年预算数、年初预算数、执行数",
    "年初预算数": "部门年初预算收入，用于预算调整数和预算调整率",
    "全年预算数": "调整后的全年预算数，用于预算执行率",
}


def _form_needs(loaded: Loaded, needs: tuple[str, ...]) -> list[Diagnostic]:
    """The parts the template's 自评表 cannot be printed without."""
    data = loaded.data
    found: list[Diagnostic] = []
    for key in needs:
        if key in NEED_WHAT and key not in data:
            message = f"自评表需要「{key}」（{NEED_WHAT[key]}）"
            found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, (key,)))
    funds_needs = [k for k in needs if k in FUNDS_NEEDS]
    if not funds_needs:
        return found
    funds_path = _funds_path(data)
    funds = value_at(data, funds_path) if funds_path else None
    where: Path_ = funds_path or ("基本情况", "部门整体收支情况")
    if not isinstance(funds, dict):
        message = f"自评表需要「部门整体收支情况」（{FUNDS_NEEDS['部门整体收支情况']}）"
        found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, where))
        return found
    for key in funds_needs:
        if key != "部门整体收支情况" and key not in funds:
            line, col = loaded.position(where, key=True)
            message = f"自评表需要「{key}」（{FUNDS_NEEDS[key]}）"
            found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, (*where, key)))
    return found


def _funds_path(data: dict[str, Any]) -> Path_ | None:
    """Where 部门整体收支情况 stands in the raw data (any part may hold it)."""
    for key, part in data.items():
        if isinstance(part, dict) and "部门整体收支情况" in part:
            return (key, "部门整体收支情况")
    return None


def _undeclared_parts(
    data: dict[str, Any], parts: dict[str, list[str]], loaded: Loaded, found: list[Diagnostic]
) -> dict[str, Any]:
    """Top-level keys that are neither the format's own nor a part: the template's outline
    declares its parts, and a part with its own 标题 may be added.  Anything else is reported
    (with a did-you-mean) and left out, so that it is not mistaken for a part."""
    known = list(Report.model_fields)
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key in known or key in parts or (isinstance(value, dict) and "标题" in value):
            kept[key] = value
            continue
        line, col = loaded.position((key,), key=True)
        close = difflib.get_close_matches(key, known + list(parts), n=1, cutoff=0.4)
        message = f"未知的键「{key}」；" + (f"是否想写「{close[0]}」？" if close else "")
        message += f"若要增加一个部分，在「{key}:」下写「标题: 一级标题文字」和「内容:」"
        found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, (key,)))
    return kept


def number_format(settings: Settings, report: Report | None) -> NumberFormat:
    return settings.number_format(report.格式.model_dump() if report is not None and report.格式 is not None else None)


# What a document cannot be written without: left empty, these are errors, not reminders.
MUST_FILL: dict[Path_, str] = {("部门名称",): "标题和落款都用它", ("年度",): "被评价年度，如 2024"}


def _fill_empty(data: Any, model: Any, path: Path_, loaded: Loaded, found: list[Diagnostic]) -> Any:
    """A value left empty (as `reportgen init` leaves the figures) is not an error but a warning:
    a required number counts as 0 and a required text as blank until the author fills it in; an
    optional figure counts as not given."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(data, dict):
        return data
    result = dict(data)
    extra = model_at_extra(model)
    for key, value in data.items():
        field = model.model_fields.get(key)
        here = (*path, key)
        if field is None:
            if extra is not None and isinstance(value, dict):
                result[key] = _fill_empty(value, extra, here, loaded, found)
            continue
        if value is None:
            kinds = _leaf_types(field.annotation)
            number = bool(kinds & {Decimal, int})
            blank: Any = 0 if number else "" if str in kinds else None
            if field.is_required() and blank is not None:
                result[key] = blank
            if here in MUST_FILL:
                line, col = loaded.position(here, key=True)
                message = f"「{key}」必须填写（{MUST_FILL[here]}）"
                found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, here, "未填写"))
            elif blank is not None and (field.is_required() or number):
                line, col = loaded.position(here, key=True)
                message = f"「{key}」尚未填写" + ("" if field.is_required() else "：填上数字，不适用时删去这一行")
                found.append(Diagnostic(loaded.file, line, col, Level.WARNING, message, here, "未填写"))
            continue
        inner = unwrap(field.annotation)
        if isinstance(value, dict):
            result[key] = _fill_empty(value, inner, here, loaded, found)
        elif isinstance(value, list) and inner is not None:
            result[key] = [_fill_empty(v, inner, (*here, i), loaded, found) for i, v in enumerate(value)]
    return result


def _leaf_types(annotation: Any) -> set[Any]:
    args = typing.get_args(annotation)
    if not args:
        return {annotation}
    found: set[Any] = set()
    for arg in args:
        found |= _leaf_types(arg)
    return found


def check(
    path: Path | str,
    *,
    template_dir: Path | None = None,
    kinds: tuple[str, ...] | None = None,
    raw: bytes | None = None,
) -> Checked:
    """Load, validate and run the arithmetic rules; raises InputError for unreadable files.
    With `raw`, those bytes are the file at `path` (a YAML taken out of a PDF: a template named
    in it is looked for beside the PDF)."""
    loaded = load(path, raw)
    diagnostics: list[Diagnostic] = list(loaded.problems)
    template = None
    settings = DEFAULTS
    template_name = loaded.data.get("模板") if isinstance(loaded.data.get("模板"), str) else None
    try:
        template = templates.resolve(
            template_name, extra_dir=template_dir, relative_to=Path(loaded.file).resolve().parent
        )
        settings = template.settings
        template.layout  # noqa: B018  # its 版式 must fit on the paper, its font files be fonts
    except InvalidSettings as exc:  # each problem at its line of the template's settings.yaml
        diagnostics.extend(exc.diagnostics)
    except ReportgenError as exc:
        line, col = loaded.position(("模板",))
        diagnostics.append(Diagnostic(loaded.file, line, col, Level.ERROR, exc.message, ("模板",)))
    if template is None or len(diagnostics) > len(loaded.problems):
        # without its template the file's outline, weights and needs are unknown: judging it by
        # another's would add warnings that are not true of it
        diagnostics.sort(key=lambda d: (d.line, d.column, d.level is Level.WARNING))
        return Checked(
            loaded, None, None, number_format(DEFAULTS, None), diagnostics, document_kinds(loaded.data, DEFAULTS, kinds)
        )
    chosen = document_kinds(loaded.data, settings, kinds)
    parts = outline(settings)
    diagnostics.extend(_required(loaded, chosen, parts, settings.自评表.必填))
    data = _undeclared_parts(loaded.data, parts, loaded, diagnostics)
    data = _fill_empty(data, Report, (), loaded, diagnostics)
    flagged = {d.path for d in diagnostics}
    report: Report | None = None
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        seen: set[Path_] = set()
        for error in exc.errors():
            diagnostic = translate(error, loaded, Report)
            if diagnostic.path in flagged or diagnostic.path in seen:
                continue  # one message per place: the loader's hint, or the first union branch
            seen.add(diagnostic.path)
            diagnostics.append(diagnostic)
    fmt = number_format(settings, report)
    if report is not None and not loaded.problems:
        diagnostics.extend(rules.run(report, loaded, fmt, settings, parts))
    diagnostics.extend(_too_long(loaded))
    if template is not None:
        diagnostics.extend(missing_glyphs(loaded, template))
    if loaded.problems:
        report = None
    diagnostics.sort(key=lambda d: (d.line, d.column, d.level is Level.WARNING))
    return Checked(loaded, report, template, fmt, diagnostics, chosen)


MAX_DOCUMENT_CHARS = 120_000  # about 250 pages, built in about 10 s; the longest seed has 10,000
MAX_DOCUMENT_ITEMS = 1_500  # paragraphs, list items and table rows together


def _too_long(loaded: Loaded) -> list[Diagnostic]:
    """A document so long it could not be built in reasonable time is refused with its size."""
    chars = items = 0
    for path, text in strings(loaded.data):
        chars += len(text)
        items += (isinstance(path[-1], int) if path else 0) + text.count("\n")  # a text block: a paragraph a line
    problems = []
    if chars > MAX_DOCUMENT_CHARS:
        problems.append(f"正文过长：共 {chars} 字，上限 {MAX_DOCUMENT_CHARS} 字（约 250 页）")
    if items > MAX_DOCUMENT_ITEMS:
        problems.append(f"段落、列表项和表格行过多：共 {items} 项，上限 {MAX_DOCUMENT_ITEMS}")
    return [Diagnostic(loaded.file, 1, 1, Level.ERROR, message, (), "篇幅") for message in problems]


def require(checked: Checked, *, strict: bool = False) -> None:
    """Stop a build on errors (and on warnings under --strict)."""
    blocking = checked.diagnostics if strict else checked.errors
    if blocking:
        raise InvalidReport(checked.diagnostics)
