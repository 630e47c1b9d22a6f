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
MAX_ROWS = 100_000  # a 决算 table has hundreds of rows and a few dozen columns
MAX_COLUMNS = 1_000

Key = tuple[str, ...]
Hit = tuple[Decimal, str, str]  # the amount as shown, its cell, its sheet

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
_AMOUNT = re.compile(r"^-?\d{1,15}(?:\.\d{1,10})?$")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
LARGEST = Decimal(10) ** 15  # no department's amount comes near: a larger one is not an amount
_UNIT_NAME = re.compile(r"(?:编制单位|单位名称|部门名称|部门)(?:[（(][^)）]{1,4}[)）])?[:：]\s*(\S.+)")


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
    name: str = ""  # the unit that made the tables (编制单位), for a new file
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
        from reportgen.input.archives import check_archive, sheet_extents

        check_archive(path, "该工作簿")
        if path.suffix.lower() != ".ods":
            _refuse_vast(name, sheet_extents(path))
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


def _refuse_vast(name: str, extents: dict[str, tuple[int, int]]) -> None:
    """A sheet whose cells reach further than a 决算 table could (a stray cell at XFD1048576): the
    reader would lay out every cell between, so the workbook is named and not read."""
    for part, (rows, columns) in extents.items():
        if part == "sharedStrings.xml" and rows > MAX_CELLS:
            raise InputError(f"{name}: 错误: 工作簿声明的文字过多（{rows} 条），不像部门决算表，未读取")
        if rows * max(columns, 1) > MAX_CELLS or rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise InputError(
                f"{name}: 错误: 工作表「{part}」的范围过大（{rows} 行 × {columns} 列，多半是远处有一个误填的单元格），"
                "不像部门决算表，未读取：请删去多余的行列后另存"
            )


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
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return number if number.is_finite() and abs(number) < LARGEST else None
    text = re.sub(r"[\s,，\u00a0\u3000]", "", str(value)).translate(_FULL_WIDTH)
    if text in ("", "-", "—", "——"):
        return Decimal(0) if text else None
    if not _AMOUNT.match(text):
        return None  # not an amount as a table shows one (1e999999999, NaN, a note)
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


# Each table by what its title calls it (any sheet, any order), else by its 公开NN表 number.
KINDS: list[tuple[str, str]] = [
    ("三公", "三公"),
    ("财政拨款收入支出决算总表", "财政拨款总表"),
    ("一般公共预算财政拨款基本支出", "一般公共基本"),
    ("一般公共预算财政拨款支出", "一般公共支出"),
    ("政府性基金", "基金"),
    ("国有资本经营", "国资"),
    ("收入支出决算总表", "总表"),
    ("收入决算表", "收入"),
    ("基本支出决算", "基本"),
    ("支出决算表", "支出"),
]
NUMBERED = {1: "总表", 2: "收入", 3: "支出", 4: "财政拨款总表", 5: "一般公共支出", 6: "一般公共基本", 7: "三公"}
_NUMBER_TITLE = re.compile(r"公开\s*0?(\d{1,2})\s*表")
SCALES = {"元": Decimal(10000), "千元": Decimal(10), "万元": Decimal(1)}
# where each figure is looked for, by table kind, first kind first
WHOLE = ("总表", "收入", "支出", "基本", "其他")
EXPECTED: list[tuple[Key, str]] = [
    (("本年收入",), "收入支出决算总表"),
    (("本年支出",), "收入支出决算总表"),
    (("年初结转和结余",), "收入支出决算总表"),
    (("年末结转和结余",), "收入支出决算总表"),
    (("支出性质", "人员经费"), "基本支出决算表（全部资金）"),
    (("支出性质", "公用经费"), "基本支出决算表（全部资金）"),
]


@dataclass
class Table:
    sheet: Sheet
    kind: str
    unit: str  # from its own heading; the other tables' when it has none


def tables_of(sheets: list[Sheet]) -> list[Table]:
    """Each sheet as the table its title names, with the unit its own heading gives."""
    found = []
    for sheet in sheets:
        head = [v for row in sheet.rows[:6] for v in row if isinstance(v, str)]
        names = [v for row in sheet.rows[:4] for v in row if isinstance(v, str) and "表" in v]
        title = re.sub(r"\s+", "", "".join(names) + sheet.name)  # the title's cell, not the rows' labels
        kind = next((k for words, k in KINDS if words in title), "")
        number = _NUMBER_TITLE.search(title)
        if not kind and number:
            kind = NUMBERED.get(int(number[1]), "其他")
        unit = next((m[1] for v in head if (m := _UNIT.search(v.replace(" ", "")))), "")
        found.append(Table(sheet, kind or "其他", unit))
    units = [t.unit for t in found if t.unit and t.kind not in ("三公",)]
    common = max(set(units), key=units.count) if units else ""
    for table in found:
        table.unit = table.unit or common
    return found


