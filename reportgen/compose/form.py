"""The national 自评表 (the form annexed to 财预〔2020〕10号 and its provincial variants) as rows of
cells, so that a district changes its columns, their order and headings in settings.yaml alone.

The form is printed as one but built as two tables: the block above (header, budget, goals) on a
grid of its own, its rows spreading their cells with real merges, and the indicator table, whose
column headings repeat on every page it reaches.  Figures come from the same derived values
and score as the report, so the form and the report never disagree.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.figures import derive
from reportgen.figures.formulas import completion_rate
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import Score, ScoreSheet
from reportgen.input.model import Report
from reportgen.template.form_columns import (
    BUDGET_COLUMNS,
    FORM_LABELS,
    INDICATOR_COLUMNS,
    LEFT_ALIGNED,
    MERGED_DOWN,
    BudgetRow,
    IndicatorRow,
    other_column,
    points,
)
from reportgen.template.settings import FormColumn, Settings

# A form whose columns add up to more than the portrait text block (in the tables' relative
# widths, about a centimetre each) turns landscape when the paper is 自动.
PORTRAIT_WIDTH = 15.6


@dataclass
class Cell:
    text: str = ""
    colspan: int = 1
    rowspan: int = 1
    head: bool = False
    left: bool = False
    lines: list[str] = field(default_factory=list)  # several paragraphs in one cell


@dataclass(frozen=True)
class Placed:
    """A column as this form prints it: the template's choice of heading and width."""

    key: str
    heading: str
    width: float
    name: str | None = None  # 其他列: the name indicators write it under


@dataclass
class Form:
    """The form as two tables printed as one: the block above (header, score, budget, goals) on
    a grid of its own, and the indicator table, whose headings repeat on every page it reaches."""

    columns: list[Placed]
    widths: str  # the block's grid
    indicator_widths: str
    landscape: bool
    head: list[list[Cell]]
    score: list[list[Cell]]
    budget: list[list[Cell]]
    goals: list[list[Cell]]
    indicator_head: list[list[Cell]]
    indicators: list[list[Cell]]
    total: list[list[Cell]]
    result: Score | None
    notes: list[str] = field(default_factory=list)  # under the table: what a mark on a stated figure means


def _indicator_columns(chosen: list[FormColumn]) -> list[Placed]:
    placed = []
    for entry in chosen:
        column = INDICATOR_COLUMNS[entry.列]
        width = float(entry.宽) if entry.宽 is not None else column.width
        heading = entry.标题 or (entry.名 if entry.列 == "其他列" else None) or column.heading
        placed.append(Placed(entry.列, heading, width, entry.名))
    return placed


class Grid:
    """Column boundaries shared by every row: the indicator columns' own, and each other row's
    where it does not fall close to one of those (a sliver column helps no one)."""

    SNAP = 0.6

    def __init__(self, widths: list[float]) -> None:
        self.edges = [0.0]
        for w in widths:
            self.edges.append(round(self.edges[-1] + w, 4))
        self.total = self.edges[-1]

    def _snap(self, x: float) -> float:
        near = min(self.edges, key=lambda e: abs(e - x))
        return near if abs(near - x) <= self.SNAP else x

    def add(self, shares: list[float]) -> list[float]:
        """A row whose cells take these shares of the width: its boundaries, snapped or added."""
        scale = self.total / sum(shares)
        edges, x = [0.0], 0.0
        for share in shares:
            x += share * scale
            snapped = self._snap(round(x, 4))
            edges.append(snapped if snapped > edges[-1] else round(x, 4))
        edges[-1] = self.total
        for e in edges:
            if e not in self.edges:
                self.edges.append(e)
        self.edges.sort()
        return edges

    def spans(self, edges: list[float]) -> list[int]:
        return [sum(1 for e in self.edges if a < e <= b) for a, b in itertools.pairwise(edges)]

    def widths(self) -> list[float]:
        return [b - a for a, b in itertools.pairwise(self.edges)]


def _lay(cells: list[Cell], edges: list[float], grid: Grid) -> list[Cell]:
    for cell, span in zip(cells, grid.spans(edges), strict=True):
        cell.colspan = span
    return cells


