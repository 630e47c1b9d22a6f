"""Text after a table back on the line grid.

Body text sits on a grid of 22 lines a page (GB/T 9704 §5.2.2); a table, and the small print
around it, has the height its rows need, so what follows it would start between two grid lines
and stay off the grid to the end of the page.  The line after such a block is given the space
that brings it down to the next grid line.  How much depends on the table's laid-out height, so
the PDF engine lays the document out, the positions of those lines are read, the space is added
and the layout repeated until every one sits on the grid (a table split across pages changes
the space it needs, so the first correction is not always the last).  The Word file gets the
same space before the same paragraphs; LibreOffice sets its tables within a point of the PDF's,
and Word and LibreOffice, like the PDF, drop the space at the top of a page.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from reportgen.compose.tree import Document, Node, Paragraph, Table
from reportgen.page import Layout
from reportgen.render.continued import crossed, merges_rows

Pads = dict[int, float]  # node index → space before it, in points


@dataclass(frozen=True)
class Settled:
    """What the PDF's layout decided, that the Word file and the HTML take as they are: the space
    before each line that follows a table, and the rows of a table that open a page inside a
    merged cell (render/continued.py cuts the cell there)."""

    pads: Pads = field(default_factory=dict)
    page_starts: dict[int, tuple[int, ...]] = field(default_factory=dict)  # table node index → rows

    def starts(self, index: int) -> tuple[int, ...]:
        return self.page_starts.get(index, ())


UNSETTLED = Settled()

PX_PER_PT = 96 / 72
MAX_PASSES = 3
GUESS_ROWS = 25  # a table longer than this is likely to run onto another page: no first guess
TOLERANCE = 0.02  # of a line: what a twentieth-of-a-point rounding leaves
TWENTIETH = 0.05  # points: Word's unit for spacing, used for both files so that they agree


def off_grid(node: Node) -> bool:
    """A table, and the unit line and notes in small print that go with it."""
    return isinstance(node, Table) or (isinstance(node, Paragraph) and node.align in ("note", "unit"))


def followers(document: Document) -> list[int]:
    """Indices of the nodes that follow an off-grid block and so may need space before them."""
    nodes = document.nodes
    return [i for i in range(1, len(nodes)) if off_grid(nodes[i - 1]) and not off_grid(nodes[i])]


def anchor(index: int) -> str:
    return f"g{index}"


def row_anchor(index: int, row: int) -> str:
    return f"r{index}-{row}"


_ROW = re.compile(r"^r(\d+)-(\d+)$")


def needs_layout(document: Document) -> bool:
    """Whether the Word file waits for the PDF's layout: text after a table to put on the grid, or
    a table whose merged cells a page may cut."""
    return bool(followers(document)) or bool(split_tables(document))


def split_tables(document: Document) -> list[int]:
    """Tables with merged cells a page may start inside (their rows carry anchors)."""
    return [i for i, node in enumerate(document.nodes) if isinstance(node, Table) and merges_rows(node)]


class LayOut(Protocol):
    """One layout of the document's HTML as settled so far (WeasyPrint's laid-out document);
    `only` some nodes, each of `new_pages` on a new page."""

    def __call__(self, settled: Settled, only: Sequence[int] | None = None, new_pages: Collection[int] = ()) -> Any: ...


def runs(document: Document) -> list[tuple[int, int]]:
    """(first node of the off-grid block, the follower) for each follower."""
    spans = []
    for follower in followers(document):
        first = follower - 1
        while first > 0 and off_grid(document.nodes[first - 1]):
            first -= 1
        spans.append((first, follower))
    return spans


def settle(lay_out: LayOut, document: Document, layout: Layout, memo: Any = None) -> tuple[Any, Settled]:
    """Lay the document out until every follower starts on a grid line and every merged cell a
    page starts inside is cut there; return the last layout (a WeasyPrint document, ready to be
    written) and what it was laid out with.

    The first guess comes from the tables alone, each laid out at the top of a page of its own
    (a small layout); the whole document is then laid out with it, and again only where a
    table split across pages needs other space, or its merged cells another cut.  With `memo`
    (render/layout_memo.py), what the same HTML settled before is tried first, and kept only if
    the layout with it is already settled: the pages are the same either way."""
    spans = runs(document)
    split = split_tables(document)
    whole = memo.key(UNSETTLED) if memo is not None else None
    if whole is not None and (known := _settled_from(memo.load(whole))) is not None:
        laid = lay_out(known)
        pads = dict(known.pads)
        moved = _correct(laid, [last for _, last in spans], pads, layout)
        if not moved and (_page_starts(laid, document, split) if split else {}) == known.page_starts:
            return laid, known
    pads = _first_guess(lay_out, document, layout, spans, memo)
    settled = Settled(pads)
    laid = lay_out(settled)
    for _ in range(MAX_PASSES):
        pads = dict(settled.pads)
        moved = _correct(laid, [last for _, last in spans], pads, layout)
        starts = _page_starts(laid, document, split) if split else {}
        if not moved and starts == settled.page_starts:
            break
        settled = Settled(pads, starts)
        laid = lay_out(settled)
    if whole is not None:
        memo.save(whole, _settled_to(settled))
    return laid, settled


def _first_guess(lay_out: LayOut, document: Document, layout: Layout, spans: list[tuple[int, int]], memo: Any) -> Pads:
    """The space after each short table as it comes out laid out alone at the top of a page."""
    pads: Pads = {}
    short = [(f, last) for f, last in spans if _rows(document, f, last) <= GUESS_ROWS]
    if not short:
        return pads
    only = [i for first, last in short for i in range(first, last + 1)]
    new_pages = {f for f, _ in short}
    key = memo.key(UNSETTLED, only, new_pages) if memo is not None else None
    known = memo.load(key) if key is not None else None
    if isinstance(known, dict):
        with contextlib.suppress(ValueError, TypeError):
            return {int(k): float(v) for k, v in known.items()}
    alone = lay_out(UNSETTLED, only, new_pages)
    _correct(alone, [last for _, last in short], pads, layout)
    if key is not None:
        memo.save(key, {str(k): v for k, v in pads.items()})
    return pads


def _settled_to(settled: Settled) -> dict[str, Any]:
    return {
        "pads": {str(k): v for k, v in settled.pads.items()},
        "starts": {str(k): list(v) for k, v in settled.page_starts.items()},
    }


def _settled_from(value: Any) -> Settled | None:
    """A remembered Settled, or None when the entry is not one."""
    if not isinstance(value, dict):
        return None
    try:
        pads = {int(k): float(v) for k, v in value["pads"].items()}
        starts = {int(k): tuple(int(r) for r in v) for k, v in value["starts"].items()}
    except (KeyError, ValueError, TypeError, AttributeError):
        return None
    return Settled(pads, starts)


def _page_starts(laid: Any, document: Document, tables: list[int]) -> dict[int, tuple[int, ...]]:
    """For each table, the rows that open a page it continues on, where a merged cell is cut."""
    pages: dict[int, list[int]] = {}
    for page in laid.pages:
        first: dict[int, int] = {}
        for name in page.anchors:
            found = _ROW.match(name)
            if found:
                table, row = int(found[1]), int(found[2])
                first[table] = min(first.get(table, row), row)
        for table, row in first.items():
            pages.setdefault(table, []).append(row)
    starts = {}
    for table in tables:
        node = document.nodes[table]
        assert isinstance(node, Table)
        rows = crossed(node, pages.get(table, [])[1:])  # the page it begins on is no cut
        if rows:
            starts[table] = rows
    return starts


def _rows(document: Document, first: int, last: int) -> int:
    return sum(len(n.rows) for n in document.nodes[first:last] if isinstance(n, Table))


def _correct(laid: Any, indices: list[int], pads: Pads, layout: Layout) -> bool:
    """Add to `pads` what brings each follower in `laid` down to the next grid line; whether
    anything changed."""
    pitch = layout.line_pitch_pt
    top = layout.margin_top_mm * 72 / 25.4
    where: dict[str, float] = {}
    for page in laid.pages:  # a paragraph split across pages is anchored on both: the first counts
        for name, box in page.anchors.items():
            where.setdefault(name, box[1])
    changed = False
    for index in indices:
        y = where.get(anchor(index))
        if y is None:
            continue
        lines = (y / PX_PER_PT - top) / pitch
        behind = lines - int(lines)
        if behind < TOLERANCE or behind > 1 - TOLERANCE:
            continue
        wanted = (pads.get(index, 0.0) + (1 - behind) * pitch) % pitch
        pads[index] = round(round(wanted / TWENTIETH) * TWENTIETH, 2)
        changed = True
    return changed