def read_figures(sheets: list[Sheet]) -> Found:
    found = Found()
    tables = tables_of(sheets)
    _year(sheets, found)
    scale = {t.sheet.name: SCALES.get(t.unit, Decimal(1)) for t in tables}
    found.unit = next((t.unit for t in tables if t.kind in WHOLE and t.unit), "")
    used: set[tuple[str, int, int]] = set()
    whole = [t.sheet for kind in WHOLE for t in tables if t.kind == kind]
    for key, spellings in ROW_LABELS:
        if key[0] != "支出性质":
            _take(found, key, _beside(whole, spellings, used), scale)
    for key, spellings in COLUMN_LABELS:
        if key not in found.figures:
            _take(found, key, _under(whole, spellings), scale)
    appropriations = [t.sheet for t in tables if t.kind == "财政拨款总表"]
    for key, spellings in SOURCE_COLUMNS:
        _take(found, key, _under(appropriations, spellings, totals=("本年支出合计", "支出合计")), scale)
    _staff_and_office(found, tables, scale, used)
    _sums(found)
    _missing(found)
    return found


def _staff_and_office(found: Found, tables: list[Table], scale: dict[str, Decimal], used: set) -> None:
    """人员经费 and 公用经费 of all the funds (a 基本支出决算表 of every source); those of the
    一般公共预算 alone only when they add up to the whole 基本支出, else named, not filled in."""
    keys = [(k, s) for k, s in ROW_LABELS if k[0] == "支出性质"]
    every = [t.sheet for t in tables if t.kind == "基本"]
    for key, spellings in keys:  # a row of its own (明细表), or a column over the 合计 row
        _take(found, key, _beside(every, spellings, used) or _under(every, spellings), scale)
    if all(key in found.figures for key, _ in keys):
        return
    narrow = [t.sheet for t in tables if t.kind == "一般公共基本"]
    hits = {key: _beside(narrow, spellings, used) for key, spellings in keys}
    parts = {key: hit[0] / scale[hit[2]] for key, hit in hits.items() if hit is not None}
    basic = found.figures.get(("支出性质", "基本支出"))
    if len(parts) == len(keys) and basic is not None and sum(parts.values()) == basic:
        for key, hit in hits.items():
            _take(found, key, hit, scale)
    elif parts:
        shown = "、".join(f"{k[1]} {_money(v)} 万元" for k, v in parts.items())
        found.unmapped.append(
            f"一般公共预算财政拨款基本支出决算表中的{shown}只是一般公共预算财政拨款的部分"
            f"（与全部资金的基本支出 {basic if basic is not None else '（未找到）'} 万元不同口径），未填入"
        )


def _missing(found: Found) -> None:
    for what, keys in (
        ("收入支出决算总表（本年收入合计、年末结转和结余）", [("本年收入",), ("年末结转和结余",)]),
        ("支出决算表（基本支出、项目支出）", [("支出性质", "基本支出"), ("支出性质", "项目支出")]),
    ):
        if not any(k in found.figures for k in keys):
            found.missing.append(what)
    for key, where in EXPECTED:
        if key not in found.figures and not any(key[-1] in m for m in found.missing):
            found.missing.append(f"{key[-1]}（{where}）")
    if not any(key[0] == "资金来源" for key in found.figures):
        found.missing.append("资金来源（财政拨款收入支出决算总表：本年支出中各项财政拨款）")


def _year(sheets: list[Sheet], found: Found) -> None:
    """The year the tables are of, and the unit that made them (编制单位：…)."""
    for sheet in sheets:
        for row in sheet.rows[:6]:
            for value in row:
                if not isinstance(value, str):
                    continue
                year = _YEAR.search(value)
                if year and found.year is None and ("决算" in value or "年度" in value):
                    found.year = int(year[1])
                name = _UNIT_NAME.search(value)
                if name and not found.name:
                    found.name = re.split(r"\s|　|[（(]", name[1].strip())[0]


def _take(found: Found, key: Key, hit: Hit | None, scale: dict[str, Decimal]) -> None:
    if hit is not None:
        found.figures[key] = _money(hit[0] / scale[hit[2]])
        found.where[key] = hit[1]
        found.in_yuan = found.in_yuan or scale[hit[2]] != 1


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


def _beside(sheets: list[Sheet], spellings: tuple[str, ...], used: set[tuple[str, int, int]]) -> Hit | None:
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
                        if _label(row[c2]) and _label(row[c2]) != spelling and _number(row[c2]) is None:
                            break  # the next label: the other half of a two-sided table
                        if amount_columns and c2 not in amount_columns:
                            continue
                        number = _number(row[c2])
                        if number is not None and not _is_line_number(sheet, r, c2, number):
                            used.add((sheet.name, r, c))
                            return number, f"{sheet.name}!{_cell_name(r, c2)}", sheet.name
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


def _under(sheets: list[Sheet], spellings: tuple[str, ...], totals: tuple[str, ...] = TOTAL_ROW) -> Hit | None:
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
                                return number, f"{sheet.name}!{_cell_name(r2, c)}", sheet.name
                            break
    return None