def build_form(report: Report, settings: Settings, fmt: NumberFormat, sheet: ScoreSheet) -> Form:
    options = settings.自评表
    titles: dict[str, str] = dict(FORM_LABELS) | dict(options.行标题.items())
    columns = _indicator_columns(options.指标列)
    budget_columns = [(c.列, c.标题 or BUDGET_COLUMNS[c.列].heading) for c in options.预算列]
    result = derive.department_quote(report, sheet)
    first = columns[0].width
    grid = Grid([first, sum(c.width for c in columns) - first])
    rest = grid.total - first
    # each kind of row: its cells' shares of the width, laid on the grid once every row is known
    pair_edges = grid.add([1, 2, 1, 1])
    label_name = max(2.6, rest * 0.2)
    budget_edges = grid.add([first, label_name, *[(rest - label_name) / len(budget_columns)] * len(budget_columns)])
    goal_columns = options.目标栏
    goal_edges = grid.add([first, *[rest / len(goal_columns)] * len(goal_columns)])

    head = [
        _lay(row, pair_edges if len(row) == 4 else pair_edges[:2] + pair_edges[-1:], grid)
        for row in _header(report, options.表头, titles)
    ]
    score_rows = [_lay(_score_pair(result, titles, fmt), pair_edges, grid)] if options.得分在前 and result else []
    budget = _budget_rows(report, settings, budget_columns, titles, fmt, result)
    for n, row in enumerate(budget):  # the first row opens with the block's label
        _lay(row[1:] if n == 0 else row, budget_edges[1:], grid)
    if budget:
        budget[0][0].colspan = grid.spans(budget_edges[:2])[0]
    goals = _goal_rows(report, titles, goal_columns)
    if goals:
        _lay(goals[0], goal_edges, grid)
        _lay(goals[1], goal_edges[1:], grid)
    spans = [1] * len(columns)
    indicator_head = [[Cell(c.heading, head=True) for c in columns]]
    percent = options.得分系数 == "百分比"
    scored = result is not None and result.by_indicators
    indicators = _indicator_rows(result, columns, spans, fmt, percent) if result is not None and scored else []
    total = _total_row(result, columns, spans, fmt, titles) if result is not None else []
    return Form(
        columns=columns,
        widths=" ".join(f"{w:.3g}" for w in grid.widths()),
        indicator_widths=" ".join(f"{c.width:.3g}" for c in columns),
        landscape=_landscape(options.纸张方向, columns),
        head=head,
        score=score_rows,
        budget=budget,
        goals=goals,
        indicator_head=indicator_head,
        indicators=indicators,
        total=total,
        result=result,
        notes=[result.note] if result is not None and result.note else [],
    )


def _landscape(paper: str, columns: list[Placed]) -> bool:
    return paper == "横向" or (paper == "自动" and sum(c.width for c in columns) > PORTRAIT_WIDTH)


def _score_pair(result: Score, titles: dict[str, str], fmt: NumberFormat) -> list[Cell]:
    """The row under the header that gives the score first: empty where there is none."""
    quoted = f"{fmt.score(result.total)}分{result.mark(result.source)}" if result.total is not None else ""
    return _pair(titles["自评得分"], quoted, titles["自评等级"], result.grade or "")


def _pair(label: str, value: str, second_label: str, second_value: str) -> list[Cell]:
    """A header row: two labels, each with its value."""
    return [Cell(label, head=True), Cell(value), Cell(second_label, head=True), Cell(second_value)]


def _header(report: Report, fields: Sequence[str], titles: dict[str, str]) -> list[list[Cell]]:
    """The header's fields, two to a row (a last one alone takes the row's width)."""
    details = report.填报信息
    values = {"部门名称": report.部门名称, "评价年度": f"{report.年度}年"}
    cells: list[tuple[str, str]] = []
    for name in fields:
        value = values[name] if name in values else (getattr(details, name, None) if details else None)
        cells.append((titles[name], value or ""))
    rows = []
    for i in range(0, len(cells), 2):
        if i + 1 < len(cells):
            rows.append(_pair(*cells[i], *cells[i + 1]))
        else:
            rows.append([Cell(cells[i][0], head=True), Cell(cells[i][1])])
    return rows


def _source_row(report: Report, key: str) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(年初预算数, 全年预算数, 执行数) of one source of funds: its own row of 分来源预算, the spending
    by source standing in for a missing 执行数."""
    funds = report.funds
    assert funds is not None
    own = getattr(funds.分来源预算, key) if funds.分来源预算 is not None else None
    initial = own.年初预算数 if own is not None else None
    budget = own.全年预算数 if own is not None else None
    spent = own.执行数 if own is not None else None
    if spent is None and funds.资金来源 is not None:
        spent = getattr(funds.资金来源, key)
    return initial, budget, spent


def _budget_rows(
    report: Report,
    settings: Settings,
    columns: list[tuple[str, str]],
    titles: dict[str, str],
    fmt: NumberFormat,
    result: Score | None,
) -> list[list[Cell]]:
    funds = report.funds
    if funds is None:
        return []
    rows: list[list[Cell]] = []
    for key in settings.自评表.预算行:
        row = _budget_row(report, key, settings.资金来源全部印出, result)
        if row is not None:
            cells = [Cell(titles.get(key, key), head=True)]
            rows.append(cells + [Cell(BUDGET_COLUMNS[name].value(row, fmt)) for name, _ in columns])
    if not rows:
        return []
    label = Cell(_budget_title(titles, columns), head=True, rowspan=len(rows) + 1)
    heading = [label, Cell("", head=True), *(Cell(heading, head=True) for _, heading in columns)]
    return [heading, *rows]


def _budget_title(titles: dict[str, str], columns: list[tuple[str, str]]) -> str:
    """The block's label: the default names its unit, 万元, only when an amount is printed."""
    title = titles["年度预算执行情况"]
    amounts = {"年初预算数", "全年预算数", "全年执行数"}
    if title == FORM_LABELS["年度预算执行情况"] and not amounts & {name for name, _ in columns}:
        return title.removesuffix("（万元）")
    return title


