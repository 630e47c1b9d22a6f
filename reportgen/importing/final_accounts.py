"""The year's 部门决算 tables (the national 公开 layouts) read into 部门整体收支情况.

The tables are found by their labels, never by position: whatever sheet they are on, a figure
is the amount beside its row label (收入支出决算总表, 财政拨款收入支出决算总表) or under its
column heading on the 合计 row (收入决算表, 支出决算表).  Amounts are taken as shown and kept
as Decimal; a table in 元 is turned into 万元 exactly (and the YAML told to print two places).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

MAX_BYTES = 30_000_000
MAX_CELLS = 2_000_000

Key = tuple[str, ...]

# What each figure is called in the tables, in the spellings departments use.
ROW_LABELS: list[tuple[Key, tuple[str, ...]]] = [
    (("本年收入",), ("本年收入合计", "本年收入", "收入合计")),
    (
        ("收入来源", "一般公共预算财政拨款收入"),
        ("一般公共预算财政拨款收入", "一般公共预算财政拨款", "一般公共预算拨款收入"),
    ),
    (("收入来源", "政府性基金预算财政拨款收入"), ("政府性基金预算财政拨款收入", "政府性基金预算财政拨款")),
    (("收入来源", "国有资本经营预算财政拨款收入"), ("国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款")),
    (("收入来源", "上级补助收入"), ("上级补助收入",)),
    (("收入来源", "事业收入"), ("事业收入",)),
    (("收入来源", "经营收入"), ("经营收入",)),
    (("收入来源", "附属单位上缴收入"), ("附属单位上缴收入",)),
    (("收入来源", "其他收入"), ("其他收入",)),
    (("年初结转和结余",), ("年初结转和结余", "年初结转结余", "上年结转和结余", "上年结转结余")),
    (("本年支出",), ("本年支出合计", "本年支出", "支出合计")),
    (("年末结转和结余",), ("年末结转和结余", "年末结转结余")),
    (("支出性质", "人员经费"), ("人员经费合计", "人员经费")),
    (("支出性质", "公用经费"), ("公用经费合计", "公用经费")),
]
COLUMN_LABELS: list[tuple[Key, tuple[str, ...]]] = [
    (("支出性质", "基本支出"), ("基本支出",)),
    (("支出性质", "项目支出"), ("项目支出",)),
    (("收入来源", "财政拨款收入"), ("财政拨款收入", "财政拨款")),
]
# 财政拨款收入支出决算总表: spending by source, the columns of its 本年支出合计 row
SOURCE_COLUMNS: list[tuple[Key, tuple[str, ...]]] = [
    (("资金来源", "一般公共预算财政拨款"), ("一般公共预算财政拨款",)),
    (("资金来源", "政府性基金预算财政拨款"), ("政府性基金预算财政拨款",)),
    (("资金来源", "国有资本经营预算财政拨款"), ("国有资本经营预算财政拨款",)),
]
TOTAL_ROW = ("合计", "总计", "本年支出合计", "本年收入合计")
AMOUNT_HEADINGS = ("金额", "决算数", "本年决算数", "本年数", "年度决算数")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])")
_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(万元|千元|元)")
_YEAR = re.compile(r"(20\d{2})\s*年")
_UNIT_NAME = re.compile(r"(?:编制单位|单位名称|部门名称|部门)[:：]\s*(\S.+)")


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]


@dataclass
class Found:
    figures: dict[Key, Decimal] = field(default_factory=dict)
    where: dict[Key, str] = field(default_factory=dict)  # sheet!cell, for the comments
    in_yuan: bool = False
    unit: str = ""
    year: int | None = None
    unmapped: list[str] = field(default_factory=list)  # labelled amounts no key takes
    missing: list[str] = field(default_factory=list)  # tables not found


def read_workbook(path: Path) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: 错误: 文件不存在" if not path.exists() else f"{name}: 错误: 不是文件")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{name}: 错误: 文件过大（{size // 1_000_000} MB，上限 {MAX_BYTES // 1_000_000} MB）")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        from reportgen.input.archives import check_archive

        check_archive(path, "该工作簿")
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = []
        cells = 0
        for sheet_name in book.sheet_names:
            rows = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
            if cells > MAX_CELLS:
                raise InputError(f"{name}: 错误: 工作簿过大（超过 {MAX_CELLS} 个单元格）")
            sheets.append(Sheet(sheet_name, [list(r) for r in rows]))
    except InputError:
        raise
    except Exception as exc:  # calamine's errors for a damaged or password-protected file
        raise InputError(f"{name}: 错误: 无法读取工作簿，文件可能已损坏、加密或不是 Excel 文件（{exc}）") from exc
    return sheets


def _label(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    text = re.sub(r"\s+", "", value)
    return _NUMBERING.sub("", text).rstrip("：:")


def _number(value: Any) -> Decimal | None:
    """A cell's amount as shown: a number's shortest form (what Excel shows), or text "1,234.50"."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    text = str(value).strip().replace(",", "").replace("，", "")
    if text in ("", "-", "—", "——"):
        return Decimal(0) if text else None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _money(value: Decimal) -> Decimal:
    """At least the two places a table shows amounts with (a number cell stores 2812.3 for
    2812.30); every further digit kept (元 turned into 万元)."""
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal("0.01")) if isinstance(exponent, int) and exponent > -2 else value


