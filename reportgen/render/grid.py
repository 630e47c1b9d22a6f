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

from collections.abc import Collection, Sequence
from typing import Any, Protocol

from reportgen.compose.tree import Document, Node, Paragraph, Table
from reportgen.page import Layout

Pads = dict[int, float]  # node index → space before it, in points

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


class LayOut(Protocol):
    """One layout of the document's HTML with the given space (WeasyPrint's laid-out document);
    `only` some nodes, each of `page_starts` on a new page."""

    def __call__(self, pads: Pads, only: Sequence[int] | None = None, page_starts: Collection[int] = ()) -> Any: ...


def runs(document: Document) -> list[tuple[int, int]]:
    """(first node of the off-grid block, the follower) for each follower."""
    spans = []
    for follower in followers(document):
        first = follower - 1
        while first > 0 and off_grid(document.nodes[first - 1]):
            first -= 1
        spans.append((first, follower))
    return spans


def settle(lay_out: LayOut, document: Document, layout: Layout) -> tuple[Any, Pads]:
    """Lay the document out until every follower starts on a grid line; return the last
    layout (a WeasyPrint document, ready to be written) and the space it was laid out with.

    The first guess comes from the tables alone, each laid out at the top of a page of its own
    (a small layout); the whole document is then laid out with it, and again only where a
    table split across pages needs other space."""
    spans = runs(document)
    pads: Pads = {}
    short = [(f, last) for f, last in spans if _rows(document, f, last) <= GUESS_ROWS]
    if short:
        alone = lay_out({}, [i for first, last in short for i in range(first, last + 1)], {f for f, _ in short})
        _correct(alone, [last for _, last in short], pads, layout)
    laid = lay_out(pads)
    for _ in range(MAX_PASSES - 1):
        if not _correct(laid, [last for _, last in spans], pads, layout):
            break
        laid = lay_out(pads)
    return laid, pads


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
