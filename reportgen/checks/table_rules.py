"""A free table whose last row or last column is a 合计 adds up."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic

TOTAL_WORDS = ("合计", "总计")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_BLANK = ("", "—", "-", "／", "/")


def _number(cell: object) -> Decimal | None:
    """A cell as a number: YAML numbers, and text such as "1,234.56"; None for anything else."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    text = str(cell).strip().replace(",", "").replace("，", "")
    return Decimal(text) if _PLAIN.fullmatch(text) else None


def _blank(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip() in _BLANK


def _is_total(label: object) -> bool:
    return isinstance(label, str) and label.replace(" ", "").startswith(TOTAL_WORDS)


def _sum(cells: list[object]) -> Decimal | None:
    """The sum of a run of cells, blanks as 0; None when one is not a number or none is."""
    values = [_number(c) for c in cells if not _blank(c)]
    numbers = [v for v in values if v is not None]
    if not values or len(numbers) != len(values):
        return None
    return sum(numbers, Decimal(0))


@rule("表格", "表格合计")
def table_totals(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A table's total row and total column equal the sums of what they total."""
    for path, block in ctx.blocks():
        table = block.表格
        if table is None:
            continue
        here = (*path, "表格")
        rows = table.行
        last = rows[-1]
        label_at = next((i for i, c in enumerate(last[:2]) if not _blank(c)), 0)
        if len(rows) > 1 and _is_total(last[label_at]):
            parts = [r for r in rows[:-1] if not str(r[label_at]).strip().startswith(("其中", "小计"))]
            for col in range(label_at + 1, len(table.表头)):
                total = _number(last[col])
                computed = _sum([r[col] for r in parts])
                if total is not None and computed is not None and total != computed:
                    yield ctx.warn(
                        (*here, "行", len(rows) - 1, col),
                        f"表格「{table.表头[col]}」一列：各行之和为 {computed}，与合计行的 {total} 不符",
                        "表格合计",
                    )
        if len(table.表头) > 2 and str(table.表头[-1]).strip() in TOTAL_WORDS:
            for i, row in enumerate(rows):
                total = _number(row[-1])
                computed = _sum(list(row[1:-1]))
                if total is not None and computed is not None and total != computed:
                    yield ctx.warn(
                        (*here, "行", i, len(row) - 1),
                        f"表格第 {i + 1} 行：各列之和为 {computed}，与「{table.表头[-1]}」列的 {total} 不符",
                        "表格合计",
                    )
