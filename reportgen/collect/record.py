"""One department's row in the bureau's summary: its YAML re-checked against the bureau's
template, its figures and score recomputed here (never taken from the printed text), every
problem listed."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from reportgen.collect.gather import Entry, printable
from reportgen.diagnostics import Diagnostic, Level, format_path
from reportgen.errors import ReportgenError
from reportgen.template.settings import Settings

if TYPE_CHECKING:
    from reportgen.checks.validate import Checked


@dataclass(frozen=True)
class Problem:
    level: str  # 错误 or 警告, or 无法读取
    rule: str
    message: str
    where: str  # file:line:column and the key path, in the author's words


@dataclass(frozen=True)
class IndicatorRow:
    owner: str  # 部门整体, or the key project's name
    category: str
    second: str
    third: str
    target: str
    actual: str
    points: Decimal
    completion: Decimal | None  # percent
    score: Decimal | None  # None: neither computed nor stated
    note: str


@dataclass
class Record:
    entry: Entry
    unit: str = ""
    year: int | None = None
    budget: Decimal | None = None  # 全年预算数
    spent: Decimal | None = None  # 执行数
    completion: Decimal | None = None  # 预算完成率, percent
    basic: Decimal | None = None  # 基本支出
    project: Decimal | None = None  # 项目支出
    score: Decimal | None = None
    grade: str = ""
    score_basis: str = ""  # 按指标计算, 部分手填, 手填（未核算）, 无法计算, or empty
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not self.entry.failure

    @property
    def status(self) -> str:
        if self.entry.failure:
            return "无法读取（原因见「问题」表）"
        if self.errors:
            return f"有 {self.errors} 个错误"
        return f"有 {self.warnings} 条警告" if self.warnings else "通过"


def _where(d: Diagnostic, source: Path) -> str:
    place = f"{printable(source.name)}:{d.line}:{d.column}"
    return f"{place} ［{format_path(d.path)}］" if d.path else place


def record(entry: Entry, template_dir: Path | None) -> Record:
    """The row for one input; a file that cannot be read or checked is a row saying why."""
    from reportgen.checks.validate import check

    result = Record(entry)
    if entry.raw is None:
        result.problems.append(Problem("无法读取", "读取", entry.failure, printable(entry.path.name)))
        return result
    try:
        checked = check(entry.source, template_dir=template_dir, raw=entry.raw)
    except ReportgenError as exc:
        entry.failure = printable(exc.message.split(": 错误: ", 1)[-1])
        result.problems.append(Problem("无法读取", "读取", entry.failure, printable(entry.path.name)))
        return result
    for d in checked.diagnostics:
        result.problems.append(Problem(d.level.value, d.rule, printable(d.message), _where(d, entry.source)))
    result.errors = sum(d.level is Level.ERROR for d in checked.diagnostics)
    result.warnings = sum(d.level is Level.WARNING for d in checked.diagnostics)
    data = checked.loaded.data
    unit, year = data.get("部门名称"), data.get("年度")
    result.unit = unit.strip() if isinstance(unit, str) else ""
    result.year = year if isinstance(year, int) and not isinstance(year, bool) else None
    report = checked.report
    if report is None or checked.template is None:
        return result
    _figures(result, report, checked.template.settings)
    if entry.kind == "PDF":
        _pages_agree(result, checked)
    return result


def _pages_agree(result: Record, checked: Checked) -> None:
    """A PDF's visible text against its attached YAML: the row is the YAML's, so a PDF whose pages
    say something else is an error of its own (its pages were made from another file, or edited)."""
    from reportgen.build import document_for
    from reportgen.collect.pages import agreement, page_text

    documents = []
    for kind in checked.kinds:
        try:
            documents.append(document_for(checked, kind))
        except ReportgenError:
            continue
    if not documents:
        return
    choices = [[d] for d in documents] + ([documents] if len(documents) > 1 else [])  # a bundle holds both
    text = page_text(result.entry.path)
    if text is None:
        message = "PDF 的页面无法在限度内读出文字（已损坏或过大），未能与所附的 YAML 核对"
        result.problems.append(Problem("警告", "页面与附件", message, printable(result.entry.path.name)))
        result.warnings += 1
        return
    best = max((agreement(result.entry.path, chosen, text) for chosen in choices), key=lambda a: a.share)
    if best.agrees:
        return
    shown = "」「".join(m[:24] for m in best.missing[:2])
    message = (
        f"PDF 页面上的文字与所附的 YAML 不符：YAML 生成的 {best.wanted} 处文字和数字中有 "
        f"{best.wanted - best.found} 处页面上没有（如「{shown}」）；本表按所附 YAML 汇总，请核对这份 PDF 是否由它生成"
    )
    result.problems.append(Problem("错误", "页面与附件", message, printable(result.entry.path.name)))
    result.errors += 1


def _figures(result: Record, report: object, settings: Settings) -> None:
    from reportgen.figures import derive
    from reportgen.figures.scoring import Score
    from reportgen.input.model import Report

    assert isinstance(report, Report)
    funds = report.funds
    fig = derive.funds(funds)
    result.budget, result.spent, result.completion = funds.全年预算数, fig.支出, fig.预算完成率
    result.basic = fig.基本支出
    result.project = funds.支出性质.项目支出 if funds.支出性质 else None
    sheet = settings.score_sheet()
    quote = derive.department_quote(report, sheet)
    if quote is not None:
        result.score, result.grade = quote.total, quote.grade or ""
        result.score_basis = _basis(quote)
    scored: list[tuple[str, Score]] = [("部门整体", quote)] if quote is not None and quote.by_indicators else []
    scored += [(p.名称, derive.project_score(p, sheet)) for p in report.重点项目 or [] if p.绩效指标]
    for owner, score in scored:
        for item in score.items:
            ind = item.indicator
            result.indicators.append(
                IndicatorRow(
                    owner,
                    item.category,
                    ind.二级指标,
                    ind.三级指标,
                    ind.年度指标值,
                    ind.实际完成值 or (ind.评价 or ""),
                    item.points,
                    item.completion,
                    item.score,
                    item.problem or ("得分为手填，未经计算" if item.source == "手填" else ""),
                )
            )


def _basis(quote: object) -> str:
    """How the total came about, in the bureau's words."""
    from reportgen.figures.scoring import COMPUTED, Score

    assert isinstance(quote, Score)
    if quote.computed:
        return "按指标计算"
    if quote.total is None:
        return "无法计算（缺少数字）"
    if quote.summed is not None and quote.source != COMPUTED:
        return "部分手填（未核算）"
    return "手填（未核算）"
