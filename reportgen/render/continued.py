"""Merged cells cut where a page starts, so that a group's label (一级指标「产出指标」) is printed
again at the top of the page it continues on, in both files.

Where the pages start is known only once the PDF is laid out (render/grid.py finds the rows that
open a page); the table is then written with each merged cell that reaches across such a row cut
in two, the second part carrying the same text.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator
from dataclasses import replace

from reportgen.compose.tree import Cell, Table


def placed(table: Table) -> Iterator[tuple[int, int, Cell]]:
    """Every cell with its first row and first column."""
    occupied: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        c = 0
        for cell in row:
            while (r, c) in occupied:
                c += 1
            yield r, c, cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    occupied.add((r + dr, c + dc))
            c += cell.colspan


def merges_rows(table: Table) -> bool:
    """A cell below the header rows covers several rows: a page may start inside it."""
    return any(cell.rowspan > 1 and r >= table.header_rows for r, _, cell in placed(table))


def crossed(table: Table, rows: Collection[int]) -> tuple[int, ...]:
    """Of `rows`, those a merged cell reaches across (starts inside it, not at its top)."""
    inside = {r + k for r, _, cell in placed(table) for k in range(1, cell.rowspan)}
    return tuple(sorted(r for r in rows if r in inside))


def cut(table: Table, starts: Collection[int]) -> Table:
    """The table with every merged cell that reaches across a row of `starts` cut there, the
    part below carrying the cell's text again."""
    starts = set(starts)
    if not starts:
        return table
    by_row: list[list[tuple[int, Cell]]] = [[] for _ in table.rows]
    for r, c, cell in placed(table):
        cuts = sorted(b for b in starts if r < b < r + cell.rowspan)
        if not cuts:
            by_row[r].append((c, cell))
            continue
        edges = [r, *cuts, r + cell.rowspan]
        for top, bottom in itertools.pairwise(edges):
            by_row[top].append((c, replace(cell, rowspan=bottom - top)))
    rows = [[cell for _, cell in sorted(row, key=lambda pair: pair[0])] for row in by_row]
    return replace(table, rows=rows)