def _budget_row(report: Report, key: str, every_source: bool, result: Score | None) -> BudgetRow | None:
    """The total (年度资金总额, which carries the points and the score) or one source of funds;
    None for a source the file says nothing of, unless the template prints every source."""
    funds = report.funds
    assert funds is not None
    if key != "年度资金总额":
        initial, budget, spent = _source_row(report, key)
        if initial is None and budget is None and spent is None and not every_source:
            return None
        rate = completion_rate(spent, budget) if spent is not None and budget else None
        return BudgetRow(initial, budget, spent, rate, False)
    spent = derive.funds(funds).支出
    rate = completion_rate(spent, funds.全年预算数) if spent is not None and funds.全年预算数 else None
    if result is None:
        return BudgetRow(funds.年初预算数, funds.全年预算数, spent, rate, True)
    return BudgetRow(  # the rate scored: computed, or as the unit stated it
        funds.年初预算数,
        funds.全年预算数,
        spent,
        result.budget_rate,
        True,
        result.sheet.budget_points,
        result.budget_score,
        result.mark(result.budget.rate_source),
        result.mark(result.budget.source),
    )


def _goal_rows(report: Report, titles: dict[str, str], columns: Sequence[str]) -> list[list[Cell]]:
    goals = report.年度目标
    if goals is None:
        return []
    label = Cell(titles["年度总体目标"], head=True, rowspan=2)
    heading = {"年初目标": "年初目标", "预期目标": "预期目标", "完成情况": "实际完成情况"}
    first = [label, *(Cell(titles[heading[c]], head=True) for c in columns)]
    second = [Cell(left=True, lines=list(getattr(goals, c))) for c in columns]
    return [first, second]


def _indicator_rows(
    result: Score, columns: list[Placed], spans: list[int], fmt: NumberFormat, percent: bool = False
) -> list[list[Cell]]:
    items = result.items
    keys = {
        "一级指标": [i.indicator.一级指标 for i in items],
        "二级指标": [f"{i.indicator.一级指标}\x00{i.indicator.二级指标}" for i in items],
    }
    merged = {name: rowspans(keys[name]) for name in MERGED_DOWN}
    rows = []
    for n, item in enumerate(items):
        row = []
        facts = IndicatorRow(item, fmt, result.sheet, percent)
        for column, span in zip(columns, spans, strict=True):
            down = merged[column.key][n] if column.key in merged else 1
            if down == 0:
                continue
            value = other_column(column.name) if column.name is not None else INDICATOR_COLUMNS[column.key].value
            text = value(facts)
            row.append(Cell(text, colspan=span, rowspan=down, left=column.key in LEFT_ALIGNED))
        rows.append(row)
    return rows


def rowspans(values: list[str]) -> list[int]:
    """Vertical merges for a column: equal neighbours join; 0 marks a cell covered from above."""
    spans = [1] * len(values)
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            spans[start] = i - start
            for j in range(start + 1, i):
                spans[j] = 0
            start = i
    return spans


def _total_row(
    result: Score, columns: list[Placed], spans: list[int], fmt: NumberFormat, titles: dict[str, str]
) -> list[list[Cell]]:
    """总分: the label across the columns before 分值 and 得分, full marks and the score in theirs,
    the grade across what follows (or beside the label when nothing follows)."""
    keys = [c.key for c in columns]
    label = titles["总分"]
    grade = f"{titles['自评等级']}：{result.grade or ''}"
    full = points(result.full_marks)
    total = fmt.score(result.total) + result.mark(result.source) if result.total is not None else ""
    if "分值" in keys and "得分" in keys and min(keys.index("分值"), keys.index("得分")) > 0:
        first, last = sorted((keys.index("分值"), keys.index("得分")))
        cells = [Cell(label if last < len(keys) - 1 else f"{label}（{grade}）", colspan=sum(spans[:first]), head=True)]
        for n in range(first, len(keys)):
            if keys[n] in ("分值", "得分"):
                text = full if keys[n] == "分值" else total
                cells.append(Cell(text, colspan=spans[n]))
            elif n < last:
                cells.append(Cell("", colspan=spans[n]))
            elif n == last + 1:
                cells.append(Cell(grade, colspan=sum(spans[n:])))
        return [cells]
    whole = sum(spans)
    left = spans[0]
    middle = (whole - left) // 2 or 1
    return [
        [
            Cell(label, colspan=left, head=True),
            Cell(f"{fmt.score(result.total)}分{result.mark(result.source)}" if total else "", colspan=middle),
            Cell(grade, colspan=max(1, whole - left - middle)),
        ]
    ]
