"""A PDF's ruled tables as a reader sees them: each page's tables, their rows and cells, and the
lines of text in each cell; and what is wrong with them on paper (a continuation page that does
not open with the column headings, a figure split from its sign, a label that leaves one
character alone on a line, a closing mark inked past the cell's rule).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.page import HANG_EM
from reportgen.render.pdf.justify import HANGING

EDGE = 1.5  # points: two rules closer than this are one
SHORT = 12  # characters: a cell this short is a label, not running text
_SPLIT = re.compile(r"[0-9.,]$")
_GOES_ON = re.compile(r"^[0-9.%％]")
_PUNCT = set("，。、；：！？）》”’（《“‘")

Box = tuple[float, float, float, float]  # x0, top, x1, bottom (points)


@dataclass
class Cell:
    box: Box
    lines: list[str] = field(default_factory=list)  # its text, line by line
    marks: list[tuple[str, float, float]] = field(default_factory=list)  # closing marks: (text, x0, size)

    @property
    def text(self) -> str:
        return "".join(self.lines)


@dataclass
class Row:
    cells: list[Cell]

    @property
    def text(self) -> str:
        return "|".join(c.text for c in self.cells)

    @property
    def edges(self) -> list[float]:
        xs = sorted({round(c.box[0], 1) for c in self.cells} | {round(c.box[2], 1) for c in self.cells})
        return xs

    @property
    def top(self) -> float:
        return min(c.box[1] for c in self.cells)


@dataclass
class PageTables:
    page: int  # 1-based
    tables: list[list[Row]]
    text_top: float  # where the page's first text stands (points), to tell a table at the top


def _within(box: Box, char: dict[str, Any]) -> bool:
    """The character belongs to the cell (a closing mark by where its advance starts, which is
    inside the cell it ends a line of, though its ink may hang past the rule)."""
    x = char["x0"] - 0.01 if char["text"] in HANGING else (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cell(box: Box, chars: list[dict[str, Any]]) -> Cell:
    inside = sorted((c for c in chars if _within(box, c)), key=lambda c: (round(c["top"]), c["x0"]))
    lines: list[list[dict[str, Any]]] = []
    for char in inside:
        if lines and abs(lines[-1][0]["top"] - char["top"]) < 2:
            lines[-1].append(char)
        else:
            lines.append([char])
    texts = ["".join(c["text"] for c in sorted(line, key=lambda c: c["x0"])).strip() for line in lines]
    marks = [(c["text"], c["x0"], c["size"]) for c in inside if c["text"] in HANGING]
    return Cell(box, [t for t in texts if t], marks)


def read_tables(pdf: Any) -> list[PageTables]:
    found = []
    for number, page in enumerate(pdf.pages, 1):
        chars = [c for c in page.chars if c["text"].strip() and c.get("upright", True)]
        tables = []
        for table in page.find_tables():
            rows = [Row([_cell(box, chars) for box in row.cells if box is not None]) for row in table.rows]
            tables.append([row for row in rows if row.cells])
        top = min((c["top"] for c in chars), default=0.0)
        found.append(PageTables(number, [t for t in tables if t], top))
    return found


def _subset(small: list[float], large: list[float]) -> bool:
    return all(any(abs(x - y) <= EDGE for y in large) for x in small)


def continuations(pages: list[PageTables]) -> list[tuple[int, str, str]]:
    """Pages where a table goes on from the page before without its column headings: (page,
    the row it opens with, the headings it should open with).  A page opens wrongly when it
    repeats some other row of the table (the unit's name, say) in place of the headings, or when
    its first row has the very columns the page before ended with; a row with columns of its own
    starts a new part of the table, which the headings above do not name."""
    missing = []
    for before, page in itertools.pairwise(pages):
        if not page.tables or not before.tables:
            continue
        first = page.tables[0]
        if len(first) < 2 or first[0].top - page.text_top > EDGE * 2:
            continue  # not a table at the top of the page, or nothing under its first row
        run = _this_run(pages, page.page)
        repeated = any(row.text == first[0].text for row in run)
        if not repeated and not _same(first[0].edges, before.tables[-1][-1].edges):
            continue
        body = first[1] if repeated else first[0]
        heading = next((row for row in run if _subset(body.edges, row.edges) and row is not body), None)
        if heading is not None and heading.text != first[0].text:
            missing.append((page.page, first[0].text, heading.text))
    return missing


def _same(one: list[float], other: list[float]) -> bool:
    return len(one) == len(other) and _subset(one, other)


def _this_run(pages: list[PageTables], page: int) -> list[Row]:
    """The rows of the table that reaches `page`, from the page where it began: back through the
    pages that open with a table at the top."""
    start = page - 1
    while start > 1:
        previous = pages[start - 1]
        if not previous.tables or previous.tables[0][0].top - previous.text_top > EDGE * 2:
            break
        start -= 1
    rows = []
    for earlier in pages[start - 1 : page - 1]:
        for table in earlier.tables:
            rows.extend(table)
    return rows


def broken_cells(pages: list[PageTables]) -> list[tuple[int, str]]:
    """Cells whose text is broken where it may not be: a figure split from its sign or unit, a
    short label leaving one character alone on a line.  (page, the cell's lines)."""
    bad = []
    for page in pages:
        for table in page.tables:
            for row in table:
                for cell in row.cells:
                    if _broken(cell):
                        bad.append((page.page, " / ".join(cell.lines)))
    return bad


def _broken(cell: Cell) -> bool:
    return broken_lines(cell.lines, SHORT)


def broken_lines(lines: list[str], short: int) -> bool:
    """A figure split from its sign or unit (96.23 / %), or a label of `short` characters or
    fewer leaving one of them alone on a line (满意 / 度)."""
    if len(lines) < 2:
        return False
    for line, following in itertools.pairwise(lines):
        if _SPLIT.search(line) and _GOES_ON.match(following):
            return True
    text = "".join(lines)
    return len(text) <= short and any(len(line) == 1 and line not in _PUNCT for line in lines)


def marks_past_rules(pages: list[PageTables]) -> list[tuple[int, str]]:
    """Closing marks whose ink crosses the cell's right-hand rule: (page, mark and its cell)."""
    bad = []
    for page in pages:
        for table in page.tables:
            for row in table:
                for cell in row.cells:
                    for mark, x0, size in cell.marks:
                        if x0 + HANG_EM * size > cell.box[2] + 0.5:
                            bad.append((page.page, f"「{mark}」在「{cell.text[:10]}」"))
    return bad
