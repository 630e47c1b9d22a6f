"""A free table whose total row or total column adds up, and whose 其中 rows stay within their row.

A total row is labelled so anywhere in its label (合计, 总计, 本年支出合计, 一般公共预算小计 …);
rows of 其中 and subtotals are not added into it.  A cell that is meant as a number but is not
one ("22.", "1,2O0") is named, and only its own column goes unchecked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from decimal import Decimal

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic, Path_
from reportgen.input.model import FreeTable

TOTAL_WORDS = ("合计", "总计")
_PLAIN = re.compile(r"-?\d+(?:\.\d+)?")
_NUMBERISH = re.compile(r"^[-+]?[\d,，.。\s]*\d[\d,，.。\s]*[a-zA-Z]?$")  # digits with a stray mark
_BLANK = ("", "—", "-", "／", "/", "——")
_PART = ("其中", "含")


def _text(cell: object) -> str:
    return unicodedata.normalize("NFKC", str(cell)).strip()


def _number(cell: object) -> Decimal | None:
    """A cell as a number: YAML numbers, and text such as "1,234.56" (full-width digits too);
    None for anything else."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | Decimal):
        return Decimal(cell)
    text = _text(cell).replace(",", "")
    return Decimal(text) if _PLAIN.fullmatch(text) else None


def _blank(cell: object) -> bool:
    return isinstance(cell, str) and cell.strip() in _BLANK


def _label(row: Sequence[object], at: int) -> str:
    return re.sub(r"\s+", "", str(row[at]))


def _is_total(label: str) -> bool:
    return any(word in label for word in TOTAL_WORDS) or label.endswith("小计")


def _is_part(label: str) -> bool:
    """A 其中 row: a part of the row above it, not a row of its own."""
    return label.startswith(_PART)


def _stray(cells: list[tuple[int, object]]) -> tuple[int, str] | None:
    """In a column of numbers, a cell that looks like one but is not ("22.", "1,2O0")."""
    numbers = sum(_number(c) is not None for _, c in cells)
    for i, cell in cells:
        if _number(cell) is None and not _blank(cell) and numbers >= max(1, len(cells) // 2):
            text = _text(cell)
            if _NUMBERISH.match(text) or re.fullmatch(r"[\dOoIl,.]+", text):
                return i, str(cell)
    return None


@rule("表格", "表格合计", "表格数字", "其中")
def table_totals(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A table's total row and total column equal the sums of what they total; 其中 rows do not
    exceed their row."""
    for path, block in ctx.blocks():
        if block.表格 is not None:
            yield from _table(ctx, (*path, "表格"), block.表格)


def _table(ctx: CheckContext, here: Path_, table: FreeTable) -> Iterator[Diagnostic]:
    rows = table.行
    label_at = next((i for i, c in enumerate(rows[-1][:2]) if not _blank(c)), 0)
    labels = [_label(r, label_at) for r in rows]
    skip: set[int] = set()
    for col in range(label_at + 1, len(table.表头)):
        found = _stray([(i, r[col]) for i, r in enumerate(rows)])
        if found is not None:
            i, cell = found
            skip.add(col)
            yield ctx.warn(
                (*here, "行", i, col),
                f"表格「{table.表头[col]}」一列第 {i + 1} 行「{cell}」不是数字：请改正（这一列的合计未核对）",
                "表格数字",
            )
    if len(rows) > 1 and _is_total(labels[-1]):
        parts = [r for r, name in zip(rows[:-1], labels[:-1], strict=True) if not _is_part(name) and not _sub(name)]
        for col in range(label_at + 1, len(table.表头)):
            total, computed = _number(rows[-1][col]), _sum([r[col] for r in parts])
            if col not in skip and total is not None and computed is not None and total != computed:
                yield ctx.warn(
                    (*here, "行", len(rows) - 1, col),
                    f"表格「{table.表头[col]}」一列：各行之和为 {computed}，与合计行的 {total} 不符",
                    "表格合计",
                )
    yield from _parts_within(ctx, here, table, labels, label_at, skip)
    if len(table.表头) > 2 and str(table.表头[-1]).strip() in TOTAL_WORDS:
        for i, row in enumerate(rows):
            total, computed = _number(row[-1]), _sum(list(row[label_at + 1 : -1]))
            if total is not None and computed is not None and total != computed:
                yield ctx.warn(
                    (*here, "行", i, len(row) - 1),
                    f"表格第 {i + 1} 行：各列之和为 {computed}，与「{table.表头[-1]}」列的 {total} 不符",
                    "表格合计",
                )


def _sub(label: str) -> bool:
    return label.endswith("小计")


def _parts_within(
    ctx: CheckContext, here: Path_, table: FreeTable, labels: list[str], label_at: int, skip: set[int]
) -> Iterator[Diagnostic]:
    """The 其中 rows under a row add up to no more than that row."""
    rows = table.行
    parent: int | None = None
    group: list[int] = []
    for i in [*range(len(rows)), len(rows)]:
        if i < len(rows) and _is_part(labels[i]):
            group.append(i)
            continue
        if parent is not None and group:
            for col in range(label_at + 1, len(table.表头)):
                whole, parts = _number(rows[parent][col]), _sum([rows[g][col] for g in group])
                if col not in skip and whole is not None and parts is not None and parts > whole:
                    yield ctx.warn(
                        (*here, "行", group[0], col),
                        f"表格「{table.表头[col]}」一列：「{labels[group[0]]}」等其中各项合计 {parts}，"
                        f"超过所属的「{labels[parent]}」{whole}",
                        "其中",
                    )
        parent, group = (i if i < len(rows) else None), []


def _sum(cells: list[object]) -> Decimal | None:
    """The sum of a run of cells, blanks as 0; None when one is not a number or none is."""
    values = [_number(c) for c in cells if not _blank(c)]
    numbers = [v for v in values if v is not None]
    if not values or len(numbers) != len(values):
        return None
    return sum(numbers, Decimal(0))