def _cell_name(row: int, column: int) -> str:
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def read_figures(sheets: list[Sheet]) -> Found:
    found = Found()
    _unit_and_year(sheets, found)
    found.in_yuan = found.unit in ("元", "千元")
    scale = Decimal(10000) if found.unit == "元" else Decimal(10) if found.unit == "千元" else Decimal(1)
    used: set[tuple[str, int, int]] = set()
    for key, spellings in ROW_LABELS:
        _take(found, key, _beside(sheets, spellings, used), scale)
    for key, spellings in COLUMN_LABELS:
        if key not in found.figures:
            _take(found, key, _under(sheets, spellings), scale)
    for key, spellings in SOURCE_COLUMNS:
        _take(found, key, _under(sheets, spellings, totals=("本年支出合计", "支出合计")), scale)
    _sums(found)
    for what, keys in (
        ("收入支出决算总表（本年收入合计、年末结转和结余）", [("本年收入",), ("年末结转和结余",)]),
        ("支出决算表（基本支出、项目支出）", [("支出性质", "基本支出"), ("支出性质", "项目支出")]),
    ):
        if not any(k in found.figures for k in keys):
            found.missing.append(what)
    return found


def _unit_and_year(sheets: list[Sheet], found: Found) -> None:
    """The amounts' unit (the first 单位：) and the year the tables are of."""
    for sheet in sheets:
        for row in sheet.rows:
            for value in row:
                if not isinstance(value, str):
                    continue
                unit = _UNIT.search(value.replace(" ", ""))
                if unit and not found.unit:
                    found.unit = unit[1]
                year = _YEAR.search(value)
                if year and found.year is None and ("决算" in value or "年度" in value):
                    found.year = int(year[1])


def _take(found: Found, key: tuple[str, ...], hit: tuple[Decimal, str] | None, scale: Decimal) -> None:
    if hit is not None:
        found.figures[key] = _money(hit[0] / scale)
        found.where[key] = hit[1]


def _sums(found: Found) -> None:
    """Figures the tables give only as parts: 其他资金 as spending less the appropriations, and
    财政拨款收入 as its three kinds."""
    sources = [found.figures.get(k) for k, _ in SOURCE_COLUMNS]
    spent = found.figures.get(("本年支出",))
    if spent is not None and any(v is not None for v in sources):
        found.figures[("资金来源", "其他资金")] = spent - sum((v for v in sources if v is not None), Decimal(0))
        found.where[("资金来源", "其他资金")] = "本年支出合计减去各项财政拨款支出"
    income = [
        found.figures.get(("收入来源", k))
        for k in ("一般公共预算财政拨款收入", "政府性基金预算财政拨款收入", "国有资本经营预算财政拨款收入")
    ]
    if ("收入来源", "财政拨款收入") not in found.figures and any(v is not None for v in income):
        found.figures[("收入来源", "财政拨款收入")] = sum((v for v in income if v is not None), Decimal(0))
        found.where[("收入来源", "财政拨款收入")] = "三项财政拨款收入之和"


def _beside(
    sheets: list[Sheet], spellings: tuple[str, ...], used: set[tuple[str, int, int]]
) -> tuple[Decimal, str] | None:
    """The amount on the row of the first cell labelled so: in the 金额 column when the table
    has one, else the first amount to its right that is not a 行次 number."""
    for spelling in spellings:
        for sheet in sheets:
            amount_columns = _amount_columns(sheet)
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if _label(value) != spelling or (sheet.name, r, c) in used:
                        continue
                    for c2 in range(c + 1, len(row)):
                        if _label(row[c2]) and _label(row[c2]) != spelling:
                            break  # the next label: the other half of a two-sided table
                        if amount_columns and c2 not in amount_columns:
                            continue
                        number = _number(row[c2])
                        if number is not None and not _is_line_number(sheet, r, c2, number):
                            used.add((sheet.name, r, c))
                            return number, f"{sheet.name}!{_cell_name(r, c2)}"
    return None


def _amount_columns(sheet: Sheet) -> set[int]:
    columns: set[int] = set()
    for row in sheet.rows[:12]:
        for c, value in enumerate(row):
            if _label(value) in AMOUNT_HEADINGS:
                columns.add(c)
    return columns


def _is_line_number(sheet: Sheet, row: int, column: int, number: Decimal) -> bool:
    """A 行次 column: headed so, or small whole numbers counting down the rows."""
    for r in range(min(row, 12)):
        if column < len(sheet.rows[r]) and _label(sheet.rows[r][column]) in ("行次", "栏次"):
            return True
    return False


def _under(
    sheets: list[Sheet], spellings: tuple[str, ...], totals: tuple[str, ...] = TOTAL_ROW
) -> tuple[Decimal, str] | None:
    """The amount under a column heading, on the table's 合计 row."""
    for spelling in spellings:
        for sheet in sheets:
            for r, row in enumerate(sheet.rows):
                for c, value in enumerate(row):
                    if _label(value) != spelling:
                        continue
                    for r2 in range(r + 1, len(sheet.rows)):
                        below = sheet.rows[r2]
                        if any(_label(v) in totals for v in below[: max(c, 1)]):
                            number = _number(below[c]) if c < len(below) else None
                            if number is not None:
                                return number, f"{sheet.name}!{_cell_name(r2, c)}"
                            break
    return None
