"""Render the district's template once into the document tree that every output is made from."""

from __future__ import annotations

from typing import Any

from reportgen.compose import dates, filters, sandbox
from reportgen.compose.form import Form, build_form, rowspans
from reportgen.compose.tree import Document, MarkupError, parse
from reportgen.errors import TemplateError
from reportgen.figures import derive
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import ScoreSheet
from reportgen.input.model import FIGURE_SECTIONS, Report
from reportgen.template.folders import Template
from reportgen.template.settings import Settings

TEMPLATE_FILES = {"报告": "report.html.j2", "自评表": "table.html.j2"}


def compose(report: Report, template: Template, fmt: NumberFormat, kind: str = "报告") -> Document:
    settings = template.settings
    sheet = settings.score_sheet()
    funds = report.funds
    fig = derive.funds(funds)
    staffing = report.staffing
    context: dict[str, Any] = {
        "r": report,
        "funds": funds,
        filters.FIGURES: fig,
        filters.FORMAT: fmt,
        filters.NUMBERING: report.标题编号 if report.标题编号 is not None else settings.标题编号,
        "staffing": staffing,
        "people": derive.people(staffing) if staffing is not None else None,
        "word": lambda key: _staff_word(key, staffing, settings),
        filters.SETTINGS: settings.for_templates(),
        "me": report.自称 or settings.自称,
        "label": report.附件标签 if report.附件标签 is not None else settings.附件标签,
        "coverage": lambda block: derive.coverage(block, report),
        "project_total": lambda block: derive.project_total(block, report),
        "rowspans": rowspans,
        "written": written,
        "score": lambda: derive.department_quote(report, sheet),
        "project_score": lambda name: _project_score(report, name, sheet),
        "sentences_at": lambda key, section: _sentences_at(key, section, settings),
        "form": lambda: _form(report, settings, fmt, sheet, made),
    }
    made: list[Form] = []
    markup = sandbox.render(template, TEMPLATE_FILES[kind], context, filters.FILTERS)
    try:
        document = parse(markup, f"模板「{template.name}」")
    except MarkupError as exc:  # named at the template's line that wrote it, when it is written out there
        where = sandbox.locate(template, *exc.attribute)
        raise TemplateError(f"{where}: 错误: {exc.bare}" if where else exc.message) from exc
    document.unit, document.year = report.部门名称, report.年度
    document.issued = dates.issued(report.年度, report.落款.日期 if report.落款 else None)
    document.landscape = any(f.landscape for f in made)
    return document


def _form(report: Report, settings: Settings, fmt: NumberFormat, sheet: ScoreSheet, made: list[Form]) -> Form:
    """The national form's rows, remembered so that the document knows whether it is set across."""
    built = build_form(report, settings, fmt, sheet)
    made.append(built)
    return built


def written(model: Any, only: Any = None) -> list[tuple[str, Any]]:
    """The figures of a group that the author wrote, in the format's order: (name, value); with
    `only`, just those names."""
    if model is None:
        return []
    pairs = (
        list(model.items())
        if isinstance(model, dict)
        else [(name, getattr(model, name)) for name in type(model).model_fields if getattr(model, name) is not None]
    )
    return [(name, value) for name, value in pairs if only is None or name in only]


def _staff_word(key: str, staffing: Any, settings: Settings) -> str:
    """What a unit calls an item of 机构和人员 (实有人数, 下属单位 …): its own word, the template's, or the item's."""
    own = getattr(staffing, "称呼", None) or {}
    return str(own.get(key) or settings.人员称呼.get(key) or key)  # type: ignore[call-overload]


def _sentences_at(key: str, section: Any, settings: Settings) -> str | None:
    """Where a figures section's generated sentences go: 在前, 在后 or 不印; None for other sections."""
    if key not in FIGURE_SECTIONS:
        return None
    return getattr(section, "句子", None) or settings.句子位置


def _project_score(report: Report, name: str, sheet: ScoreSheet) -> Any:
    project = derive.find_project(report, name)
    return derive.project_quote(project, sheet) if project is not None else None
