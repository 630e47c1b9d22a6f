"""Table column widths from their content, for both files alike.

A template gives each column a share of the text block; the content then sets a floor: a number
with its unit (113.12, 96.00%, ≤800元, 2022年) and a label of up to five characters (一级指标, 部分达成)
are never broken, and no cell leaves its last character alone on a line (部门调整预算收/入).
Columns that need more take it from those with room to spare.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reportgen.compose.tree import Table
from reportgen.page import CELL_PADDING, Layout, mm_to_pt
from reportgen.render.titles import width as _plain_width

# A figure with what sticks to it: signs, digits, decimals, %, and a unit of up to two characters.
_FIGURE = re.compile(r"[≥≤=<>＞＜±+\-]?\d[\d.,]*\s*(?:%|％|[^\s\d，。、；：（）()]{1,2})?")
SHORT_LABEL = 5  # characters: a label this short stays on one line
_SCRIPT_CHANGE = re.compile(r"(?<=[A-Za-z0-9%])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])")


def em_width(text: str) -> float:
    """Width in ems as Word and the PDF set it: a quarter em of autospace where Chinese meets
    Latin letters or digits."""
    return _plain_width(text) + 0.25 * len(_SCRIPT_CHANGE.findall(text))


SLACK_PT = 1.5  # rounding and the rules between cells


def _floor_em(text: str) -> float:
    """The narrowest line, in ems, that keeps the cell's unbreakable pieces whole."""
    text = text.strip()
    if not text:
        return 0.0
    if len(text) <= SHORT_LABEL:
        return em_width(text)
    pieces = [em_width(m.group()) for m in _FIGURE.finditer(text)]
    return max([1.0, *pieces])


STARVED = 0.6  # of its share: a column of running text narrower than this is starved
SHORT_TEXT = 12  # ems: a label or short phrase, whose lone last character reads as a broken word


def _orphan(text: str, capacity_em: float) -> bool:
    """Whether a short text, set in lines of `capacity_em`, would end with one character alone (a
    long paragraph in a cell may end as paragraphs do)."""
    if capacity_em <= 0 or em_width(text) <= capacity_em or em_width(text) > SHORT_TEXT:
        return False
    last = ""
    for char in text:
        if em_width(last + char) > capacity_em + 1e-9:
            last = ""
        last += char
    return len(last) == 1


@dataclass(frozen=True)
class Fit:
    """How a table is set: its column widths (points), type size and line height."""

    widths: list[float]
    size: float
    line: float
    overflow: bool = False  # even at the smallest size the content needs more than the width


# Sizes a table may step down to when its content does not fit at the layout's own (四号, 小四,
# 五号; the self-evaluation form: 五号, 小五), each with its line height.
def _sizes(table: Table, layout: Layout) -> list[tuple[float, float]]:
    if table.kind == "form":
        return [(layout.form_pt, layout.form_line_pt), (9.0, 12.0)]
    ratio = layout.table_line_pt / layout.table_pt
    return [(size, round(size * ratio, 1)) for size in (layout.table_pt, 12.0, 10.5) if size <= layout.table_pt]


def fit(table: Table, layout: Layout) -> Fit:
    """The largest allowed type at which every column keeps its figures and short labels whole and
    no cell ends with a character alone; at the smallest, the best that can be done."""
    columns = table.columns
    if columns == 0:
        return Fit([], layout.table_pt, layout.table_line_pt)
    texts: list[list[str]] = [[] for _ in range(columns)]
    spanning: list[tuple[int, int, str]] = []
    for row in _grid_rows(table):
        for column, span, text in row:
            if span == 1:
                texts[column].append(text)
            else:
                spanning.append((column, span, text))
    sizes = _sizes(table, layout)
    for size, line in sizes:
        weights = table.widths if len(table.widths) == columns else _by_content(texts, size, table.kind, layout)
        widths, ok = _widths(texts, weights, size, table.kind, layout, spanning)
        overflow = sum(widths) > mm_to_pt(layout.text_width_mm) + 0.01 or _overflows(texts, size, layout, table.kind)
        if ok or (size, line) == sizes[-1]:
            return Fit(widths, size, line, overflow)
    raise AssertionError("unreachable")


def _by_content(texts: list[list[str]], size: float, kind: str, layout: Layout) -> list[float]:
    """Shares for a table whose template gives none (a free 表格): what each column's longest
    text needs on one line, where all fit; else the columns that fit in an equal share keep
    their line, and the others split the rest by what they would need (as a browser's automatic
    table layout does), so that a long name is not broken while a column of figures has room."""
    total = mm_to_pt(layout.text_width_mm)
    padding = 2 * CELL_PADDING["form" if kind == "form" else "table"][1] + SLACK_PT
    natural = [max((em_width(t) for t in cells), default=1.0) * size + padding for cells in texts]
    if sum(natural) <= total:
        return natural
    kept: dict[int, float] = {}
    while True:
        rest = [c for c in range(len(texts)) if c not in kept]
        fair = (total - sum(kept.values())) / len(rest)
        fits = [c for c in rest if natural[c] <= fair]
        if not fits or len(fits) == len(rest):
            break
        kept.update((c, natural[c]) for c in fits)
    room = total - sum(kept.values())
    wanted = sum(natural[c] for c in rest)
    return [kept.get(c, room * natural[c] / wanted) for c in range(len(texts))]


