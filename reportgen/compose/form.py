"""The national 自评表 (the form annexed to 财预〔2020〕10号 and its provincial variants) as rows of
cells, so that a district changes its columns, their order and headings in settings.yaml alone.

The form is one table on one grid: the indicator columns set the grid, and the header, budget and
goal rows spread their cells over it with real merges.  Figures come from the same derived values
and score as the report, so the form and the report never disagree.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportgen.compose.settings import BUDGET_COLUMNS
from reportgen.figures import derive
from reportgen.figures.formulas import completion_rate, round_half_up
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import ItemScore, Score, ScoreSheet, parse_target
from reportgen.input.model import Report

INDICATOR_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因")
BUDGET_ROWS = ("年度资金总额", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款", "其他资金")
HEADINGS = {
    "偏差原因": "偏差原因分析及改进措施",
    "全年执行数": "全年执行数",
    "年度资金总额": "年度资金总额",
    "一般公共预算财政拨款": "其中：一般公共预算财政拨款",
    "政府性基金预算财政拨款": "政府性基金预算财政拨款",
    "国有资本经营预算财政拨款": "国有资本经营预算财政拨款",
    "其他资金": "其他资金",
}
# Relative widths, about a centimetre each at their natural size: a form whose columns add up
# to more than the portrait text block (15.6) turns landscape when the paper is 自动.
WIDTHS = {
    "一级指标": 1.3,
    "二级指标": 1.5,
    "三级指标": 2.5,
    "指标性质": 1.1,
    "核心指标": 1.1,
    "年初指标值": 1.4,
    "调整指标值": 1.4,
    "年度指标值": 1.5,
    "实际完成值": 1.5,
    "完成率": 1.2,
    "分值": 0.9,
    "得分系数": 1.1,
    "得分": 1.0,
    "偏差原因": 3.2,
}
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
class Column:
    key: str
    heading: str
    width: float


@dataclass
class Form:
    columns: list[Column]
    grid: int
    widths: str
    landscape: bool
    head: list[list[Cell]]
    score: list[list[Cell]]
    budget: list[list[Cell]]
    goals: list[list[Cell]]
    indicator_head: list[list[Cell]]
    indicators: list[list[Cell]]
    total: list[list[Cell]]
    result: Score | None


def _columns(entries: list[Any] | None, default: tuple[str, ...]) -> list[Column]:
    columns = []
    for entry in entries or default:
        key = entry if isinstance(entry, str) else str(entry["列"])
        heading = HEADINGS.get(key, key) if isinstance(entry, str) else str(entry.get("标题") or HEADINGS.get(key, key))
        width = WIDTHS.get(key, 1.2) if isinstance(entry, str) else float(entry.get("宽") or WIDTHS.get(key, 1.2))
        columns.append(Column(key, heading, width))
    return columns


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


def build_form(report: Report, settings: dict[str, Any], fmt: NumberFormat, sheet: ScoreSheet) -> Form:
    options = settings.get("自评表") or {}
    titles = {**HEADINGS, **(options.get("行标题") or {})}
    columns = _columns(options.get("指标列"), INDICATOR_COLUMNS)
    budget_columns = _columns(options.get("预算列"), BUDGET_COLUMNS)
    paper = options.get("纸张方向") or "自动"
    landscape = paper == "横向" or (paper == "自动" and sum(c.width for c in columns) > PORTRAIT_WIDTH)
    result = derive.department_quote(report, sheet)
    grid = Grid([c.width for c in columns])
    first = columns[0].width
    rest = grid.total - first
    # each kind of row: its cells' shares of the width, laid on the grid once every row is known
    pair_edges = grid.add([1, 2, 1, 1])
    label_name = max(2.6, rest * 0.2)
    budget_edges = grid.add([first, label_name, *[(rest - label_name) / len(budget_columns)] * len(budget_columns)])
    goal_edges = grid.add([first, rest / 2, rest / 2])
    indicator_edges = list(grid.edges[:1]) + [
        round(sum(c.width for c in columns[: i + 1]), 4) for i in range(len(columns))
    ]
    indicator_edges[-1] = grid.total

    head = [
        _lay(
            [
                Cell(titles.get("部门名称", "部门（单位）名称"), head=True),
                Cell(report.部门名称),
                Cell(titles.get("评价年度", "评价年度"), head=True),
                Cell(f"{report.年度}年"),
            ],
            pair_edges,
            grid,
        )
    ]
    score_rows: list[list[Cell]] = []
    if options.get("得分在前") and result is not None:
        score_rows.append(
            _lay(
                [
                    Cell(titles.get("自评得分", "自评得分"), head=True),
                    Cell(f"{fmt.score(result.total)}分"),
                    Cell(titles.get("自评等级", "自评等级"), head=True),
                    Cell(result.grade),
                ],
                pair_edges,
                grid,
            )
        )
    every = {**options, "资金来源全部印出": settings.get("资金来源全部印出", False)}
    budget = _budget_rows(report, every, budget_columns, titles, fmt, result)
    for n, row in enumerate(budget):  # the first row opens with the block's label
        _lay(row[1:] if n == 0 else row, budget_edges[1:], grid)
    if budget:
        budget[0][0].colspan = grid.spans(budget_edges[:2])[0]
    goals = _goal_rows(report, titles)
    if goals:
        _lay(goals[0], goal_edges, grid)
        _lay(goals[1], goal_edges[1:], grid)
    spans = grid.spans(indicator_edges)
    indicator_head = [[Cell(c.heading, colspan=n, head=True) for c, n in zip(columns, spans, strict=True)]]
    indicators = _indicator_rows(result, columns, spans, fmt) if result is not None and result.computed else []
    total = _total_row(result, columns, spans, fmt, titles) if result is not None else []
    return Form(
        columns=columns,
        grid=len(grid.widths()),
        widths=" ".join(f"{w:.3g}" for w in grid.widths()),
        landscape=landscape,
        head=head,
        score=score_rows,
        budget=budget,
        goals=goals,
        indicator_head=indicator_head,
        indicators=indicators,
        total=total,
        result=result,
    )


def _budget_rows(
    report: Report,
    options: dict[str, Any],
    columns: list[Column],
    titles: dict[str, str],
    fmt: NumberFormat,
    result: Score | None,
) -> list[list[Cell]]:
    funds = report.funds
    if funds is None:
        return []
    every_source = bool(options.get("资金来源全部印出"))
    fig = derive.funds(funds)
    by_source = funds.分来源预算
    spent_by_source = funds.资金来源
    rows: list[list[Cell]] = []
    for key in options.get("预算行") or BUDGET_ROWS:
        if key == "年度资金总额":
            initial, budget, spent = funds.年初预算数, funds.全年预算数, fig.支出
        else:
            own = getattr(by_source, key) if by_source is not None else None
            initial = own.年初预算数 if own is not None else None
            budget = own.全年预算数 if own is not None else None
            spent = own.执行数 if own is not None and own.执行数 is not None else None
            if spent is None and spent_by_source is not None:
                spent = getattr(spent_by_source, key)
            if initial is None and budget is None and spent is None and not every_source:
                continue
        rate = completion_rate(spent, budget) if spent is not None and budget else None
        whole = key == "年度资金总额"
        values = {
            "年初预算数": fmt.money(initial) if initial is not None else "",
            "全年预算数": fmt.money(budget) if budget is not None else "",
            "全年执行数": fmt.money(spent) if spent is not None else "",
            "分值": _points(result.sheet.budget_points) if whole and result is not None else "",
            "执行率": fmt.rate(rate) if rate is not None else "",
            "得分": _points(result.budget_score) if whole and result is not None and result.computed else "",
        }
        if not whole:
            values["分值"] = values["得分"] = "—"
        cells = [Cell(titles.get(key, key), head=True), *(Cell(values[c.key]) for c in columns)]
        rows.append(cells)
    if not rows:
        return []
    label = Cell(titles.get("年度预算执行情况", "年度预算执行情况（万元）"), head=True, rowspan=len(rows) + 1)
    heading = [label, Cell("", head=True), *(Cell(c.heading, head=True) for c in columns)]
    return [heading, *rows]


def _goal_rows(report: Report, titles: dict[str, str]) -> list[list[Cell]]:
    goals = report.年度目标
    if goals is None:
        return []
    label = Cell(titles.get("年度总体目标", "年度总体目标"), head=True, rowspan=2)
    first = [
        label,
        Cell(titles.get("预期目标", "预期目标"), head=True),
        Cell(titles.get("实际完成情况", "实际完成情况"), head=True),
    ]
    second = [Cell(left=True, lines=list(goals.预期目标)), Cell(left=True, lines=list(goals.完成情况))]
    return [first, second]


def _indicator_rows(result: Score, columns: list[Column], spans: list[int], fmt: NumberFormat) -> list[list[Cell]]:
    items = result.items
    firsts = [i.indicator.一级指标 for i in items]
    seconds = [f"{i.indicator.一级指标}\x00{i.indicator.二级指标}" for i in items]
    merged = {"一级指标": rowspans(firsts), "二级指标": rowspans(seconds)}
    rows = []
    for n, item in enumerate(items):
        row = []
        for column, span in zip(columns, spans, strict=True):
            down = merged.get(column.key, [1] * len(items))[n]
            if down == 0:
                continue
            text = cell_text(item, column.key, fmt, result.sheet)
            row.append(Cell(text, colspan=span, rowspan=down, left=column.key == "偏差原因"))
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


def cell_text(item: ItemScore, key: str, fmt: NumberFormat, sheet: ScoreSheet) -> str:
    """What an indicator row prints in the column `key`."""
    ind = item.indicator
    if key in ("一级指标", "二级指标", "三级指标", "年度指标值", "年初指标值", "调整指标值", "偏差原因"):
        return str(getattr(ind, key) or "")
    if key == "实际完成值":
        return ind.实际完成值 or ind.评价 or ""
    if key == "指标性质":
        return ind.指标性质 or ("定性" if parse_target(ind.年度指标值, ind.方向).direction == "定性" else "定量")
    if key == "核心指标":
        return "" if ind.核心指标 is None else ("是" if ind.核心指标 else "否")
    if key == "完成率":
        return fmt.rate(item.completion) if item.completion is not None else ""
    if key == "分值":
        return _points(item.points)
    if key == "得分系数":
        return format(round_half_up(item.score / item.points, 2), "f") if item.points else ""
    if key == "得分":
        return format(round_half_up(item.score, sheet.places), "f")
    return ""


def _total_row(
    result: Score, columns: list[Column], spans: list[int], fmt: NumberFormat, titles: dict[str, str]
) -> list[list[Cell]]:
    """总分: the label across the columns before 分值 and 得分, full marks and the score in theirs,
    the grade across what follows (or beside the label when nothing follows)."""
    keys = [c.key for c in columns]
    label = titles.get("总分", "总分")
    grade = f"{titles.get('自评等级', '自评等级')}：{result.grade}"
    full = _points(result.full_marks if result.computed else result.sheet.full)
    if "分值" in keys and "得分" in keys and min(keys.index("分值"), keys.index("得分")) > 0:
        first, last = sorted((keys.index("分值"), keys.index("得分")))
        cells = [Cell(label if last < len(keys) - 1 else f"{label}（{grade}）", colspan=sum(spans[:first]), head=True)]
        for n in range(first, len(keys)):
            if keys[n] in ("分值", "得分"):
                text = full if keys[n] == "分值" else fmt.score(result.total)
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
            Cell(f"{fmt.score(result.total)}分", colspan=middle),
            Cell(grade, colspan=max(1, whole - left - middle)),
        ]
    ]


def _points(value: Decimal) -> str:
    rounded = round_half_up(value, 2)
    return format(rounded.normalize() if rounded == rounded.to_integral() else rounded, "f")
