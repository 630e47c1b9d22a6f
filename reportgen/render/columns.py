"""Table column widths and cell lines from their content, for both files alike.

A template gives each column a share of the text block; the content then sets a floor, measured
with the table face's own advance widths (render/measure.py):

- a figure with its unit or sign (96.23%, ≥0.12万人, ≤5个工作日) is never broken;
- a text of up to four characters (a heading: 执行率, 一级指标; a verdict: 部分达成) keeps its line;
- a short label that does not fit is set in balanced lines, each of two characters or more,
  broken between words (服务对象 / 满意度指标), never with one character alone — the breaks are
  written into both files, so Word, LibreOffice and the PDF set the same lines;
- running text (a 偏差原因) wraps as a paragraph does.

Columns that need more take it from those with room to spare; a table steps down a size only
when its floors do not fit at the larger one, and the two tables of one form share a size.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportgen.compose.tree import Node, Table
from reportgen.page import Layout, mm_to_pt
from reportgen.render.measure import Measure, measure_for

# A cell that is a measure: a figure with its sign and a unit of up to four characters.
_MEASURE = re.compile(r"^[≥≤=<>＞＜±+\-]?\s*\d[\d.,]*\s*[^\d\s，。；：、（）()]{0,4}$")
_FIGURE = re.compile(r"[≥≤=<>＞＜±+\-]?\d[\d.,]*\s*(?:%|％|[^\s\d，。、；：（）()]{1,2})?")
_BRACKETED = re.compile(r"（[^（）]{1,4}）|\([^()]{1,4}\)")
_CLOSING = set("，。、；：！？）》”’%％")
_OPENING = set("（《“‘")
WHOLE = 4  # characters: a heading or verdict this short keeps its line
SHORT_TEXT = 12  # ems: a label, set in balanced lines; longer text wraps as running text
LABEL_LINES = 3  # a short label is set in at most this many lines where the column allows
SLACK_PT = 1.5  # rounding and the rules between cells
STARVED = 0.6  # of its share: a column of running text narrower than this is starved


def atoms(text: str) -> list[str]:
    """The pieces a line may break between: a figure with its unit, a bracketed word (（单位）),
    a Latin word, a character; a closing mark stays with what it closes, an opening one with
    what it opens."""
    pieces: list[str] = []
    at = 0
    while at < len(text):
        found = _FIGURE.match(text, at) or _BRACKETED.match(text, at) or re.compile(r"[A-Za-z]+").match(text, at)
        end = found.end() if found and found.end() > at else at + 1
        piece = text[at:end]
        if pieces and (piece[0] in _CLOSING or pieces[-1][-1] in _OPENING):
            pieces[-1] += piece
        else:
            pieces.append(piece)
        at = end
    return pieces


def unbroken(text: str) -> bool:
    """A text that is never broken: a heading of up to four characters, a measure."""
    return len(text) <= WHOLE or bool(_MEASURE.match(text))


# words a form's headings are made of: a label is not broken inside one (偏差原因分 / 析 → 偏差原因分析 / 及…)
_WORDS = frozenset(
    [
        "分析",
        "改进",
        "措施",
        "原因",
        "偏差",
        "指标",
        "完成",
        "情况",
        "年度",
        "实际",
        "预算",
        "资金",
        "满意",
        "目标",
        "任务",
        "涉及",
        "主要",
        "关键",
        "部门",
        "单位",
        "名称",
        "评价",
        "得分",
        "分值",
        "执行",
        "调整",
        "收入",
        "支出",
        "绩效",
        "自评",
        "等级",
        "计划",
        "项目",
        "说明",
        "标准",
        "计量",
        "数量",
        "质量",
        "时效",
        "成本",
        "效益",
        "社会",
        "经济",
        "生态",
        "服务",
        "对象",
        "结果",
        "金额",
        "总额",
        "全年",
        "年初",
        "合计",
        "其中",
        "财政",
        "拨款",
        "其他",
        "问题",
        "宣传",
        "活动",
        "场次",
        "纠纷",
        "化解",
        "培训",
        "治安",
        "状况",
        "群众",
        "诉求",
        "办结",
        "时限",
        "平安",
        "人均",
        "覆盖",
        "达标",
        "合格",
        "及时",
        "准确",
        "数据",
        "系统",
        "建设",
        "管理",
        "运行",
        "维护",
        "案件",
        "办理",
        "处置",
        "投诉",
        "整改",
        "督查",
        "检查",
        "考核",
        "信息",
        "公开",
        "政策",
        "设施",
        "设备",
        "环境",
        "安全",
        "生产",
        "事故",
        "发生",
        "控制",
        "利用",
        "使用",
        "水平",
        "能力",
        "提升",
        "增长",
        "下降",
        "比例",
        "人次",
        "次数",
        "规模",
        "工作",
        "开展",
        "组织",
        "人员",
        "经费",
        "公用",
        "基本",
        "学生",
        "教师",
        "教学",
        "医疗",
        "卫生",
        "农业",
        "农村",
        "城市",
        "道路",
        "工程",
        "验收",
    ]
)
INSIDE_WORD = 1.25  # ems: a break inside a word costs more than a line one character longer


def _inside_word(before: str, after: str) -> float:
    return INSIDE_WORD if before and after and before[-1] + after[0] in _WORDS else 0.0


def balanced(text: str, lines: int, measure: Measure) -> list[str] | None:
    """`text` in `lines` lines as even as can be, broken between atoms and not inside a word of
    a form's headings where a line a little longer avoids it, each line of two characters or
    more; None when it cannot be."""
    pieces = atoms(text)
    if lines <= 1 or len(pieces) < lines:
        return [text] if lines == 1 else None
    widths = [measure.width(p) for p in pieces]

    @functools.cache
    def best(start: int, left: int) -> tuple[float, tuple[int, ...]] | None:
        """The narrowest widest line for pieces[start:] in `left` lines, and where they break."""
        if left == 1:
            line = "".join(pieces[start:])
            return (sum(widths[start:]), ()) if len(line) >= 2 else None
        found: tuple[float, tuple[int, ...]] | None = None
        for end in range(start + 1, len(pieces) - left + 2):
            if len("".join(pieces[start:end])) < 2:
                continue
            rest = best(end, left - 1)
            if rest is None:
                continue
            worst = max(sum(widths[start:end]), rest[0]) + _inside_word(pieces[end - 1], pieces[end])
            if found is None or worst < found[0] - 1e-9:
                found = (worst, (end, *rest[1]))
        return found

    answer = best(0, lines)
    if answer is None:
        return None
    edges = [0, *answer[1], len(pieces)]
    return ["".join(pieces[a:b]) for a, b in itertools.pairwise(edges)]


def label_lines(text: str, capacity: float, measure: Measure) -> list[str]:
    """How a cell's paragraph is set in `capacity` ems: as it is when it fits, is never broken,
    or is running text; a short label in the fewest balanced lines that fit."""
    if measure.width(text) <= capacity + 1e-9 or unbroken(text) or measure.width(text) > SHORT_TEXT:
        return [text]
    for count in range(2, len(text) // 2 + 1):
        lines = balanced(text, count, measure)
        if lines is not None and max(measure.width(line) for line in lines) <= capacity + 1e-9:
            return lines
    return [text]


def _floor_em(text: str, measure: Measure) -> float:
    """The narrowest line, in ems, that sets the text by the rules above."""
    text = text.strip()
    if not text:
        return 0.0
    if unbroken(text):
        return measure.width(text)
    if measure.width(text) <= SHORT_TEXT:
        for count in range(min(LABEL_LINES, len(text) // 2), 0, -1):
            lines = balanced(text, count, measure)
            if lines is not None:
                return max(measure.width(line) for line in lines)
    pieces = [measure.width(m.group()) for m in _FIGURE.finditer(text)]
    return max([2.0, *pieces])


@dataclass(frozen=True)
class Fit:
    """How a table is set: its column widths (points), type size and line height, the padding
    either side of a cell's text, and how each cell's paragraph is broken."""

    widths: list[float]
    size: float
    line: float
    overflow: bool = False  # even at the smallest size the content needs more than the width
    padding: float = 3.0
    measure: Measure = field(default_factory=Measure)

    def lines(self, text: str, width: float) -> list[str]:
        """A cell paragraph `width` points wide (its columns' sum) as the lines it is set in."""
        return label_lines(text, (width - 2 * self.padding - SLACK_PT) / self.size, self.measure)


def _sizes(table: Table, layout: Layout) -> list[tuple[float, float]]:
    """Sizes a table may step down to when its content does not fit at the layout's own (四号,
    小四, 五号; the self-evaluation form: 五号, 小五), each with its line height."""
    if table.kind == "form":
        return [(layout.form_pt, layout.form_line_pt), (9.0, 12.0)]
    ratio = layout.table_line_pt / layout.table_pt
    return [(size, round(size * ratio, 1)) for size in (layout.table_pt, 12.0, 10.5) if size <= layout.table_pt]


def fit(table: Table, layout: Layout, largest: float | None = None) -> Fit:
    """The largest allowed type (no larger than `largest`) at which every column keeps its
    figures and headings whole and its labels in balanced lines; at the smallest, the best that
    can be done."""
    measure = measure_for(layout)
    padding = layout.cell_padding("form" if table.kind == "form" else "table")[1]
    columns = table.columns
    if columns == 0:
        return Fit([], layout.table_pt, layout.table_line_pt, padding=padding, measure=measure)
    texts: list[list[str]] = [[] for _ in range(columns)]
    spanning: list[tuple[int, int, str]] = []
    for row in _grid_rows(table):
        for column, span, text in row:
            if span == 1:
                texts[column].append(text)
            else:
                spanning.append((column, span, text))
    allowed = _sizes(table, layout)
    sizes = [s for s in allowed if largest is None or s[0] <= largest + 1e-9] or allowed[-1:]
    for size, line in sizes:
        setting = _Setting(texts, size, padding, layout, measure)
        weights = table.widths if len(table.widths) == columns else setting.by_content()
        widths, ok = setting.widths(weights, spanning)
        overflow = sum(widths) > mm_to_pt(layout.text_width_mm) + 0.01 or setting.overflows()
        if ok or (size, line) == sizes[-1]:
            return Fit(widths, size, line, overflow, padding, measure)
    raise AssertionError("unreachable")


def fit_in(nodes: Sequence[Node], index: int, layout: Layout) -> Fit:
    """The table at `index` as set in its document: the tables of one form (the second joined to
    the first) share the smaller of their sizes."""
    table = nodes[index]
    assert isinstance(table, Table)
    group = [index]
    before = index
    while nodes[before].joined and before > 0 and isinstance(nodes[before - 1], Table):  # type: ignore[union-attr]
        before -= 1
        group.append(before)
    after = index + 1
    while after < len(nodes) and isinstance(nodes[after], Table) and nodes[after].joined:  # type: ignore[union-attr]
        group.append(after)
        after += 1
    own = fit(table, layout)
    if len(group) == 1:
        return own
    size = min(fit(nodes[i], layout).size for i in group)  # type: ignore[arg-type]
    return own if own.size <= size else fit(table, layout, size)


def turned(table: Table, layout: Layout) -> bool:
    """A table of the narrative too wide for the upright text block even at the smallest size:
    across the sheet it has half as much room again (GB/T 9704 §8)."""
    if table.kind == "form" or layout.page_width_mm > layout.page_height_mm:
        return False
    return fit(table, layout).overflow


def column_widths(table: Table, layout: Layout) -> list[float]:
    return fit(table, layout).widths


class _Setting:
    """One table's columns at one type size: what each needs."""

    def __init__(self, texts: list[list[str]], size: float, padding: float, layout: Layout, measure: Measure) -> None:
        self.texts = texts
        self.size = size
        self.padding = 2 * padding + SLACK_PT
        self.total = mm_to_pt(layout.text_width_mm)
        self.measure = measure

    def _need(self, em: float) -> float:
        return em * self.size + self.padding

    def floors(self, spanning: list[tuple[int, int, str]]) -> list[float]:
        """Each column's narrowest width; a merged cell's floor spread over its columns."""
        floors = [
            max((self._need(_floor_em(t, self.measure)) for t in cells), default=self.padding) for cells in self.texts
        ]
        for start, span, text in spanning:
            need, have = self._need(_floor_em(text, self.measure)), sum(floors[start : start + span])
            if need > have:
                for c in range(start, start + span):
                    floors[c] += (need - have) / span
        return floors

    def overflows(self) -> bool:
        """Whether the columns' floors alone are wider than the text block."""
        return sum(self.floors([])) > self.total

    def by_content(self) -> list[float]:
        """Shares for a table whose template gives none (a free 表格): what each column's longest
        text needs on one line, where all fit; else the columns that fit in an equal share keep
        their line, and the others split the rest by what they would need (as a browser's
        automatic table layout does), so that a long name is not broken while a column of
        figures has room."""
        natural = [self._need(max((self.measure.width(t) for t in cells), default=1.0)) for cells in self.texts]
        if sum(natural) <= self.total:
            return natural
        kept: dict[int, float] = {}
        while True:
            rest = [c for c in range(len(self.texts)) if c not in kept]
            fair = (self.total - sum(kept.values())) / len(rest)
            fits = [c for c in rest if natural[c] <= fair]
            if not fits or len(fits) == len(rest):
                break
            kept.update((c, natural[c]) for c in fits)
        room = self.total - sum(kept.values())
        wanted = sum(natural[c] for c in rest)
        return [kept.get(c, room * natural[c] / wanted) for c in range(len(self.texts))]

    def starved(self, widths: list[float], weights: list[float], spanning: list[tuple[int, int, str]]) -> bool:
        """A column of running text (a 偏差原因, a 完成情况) squeezed to a sliver of its share reads
        as a ribbon of characters: a smaller size is better."""
        share = sum(weights) or 1.0
        long = [(c, 1) for c in range(len(widths)) if any(self.measure.width(t) > SHORT_TEXT for t in self.texts[c])]
        long += [(c, n) for c, n, t in spanning if self.measure.width(t) > SHORT_TEXT]
        return any(sum(widths[c : c + n]) < STARVED * self.total * sum(weights[c : c + n]) / share for c, n in long)

    def widths(self, weights: list[float], spanning: list[tuple[int, int, str]]) -> tuple[list[float], bool]:
        """Widths at this size: each column no narrower than its content needs, the rest shared
        by weight.  ok: the floors fit and no running text is starved."""
        floors = self.floors(spanning)
        widths = _share(self.total, weights, floors)
        if sum(floors) > self.total:
            return widths, False
        return widths, not self.starved(widths, weights, spanning)


def _share(total: float, weights: list[float], floors: list[float]) -> list[float]:
    """Split `total` by `weights`, no column below its floor (a column at its floor gives up its share)."""
    fixed: dict[int, float] = {}
    while True:
        free = [c for c in range(len(weights)) if c not in fixed]
        room = total - sum(fixed.values())
        weight = sum(weights[c] for c in free) or 1.0
        shares = {c: room * weights[c] / weight for c in free}
        short = [c for c in free if shares[c] < floors[c]]
        if not short or not free:
            break
        for c in short:
            fixed[c] = floors[c]
        if sum(fixed.values()) >= total:  # wider than the text block: every column at its floor, scaled
            scale = total / sum(floors)
            return [f * scale for f in floors]
    return [fixed.get(c, shares.get(c, 0.0)) for c in range(len(weights))]


def _grid_rows(table: Table) -> list[list[tuple[int, int, str]]]:
    """Each row's cells: (first column, columns spanned, text of each paragraph)."""
    occupied: set[tuple[int, int]] = set()
    rows: list[list[tuple[int, int, str]]] = []
    for r, row in enumerate(table.rows):
        c = 0
        found: list[tuple[int, int, str]] = []
        for cell in row:
            while (r, c) in occupied:
                c += 1
            if c + cell.colspan <= table.columns:
                found.extend((c, cell.colspan, line) for line in cell.paragraphs)
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan
        rows.append(found)
    return rows