def _overflows(texts: list[list[str]], size: float, layout: Layout, kind: str) -> bool:
    """Whether the columns' unbreakable content alone is wider than the text block."""
    padding = 2 * CELL_PADDING["form" if kind == "form" else "table"][1] + SLACK_PT
    need = sum(max((_floor_em(t) for t in cells), default=0.0) * size + padding for cells in texts)
    return need > mm_to_pt(layout.text_width_mm)


def turned(table: Table, layout: Layout) -> bool:
    """A table of the narrative too wide for the upright text block even at the smallest size:
    across the sheet it has half as much room again (GB/T 9704 §10.2)."""
    if table.kind == "form" or layout.page_width_mm > layout.page_height_mm:
        return False
    return fit(table, layout).overflow


def column_widths(table: Table, layout: Layout) -> list[float]:
    return fit(table, layout).widths


class _Setting:
    """One table's columns at one type size: what each needs, and whether a width leaves a
    character alone."""

    def __init__(self, texts: list[list[str]], size: float, kind: str, layout: Layout) -> None:
        self.texts = texts
        self.size = size
        self.padding = 2 * CELL_PADDING["form" if kind == "form" else "table"][1] + SLACK_PT
        self.step = size / 4
        self.total = mm_to_pt(layout.text_width_mm)

    def clean(self, c: int, width: float) -> bool:
        return not any(_orphan(t, (width - self.padding) / self.size) for t in self.texts[c])

    def _need(self, text: str, measure: Callable[[str], float]) -> float:
        return measure(text) * self.size + self.padding

    def floors(self, spanning: list[tuple[int, int, str]]) -> list[float]:
        """Each column's narrowest width: figures and short labels whole, no character alone (up
        to its widest text); a merged cell's figures whole across its columns."""
        floors = []
        for c, cells in enumerate(self.texts):
            floor = max((self._need(t, _floor_em) for t in cells), default=self.padding)
            widest = max((self._need(t, em_width) for t in cells), default=self.padding)
            while not self.clean(c, floor) and floor < widest:
                floor += self.step
            floors.append(floor)
        for start, span, text in spanning:
            need, have = self._need(text, _floor_em), sum(floors[start : start + span])
            if need > have:
                for c in range(start, start + span):
                    floors[c] += (need - have) / span
        return floors

    def tidied(self, widths: list[float], floors: list[float], weights: list[float]) -> list[float]:
        """A column whose share leaves a character alone narrowed to the nearest width that does
        not; what it gives up goes to columns that stay clean, else to the longest text."""
        widths = list(widths)
        freed = 0.0
        for c in range(len(widths)):
            while not self.clean(c, widths[c]) and widths[c] - self.step >= floors[c]:
                widths[c] -= self.step
                freed += self.step
        for c in sorted(range(len(widths)), key=lambda c: -weights[c]):
            amount = freed
            while amount > 0 and not self.clean(c, widths[c] + amount):
                amount -= self.step
            if amount > 0:
                widths[c] += amount
                freed -= amount
        if freed > 0:  # nowhere clean to put it: to the column of longest text, where it harms least
            longest = max(range(len(widths)), key=lambda c: max((em_width(t) for t in self.texts[c]), default=0.0))
            widths[longest] += freed
        return widths

    def starved(self, widths: list[float], weights: list[float], spanning: list[tuple[int, int, str]]) -> bool:
        """A column of running text (a 偏差原因, a 完成情况) squeezed to a sliver of its share reads
        as a ribbon of characters: a smaller size is better."""
        share = sum(weights) or 1.0
        runs = [(c, 1) for c in range(len(widths)) if any(em_width(t) > SHORT_TEXT for t in self.texts[c])]
        runs += [(c, n) for c, n, t in spanning if em_width(t) > SHORT_TEXT]
        return any(sum(widths[c : c + n]) < STARVED * self.total * sum(weights[c : c + n]) / share for c, n in runs)


def _widths(
    texts: list[list[str]],
    weights: list[float],
    size: float,
    kind: str,
    layout: Layout,
    spanning: list[tuple[int, int, str]] | None = None,
) -> tuple[list[float], bool]:
    """Widths at `size`: each column no narrower than its content needs, the rest shared by
    weight, then tidied so that no short text ends with a character alone.  ok: all of that was
    possible."""
    setting = _Setting(texts, size, kind, layout)
    floors = setting.floors(spanning or [])
    widths = _share(setting.total, weights, floors)
    if sum(floors) > setting.total:
        return widths, False
    widths = setting.tidied(widths, floors, weights)
    clean = all(setting.clean(c, widths[c]) for c in range(len(widths)))
    return widths, clean and not setting.starved(widths, weights, spanning or [])


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
