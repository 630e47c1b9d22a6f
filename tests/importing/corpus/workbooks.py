"""部门决算 workbooks in the shapes departments publish, with what `reportgen import` must read from each.

Each workbook is a unit's year (`Unit`, amounts in 元) written as the tables of one publication
style; `BOOKS` names, for each, the figures the importer must find (keyed by their path under
部门整体收支情况, in 万元, every digit kept), the amounts it must NOT take for the department's
(the same label in a narrower table: 财政拨款 only, 一般公共预算 only, 政府性基金 only) and the
figures that are legitimately absent, which it must name in a 未找到 line.

The tables follow the national 部门决算公开 formats (公开01表 收入支出决算总表 … 公开08表) and the
older unnumbered set (2017), each with its own title, 编制单位 line and 单位 line.

    python tests/importing/corpus/workbooks.py      # writes the workbooks beside this file
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

D = Decimal
ZERO = D(0)
WAN = D(10000)

FUNCTION_NAMES = {
    "201": "一般公共服务支出",
    "205": "教育支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "221": "住房保障支出",
}
OLD_NAMES = {"207": "文化体育与传媒支出", "210": "医疗卫生与计划生育支出"}  # the 2017 科目 names
NUMERALS = "一二三四五六七八九十"
# 公开01表's income lines, the key each fills
INCOME_LINES = (
    "一般公共预算财政拨款收入",
    "政府性基金预算财政拨款收入",
    "国有资本经营预算财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
)
FISCAL = ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款")


def _class_name(code: str, old: bool) -> str:
    return OLD_NAMES.get(code, FUNCTION_NAMES[code]) if old else FUNCTION_NAMES[code]


@dataclass(frozen=True)
class Function:
    """One 功能分类 class's spending, by source and nature (元)."""

    code: str
    gp_basic: Decimal = ZERO  # 一般公共预算财政拨款
    gp_project: Decimal = ZERO
    gf_project: Decimal = ZERO  # 政府性基金预算财政拨款
    other_basic: Decimal = ZERO  # 事业收入, 其他收入 and the like
    other_project: Decimal = ZERO

    def name(self, old: bool = False) -> str:
        return _class_name(self.code, old)

    @property
    def basic(self) -> Decimal:
        return self.gp_basic + self.other_basic

    @property
    def project(self) -> Decimal:
        return self.gp_project + self.gf_project + self.other_project

    @property
    def total(self) -> Decimal:
        return self.basic + self.project

    @property
    def gp(self) -> Decimal:
        return self.gp_basic + self.gp_project


@dataclass(frozen=True)
class Unit:
    """A unit's 决算 for a year, in 元; every total is computed, so the tables always add up."""

    name: str
    year: int
    income: dict[str, Decimal]  # by INCOME_LINES; missing lines are 0
    opening: Decimal  # 年初结转和结余, all funds
    opening_fiscal: dict[str, Decimal]  # 年初财政拨款结转和结余 by FISCAL source
    functions: tuple[Function, ...]
    personnel: Decimal  # 人员经费 of all 基本支出
    personnel_gp: Decimal  # 人员经费 paid from 一般公共预算财政拨款
    three_public: tuple[Decimal, ...] = (D("3.20"), ZERO, D("2.60"), ZERO, D("2.60"), D("0.60"))  # 三公, 万元

    def got(self, line: str) -> Decimal:
        return self.income.get(line, ZERO)

    @property
    def income_total(self) -> Decimal:
        return sum((self.got(k) for k in INCOME_LINES), ZERO)

    @property
    def fiscal_income(self) -> Decimal:
        return sum((self.got(f"{s}收入") for s in FISCAL), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((f.total for f in self.functions), ZERO)

    @property
    def basic(self) -> Decimal:
        return sum((f.basic for f in self.functions), ZERO)

    @property
    def project(self) -> Decimal:
        return sum((f.project for f in self.functions), ZERO)

    @property
    def gp_spent(self) -> Decimal:
        return sum((f.gp for f in self.functions), ZERO)

    @property
    def gp_basic(self) -> Decimal:
        return sum((f.gp_basic for f in self.functions), ZERO)

    @property
    def gp_project(self) -> Decimal:
        return sum((f.gp_project for f in self.functions), ZERO)

    @property
    def gf_spent(self) -> Decimal:
        return sum((f.gf_project for f in self.functions), ZERO)

    @property
    def public(self) -> Decimal:
        return self.basic - self.personnel

    @property
    def public_gp(self) -> Decimal:
        return self.gp_basic - self.personnel_gp

    @property
    def closing(self) -> Decimal:
        return self.opening + self.income_total - self.spent

    def fiscal_spent(self, source: str) -> Decimal:
        return {FISCAL[0]: self.gp_spent, FISCAL[1]: self.gf_spent}.get(source, ZERO)

    def closing_fiscal(self, source: str) -> Decimal:
        return self.opening_fiscal.get(source, ZERO) + self.got(f"{source}收入") - self.fiscal_spent(source)

    def check(self) -> None:
        assert self.closing >= 0 and self.public >= 0 and self.public_gp >= 0, self.name
        assert all(self.closing_fiscal(s) >= 0 for s in FISCAL), self.name
        assert self.personnel_gp <= self.personnel, self.name


def department(unit: Unit) -> dict[str, Decimal]:
    """The department's figures in 万元, keyed as in 部门整体收支情况: what the tables say of all
    the unit's funds."""
    figures = {
        "本年收入": unit.income_total,
        "年初结转和结余": unit.opening,
        "本年支出": unit.spent,
        "年末结转和结余": unit.closing,
        "支出性质/基本支出": unit.basic,
        "支出性质/项目支出": unit.project,
        "支出性质/人员经费": unit.personnel,
        "支出性质/公用经费": unit.public,
        "收入来源/财政拨款收入": unit.fiscal_income,
        "资金来源/一般公共预算财政拨款": unit.gp_spent,
        "资金来源/政府性基金预算财政拨款": unit.gf_spent,
        "资金来源/其他资金": unit.spent - unit.gp_spent - unit.gf_spent,
    }
    for line in INCOME_LINES:
        if unit.got(line):
            figures[f"收入来源/{line}"] = unit.got(line)
    return {k: v / WAN for k, v in figures.items()}


# ---------------------------------------------------------------- writing the tables


@dataclass
class Style:
    """How one table shows its amounts."""

    unit: str = "元"  # 元 or 万元: the table's own 单位 line
    text: bool = False  # amounts stored as text: " 25,754,899.39 "
    heading: str = "单位：元"  # the wording of the 单位 line

    def __post_init__(self) -> None:
        if self.heading == "单位：元" and self.unit == "万元":
            self.heading = "金额单位：万元"


@dataclass
class Sheet:
    """A worksheet being written, row by row."""

    ws: Worksheet
    style: Style
    row: int = 0
    formats: dict[str, Any] = field(default_factory=dict)

    def put(self, row: int, col: int, value: Decimal | str | int | None) -> None:
        if value is None:
            return
        if isinstance(value, Decimal):
            shown = value / WAN if self.style.unit == "万元" else value
            if self.style.unit == "万元":
                assert shown == shown.quantize(D("0.01")), f"{value} 元 is not a whole 万元 amount to 2 places"
            if self.style.text:
                self.ws.write_string(row, col, f" {shown:,.2f} ")
            else:
                self.ws.write_number(row, col, float(shown), self.formats["money"])
        elif isinstance(value, int):
            self.ws.write_number(row, col, value)
        else:
            self.ws.write_string(row, col, value)

    def line(self, *cells: Decimal | str | int | None) -> None:
        for col, value in enumerate(cells):
            self.put(self.row, col, value)
        self.row += 1


def _sheet(book: Workbook, name: str, style: Style) -> Sheet:
    ws = book.add_worksheet(name)
    ws.set_column(0, 0, 34)
    ws.set_column(1, 12, 16)
    return Sheet(ws, style, formats={"money": book.add_format({"num_format": "#,##0.00"})})


def _head(s: Sheet, title: str, code: str | None, unit: Unit, width: int, year_in_title: bool = True) -> None:
    """Title, 公开NN表 number, and the line with 编制单位, year and 单位."""
    s.ws.merge_range(s.row, 0, s.row, width - 1, f"{unit.year}年度{title}" if year_in_title else title)
    s.row += 1
    if code:
        s.ws.write_string(s.row, width - 1, code)
        s.row += 1
    s.ws.write_string(s.row, 0, f"编制单位：{unit.name}")
    if not year_in_title:
        s.ws.write_string(s.row, width // 2, f"{unit.year}年度")
    s.ws.write_string(s.row, width - 1, s.style.heading)
    s.row += 1


def _spending_lines(unit: Unit, extra: tuple[str, ...], old: bool = False) -> list[tuple[str, Function | None]]:
    """The 功能分类 classes of the spending side: the unit's, and a few it has none of."""
    codes = sorted({f.code for f in unit.functions} | set(extra))
    by_code = {f.code: f for f in unit.functions}
    return [(f"{NUMERALS[i]}、{_class_name(c, old)}", by_code.get(c)) for i, c in enumerate(codes)]


def totals_table(book: Workbook, name: str, unit: Unit, style: Style, *, old: bool = False) -> None:
    """公开01表 收入支出决算总表: income on the left, spending on the right, each with its 行次;
    `old`: the 2017 set (one 财政拨款收入 line, 用事业基金弥补收支差额, a 决算数 column)."""
    s = _sheet(book, name, style)
    _head(s, "收入支出决算总表", None if old else "公开01表", unit, 6, year_in_title=not old)
    amount = "决算数" if old else "金额"
    s.ws.merge_range(s.row, 0, s.row, 2, "收入")
    s.ws.merge_range(s.row, 3, s.row, 5, "支出")
    s.row += 1
    s.line("项目", "行次", amount, "项目", "行次", amount)
    s.line("栏次", None, "1", "栏次", None, "2")
    if old:
        income: list[tuple[str, Decimal | None]] = [
            ("一、财政拨款收入", unit.fiscal_income),
            ("二、上级补助收入", unit.got("上级补助收入")),
            ("三、事业收入", unit.got("事业收入")),
            ("四、经营收入", unit.got("经营收入")),
            ("五、附属单位上缴收入", unit.got("附属单位上缴收入")),
            ("六、其他收入", unit.got("其他收入")),
        ]
    else:
        income = [(f"{NUMERALS[i]}、{line}", unit.got(line)) for i, line in enumerate(INCOME_LINES)]
    spending: list[tuple[str, Decimal | None]] = [
        (label, f.total if f else ZERO) for label, f in _spending_lines(unit, ("201", "207", "211"), old)
    ]
    body = max(len(income), len(spending)) + 1
    income += [("", None)] * (body - len(income))
    spending += [("", None)] * (body - len(spending))
    income += [("本年收入合计", unit.income_total)]
    income += [("用事业基金弥补收支差额", ZERO)] if old else [("使用非财政拨款结余", ZERO)]
    income += [("年初结转和结余", unit.opening), ("总计", unit.opening + unit.income_total)]
    spending += [
        ("本年支出合计", unit.spent),
        ("结余分配", ZERO),
        ("年末结转和结余", unit.closing),
        ("总计", unit.spent + unit.closing),
    ]
    first_out = len(income) + 1
    for i, ((label, value), (out_label, out_value)) in enumerate(zip(income, spending, strict=True)):
        s.line(label, i + 1 if label else None, value, out_label, first_out + i if out_label else None, out_value)


def income_table(book: Workbook, name: str, unit: Unit, style: Style, *, old: bool = False) -> None:
    """公开02表 收入决算表: a column per source, the 合计 row first, then the classes (the
    non-appropriated income, and the appropriations carried forward, booked to the largest)."""
    s = _sheet(book, name, style)
    columns = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    _head(s, "收入决算表", None if old else "公开02表", unit, 2 + len(columns), year_in_title=not old)
    s.ws.merge_range(s.row, 0, s.row, 1, "项目")
    for c, heading in enumerate(columns, 2):
        s.ws.merge_range(s.row, c, s.row + 1, c, heading)
    s.row += 1
    s.line("科目编码", "科目名称")
    s.line("栏次", None, *[str(i) for i in range(1, len(columns) + 1)])
    others = [unit.got(k) for k in columns[2:]]
    s.line("合计", None, unit.income_total, unit.fiscal_income, *others)
    fiscal_rows = [f.gp + f.gf_project for f in unit.functions]
    main = max(range(len(unit.functions)), key=lambda i: unit.functions[i].total)
    fiscal_rows[main] += unit.fiscal_income - sum(fiscal_rows, ZERO)  # what is carried to next year
    for i, (f, fiscal) in enumerate(zip(unit.functions, fiscal_rows, strict=True)):
        rest = others if i == main else [ZERO] * len(others)
        s.line(f.code, f.name(old), fiscal + sum(rest, ZERO), fiscal, *rest)


def spending_table(book: Workbook, name: str, unit: Unit, style: Style, *, old: bool = False) -> None:
    """公开03表 支出决算表: 本年支出合计, 基本支出, 项目支出 and three kinds the unit has none of."""
    s = _sheet(book, name, style)
    columns = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
    _head(s, "支出决算表", None if old else "公开03表", unit, 2 + len(columns), year_in_title=not old)
    s.ws.merge_range(s.row, 0, s.row, 1, "项目")
    for c, heading in enumerate(columns, 2):
        s.ws.merge_range(s.row, c, s.row + 1, c, heading)
    s.row += 1
    s.line("科目编码", "科目名称")
    s.line("栏次", None, *[str(i) for i in range(1, len(columns) + 1)])
    s.line("合计", None, unit.spent, unit.basic, unit.project, ZERO, ZERO, ZERO)
    for f in unit.functions:
        s.line(f.code, f.name(old), f.total, f.basic, f.project, ZERO, ZERO, ZERO)


def fiscal_totals_table(book: Workbook, name: str, unit: Unit, style: Style) -> None:
    """公开04表 财政拨款收入支出决算总表: its own 本年收入合计 (appropriations only), 年初 and 年末
    财政拨款结转和结余 with a line per source, spending by source in four columns."""
    s = _sheet(book, name, style)
    _head(s, "财政拨款收入支出决算总表", "公开04表", unit, 9)
    s.ws.merge_range(s.row, 0, s.row, 2, "收入")
    s.ws.merge_range(s.row, 3, s.row, 8, "支出")
    s.row += 1
    s.line("项目", "行次", "金额", "项目", "行次", "合计", *FISCAL)
    s.line("栏次", None, "1", "栏次", None, "2", "3", "4", "5")
    income: list[tuple[str, Decimal | None]] = [
        (f"{NUMERALS[i]}、{source}", unit.got(f"{source}收入")) for i, source in enumerate(FISCAL)
    ]
    out: list[tuple[str, tuple[Decimal, ...] | None]] = [
        (label, (f.gp + f.gf_project, f.gp, f.gf_project, ZERO) if f else (ZERO,) * 4)
        for label, f in _spending_lines(unit, ("201", "207"))
    ]
    body = max(len(income), len(out)) + 1
    income += [("", None)] * (body - len(income))
    out += [("", None)] * (body - len(out))
    opening = sum(unit.opening_fiscal.values(), ZERO)
    closing = sum((unit.closing_fiscal(x) for x in FISCAL), ZERO)
    spent = unit.gp_spent + unit.gf_spent
    income += [("本年收入合计", unit.fiscal_income), ("年初财政拨款结转和结余", opening)]
    income += [(source, unit.opening_fiscal.get(source, ZERO)) for source in FISCAL]
    income += [("", None), ("总计", unit.fiscal_income + opening)]
    out += [("本年支出合计", (spent, unit.gp_spent, unit.gf_spent, ZERO))]
    out += [("年末财政拨款结转和结余", (closing, *[unit.closing_fiscal(x) for x in FISCAL]))]
    out += [("", None)] * 4
    out += [("总计", (spent + closing, *[unit.fiscal_spent(x) + unit.closing_fiscal(x) for x in FISCAL]))]
    first_out = len(income) + 1
    for i, ((label, value), (out_label, values)) in enumerate(zip(income, out, strict=True)):
        s.line(label, i + 1 if label else None, value, out_label, first_out + i if out_label else None, *(values or ()))


def gp_spending_table(book: Workbook, name: str, unit: Unit, style: Style) -> None:
    """公开05表 一般公共预算财政拨款支出决算表: 本年支出 over 小计, 基本支出, 项目支出 (its own
    基本支出 and 项目支出: 一般公共预算 only)."""
    s = _sheet(book, name, style)
    _head(s, "一般公共预算财政拨款支出决算表", "公开05表", unit, 5)
    s.ws.merge_range(s.row, 0, s.row, 1, "项目")
    s.ws.merge_range(s.row, 2, s.row, 4, "本年支出")
    s.row += 1
    s.line("科目编码", "科目名称", "小计", "基本支出", "项目支出")
    s.line("栏次", None, "1", "2", "3")
    s.line("合计", None, unit.gp_spent, unit.gp_basic, unit.gp_project)
    for f in unit.functions:
        if f.gp:
            s.line(f.code, f.name(), f.gp, f.gp_basic, f.gp_project)


def gp_basic_table(book: Workbook, name: str, unit: Unit, style: Style) -> None:
    """公开06表 一般公共预算财政拨款基本支出决算表: 人员经费 and 公用经费 by economic class side by
    side, their totals on the last row (人员经费合计, 公用经费合计)."""
    s = _sheet(book, name, style)
    _head(s, "一般公共预算财政拨款基本支出决算表", "公开06表", unit, 9)
    s.ws.merge_range(s.row, 0, s.row, 2, "人员经费")
    s.ws.merge_range(s.row, 3, s.row, 8, "公用经费")
    s.row += 1
    s.line("科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数", "科目编码", "科目名称", "决算数")
    personnel, public = unit.personnel_gp, unit.public_gp
    wages = (personnel * D("0.82")).quantize(D("0.01"))
    p_rows = [
        ("301", "工资福利支出", wages),
        ("30101", "  基本工资", (wages * D("0.4")).quantize(D("0.01"))),
        ("30102", "  津贴补贴", wages - (wages * D("0.4")).quantize(D("0.01"))),
        ("303", "对个人和家庭的补助", personnel - wages),
        ("30302", "  退休费", personnel - wages),
    ]
    goods = public
    q_rows = [
        ("302", "商品和服务支出", goods),
        ("30201", "  办公费", (goods * D("0.3")).quantize(D("0.01"))),
        ("30211", "  差旅费", goods - (goods * D("0.3")).quantize(D("0.01"))),
    ]
    r_rows = [("310", "资本性支出", ZERO), ("31002", "  办公设备购置", ZERO)]
    for i in range(max(len(p_rows), len(q_rows), len(r_rows))):
        cells: list[Decimal | str | None] = []
        for rows in (p_rows, q_rows, r_rows):
            cells += list(rows[i]) if i < len(rows) else [None, None, None]
        s.line(*cells)
    s.ws.merge_range(s.row, 0, s.row, 1, "人员经费合计")
    s.put(s.row, 2, personnel)
    s.ws.merge_range(s.row, 3, s.row, 7, "公用经费合计")
    s.put(s.row, 8, public)
    s.row += 1


def three_public_table(book: Workbook, name: str, unit: Unit, style: Style) -> None:
    """公开07表 “三公”经费支出决算表, in 万元 as most units publish it: 预算数 and 决算数."""
    s = _sheet(book, name, style)
    _head(s, "一般公共预算财政拨款“三公”经费支出决算表", "公开07表", unit, 12)
    s.ws.merge_range(s.row, 0, s.row, 5, "预算数")
    s.ws.merge_range(s.row, 6, s.row, 11, "决算数")
    s.row += 1
    parts = ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行费", "公务接待费"]
    s.line(*parts, *parts)
    s.line(*[str(i) for i in range(1, 13)])
    budget = [v * WAN for v in unit.three_public]
    spent = [(v * D("0.9")).quantize(D("0.01")) * WAN for v in unit.three_public]
    spent[0] = spent[1] + spent[2] + spent[5]
    s.line(*budget, *spent)


def fund_table(book: Workbook, name: str, unit: Unit, style: Style) -> None:
    """公开08表 政府性基金预算财政拨款收入支出决算表: its own 年初结转和结余, 本年支出 with 基本支出
    and 项目支出, 年末结转和结余, all of 政府性基金 only."""
    s = _sheet(book, name, style)
    _head(s, "政府性基金预算财政拨款收入支出决算表", "公开08表", unit, 8)
    s.ws.merge_range(s.row, 0, s.row, 1, "项目")
    for c, heading in ((2, "年初结转和结余"), (3, "本年收入"), (7, "年末结转和结余")):
        s.ws.merge_range(s.row, c, s.row + 1, c, heading)
    s.ws.merge_range(s.row, 4, s.row, 6, "本年支出")
    s.row += 1
    s.line("科目编码", "科目名称", None, None, "小计", "基本支出", "项目支出")
    s.line("栏次", None, "1", "2", "3", "4", "5", "6")
    gf = FISCAL[1]
    s.line(
        "合计",
        None,
        unit.opening_fiscal.get(gf, ZERO),
        unit.got(f"{gf}收入"),
        unit.gf_spent,
        ZERO,
        unit.gf_spent,
        unit.closing_fiscal(gf),
    )
    for f in unit.functions:
        if f.gf_project:
            s.line(f.code, f.name(), None, None, f.gf_project, ZERO, f.gf_project, None)


def basic_detail_table(book: Workbook, name: str, unit: Unit, style: Style, *, old: bool = False) -> None:
    """基本支出决算明细表 of all funds. `old` (2017): by economic class, 人员经费 and 公用经费 as
    subtotal rows, with 财政拨款 and 其他资金 beside the 合计 column. Otherwise: a row per
    class, 基本支出合计, 人员经费, 公用经费 in columns, the 合计 row first."""
    s = _sheet(book, name, style)
    if old:
        _head(s, "基本支出决算明细表", None, unit, 5, year_in_title=False)
        s.line("科目编码", "科目名称", "合计", "财政拨款", "其他资金")
        other_p = unit.personnel - unit.personnel_gp
        other_q = unit.public - unit.public_gp
        s.line(None, "合计", unit.basic, unit.gp_basic, unit.basic - unit.gp_basic)
        s.line(None, "人员经费", unit.personnel, unit.personnel_gp, other_p)
        s.line("301", "工资福利支出", unit.personnel, unit.personnel_gp, other_p)
        s.line(None, "公用经费", unit.public, unit.public_gp, other_q)
        s.line("302", "商品和服务支出", unit.public, unit.public_gp, other_q)
        return
    _head(s, "基本支出决算表", None, unit, 5)
    s.ws.merge_range(s.row, 0, s.row, 1, "项目")
    for c, heading in ((2, "基本支出合计"), (3, "人员经费"), (4, "公用经费")):
        s.ws.merge_range(s.row, c, s.row + 1, c, heading)
    s.row += 1
    s.line("科目编码", "科目名称")
    s.line("合计", None, unit.basic, unit.personnel, unit.public)
    rows = [f for f in unit.functions if f.basic]
    personnel = [(f.basic * unit.personnel / unit.basic).quantize(D("0.01")) for f in rows]
    personnel[0] += unit.personnel - sum(personnel, ZERO)
    for f, p in zip(rows, personnel, strict=True):
        s.line(f.code, f.name(), f.basic, p, f.basic - p)


# ---------------------------------------------------------------- the units and their workbooks

Table = Callable[[Workbook, str, Unit, Style], None]


@dataclass(frozen=True)
class Book:
    """One workbook: its sheets in order (name, table, style) and what the importer must make of it."""

    file: str
    unit: Unit
    sheets: tuple[tuple[str, Table, Style], ...]
    figures: dict[str, str]  # key path under 部门整体收支情况 → 万元
    absent: tuple[str, ...] = ()  # words a 未找到 line must name
    not_figures: tuple[str, ...] = ()  # 万元 amounts of narrower tables: never a department figure
    部门名称: str = ""
    年度: int = 0

    def write(self, folder: Path) -> Path:
        path = folder / self.file
        book = xlsxwriter.Workbook(str(path))
        book.set_properties({"created": datetime(2024, 3, 1), "author": self.unit.name})
        for name, table, style in self.sheets:
            table(book, name, self.unit, style)
        book.close()
        return path


YUAN = Style()
WAN_STYLE = Style(unit="万元")


def _old(table: Callable[..., None]) -> Table:
    def write(book: Workbook, name: str, unit: Unit, style: Style) -> None:
        table(book, name, unit, style, old=True)

    return write


XIKOU = Unit(  # a county 住房和城乡建设局: appropriations and 政府性基金, a little 其他收入
    name="溪口县住房和城乡建设局",
    year=2023,
    income={
        "一般公共预算财政拨款收入": D("18236457.82"),
        "政府性基金预算财政拨款收入": D("3450000.00"),
        "其他收入": D("268931.45"),
    },
    opening=D("1204566.10"),
    opening_fiscal={FISCAL[0]: D("612300.00"), FISCAL[1]: D("500000.00")},
    functions=(
        Function("208", gp_basic=D("1286540.36")),
        Function("210", gp_basic=D("312456.78")),
        Function(
            "212",
            gp_basic=D("5123876.20"),
            gp_project=D("10892345.67"),
            gf_project=D("3612000.00"),
            other_project=D("245600.00"),
        ),
        Function("221", gp_basic=D("498760.00")),
    ),
    personnel=D("6035412.58"),
    personnel_gp=D("6035412.58"),
)

CANGHE = Unit(  # a city 交通运输局: 政府性基金 projects, 其他收入 spent on projects only
    name="沧河市交通运输局",
    year=2023,
    income={
        "一般公共预算财政拨款收入": D("31562478.25"),
        "政府性基金预算财政拨款收入": D("8200000.00"),
        "其他收入": D("1236540.80"),
    },
    opening=D("2345678.90"),
    opening_fiscal={FISCAL[0]: D("1100000.00"), FISCAL[1]: D("900000.00")},
    functions=(
        Function("208", gp_basic=D("1854320.00")),
        Function(
            "214",
            gp_basic=D("9876543.21"),
            gp_project=D("18765432.10"),
            gf_project=D("8650000.00"),
            other_project=D("1269125.60"),
        ),
        Function("221", gp_basic=D("765430.00")),
    ),
    personnel=D("10612874.32"),
    personnel_gp=D("10612874.32"),
    three_public=(D("18.50"), ZERO, D("12.30"), ZERO, D("12.30"), D("6.20")),
)

QICHUAN = Unit(  # a county 水利局: one appropriation and 其他收入
    name="淇川县水利局",
    year=2023,
    income={"一般公共预算财政拨款收入": D("25754899.39"), "其他收入": D("186420.00")},
    opening=D("856432.70"),
    opening_fiscal={FISCAL[0]: D("700000.00")},
    functions=(
        Function("208", gp_basic=D("612345.00")),
        Function("213", gp_basic=D("4215678.90"), gp_project=D("20876543.21"), other_project=D("150000.00")),
    ),
    personnel=D("4012345.67"),
    personnel_gp=D("4012345.67"),
)

SHILIANG = Unit(  # 2017, a county 林业局, every amount a whole hundred 元 (tables in 万元)
    name="石梁县林业局",
    year=2017,
    income={"一般公共预算财政拨款收入": D("12345600"), "其他收入": D("234500")},
    opening=D("456700"),
    opening_fiscal={FISCAL[0]: D("400000")},
    functions=(
        Function("208", gp_basic=D("567800")),
        Function("213", gp_basic=D("3456700"), gp_project=D("8123400"), other_project=D("200000")),
    ),
    personnel=D("3412300"),
    personnel_gp=D("3412300"),
)

TONGJIANG = Unit(  # a 妇幼保健院: most of its 基本支出 paid from 事业收入
    name="桐江县妇幼保健院",
    year=2023,
    income={
        "一般公共预算财政拨款收入": D("8765432.10"),
        "上级补助收入": D("300000.00"),
        "事业收入": D("21345678.90"),
        "其他收入": D("456789.00"),
    },
    opening=D("3210987.65"),
    opening_fiscal={FISCAL[0]: D("120000.00")},
    functions=(
        Function("208", gp_basic=D("234567.80")),
        Function(
            "210",
            gp_basic=D("5432100.00"),
            gp_project=D("2987654.32"),
            other_basic=D("18765432.10"),
            other_project=D("2345678.90"),
        ),
        Function("221", gp_basic=D("123456.00")),
    ),
    personnel=D("19876543.21"),
    personnel_gp=D("5123456.78"),
)

NATIONAL: tuple[tuple[str, Table, Style], ...] = (
    ("公开01表 收入支出决算总表", totals_table, YUAN),
    ("公开02表 收入决算表", income_table, YUAN),
    ("公开03表 支出决算表", spending_table, YUAN),
    ("公开04表 财政拨款收入支出决算总表", fiscal_totals_table, YUAN),
    ("公开05表 一般公共预算财政拨款支出决算表", gp_spending_table, YUAN),
    ("公开06表 一般公共预算财政拨款基本支出决算表", gp_basic_table, YUAN),
    ("公开07表 三公经费支出决算表", three_public_table, WAN_STYLE),
    ("公开08表 政府性基金预算财政拨款收入支出决算表", fund_table, YUAN),
)


def _sheets(*names: str, styles: dict[str, Style] | None = None) -> tuple[tuple[str, Table, Style], ...]:
    by_code = {name[:4]: (name, table, style) for name, table, style in NATIONAL}
    chosen = []
    for code in names:
        name, table, style = by_code[code]
        chosen.append((name[:31], table, (styles or {}).get(code, style)))
    return tuple(chosen)


BOOKS: dict[str, Book] = {
    book.file: book
    for book in (
        Book(
            # (1) the current national 公开 set, in order, in 元 (三公 in 万元); 公开04–06 and 08 repeat
            # labels (本年收入合计, 基本支出, 年初结转和结余) for narrower funds
            file="01-公开全套-元.xlsx",
            unit=XIKOU,
            sheets=_sheets("公开01", "公开02", "公开03", "公开04", "公开05", "公开06", "公开07", "公开08"),
            figures={
                "本年收入": "2195.538927",
                "收入来源/财政拨款收入": "2168.645782",
                "收入来源/一般公共预算财政拨款收入": "1823.645782",
                "收入来源/政府性基金预算财政拨款收入": "345",
                "收入来源/其他收入": "26.893145",
                "年初结转和结余": "120.45661",
                "本年支出": "2197.157901",
                "年末结转和结余": "118.837636",
                "支出性质/基本支出": "722.163334",
                "支出性质/项目支出": "1474.994567",
                "支出性质/人员经费": "603.541258",
                "支出性质/公用经费": "118.622076",
                "资金来源/一般公共预算财政拨款": "1811.397901",
                "资金来源/政府性基金预算财政拨款": "361.2",
                "资金来源/其他资金": "24.56",
            },
            # 公开04's 年初财政拨款结转和结余 and 总计; 公开05's 项目支出; 公开08's 年初 and 年末结转和结余
            not_figures=("111.23", "2279.875782", "1089.234567", "50", "33.8"),
            部门名称="溪口县住房和城乡建设局",
            年度=2023,
        ),
        Book(
            # (2) the same set in another order, the 三公 table (万元) first, the rest in 元: the
            # narrower tables come before the ones that hold the department's figures
            file="02-公开乱序-三公在前.xlsx",
            unit=CANGHE,
            sheets=_sheets("公开07", "公开04", "公开08", "公开05", "公开06", "公开03", "公开02", "公开01"),
            figures={
                "本年收入": "4099.901905",
                "收入来源/财政拨款收入": "3976.247825",
                "收入来源/一般公共预算财政拨款收入": "3156.247825",
                "收入来源/政府性基金预算财政拨款收入": "820",
                "收入来源/其他收入": "123.65408",
                "年初结转和结余": "234.56789",
                "本年支出": "4118.085091",
                "年末结转和结余": "216.384704",
                "支出性质/基本支出": "1249.629321",
                "支出性质/项目支出": "2868.45577",
                "支出性质/人员经费": "1061.287432",
                "支出性质/公用经费": "188.341889",
                "资金来源/一般公共预算财政拨款": "3126.172531",
                "资金来源/政府性基金预算财政拨款": "865",
                "资金来源/其他资金": "126.91256",
            },
            # 公开04's 年初财政拨款结转和结余 and 总计; 公开05's 项目支出; 公开08's 年初, 年末
            not_figures=("200", "4176.247825", "1876.54321", "90", "45"),
            部门名称="沧河市交通运输局",
            年度=2023,
        ),
        Book(
            # (3) amounts stored as text with separators and spaces in the 收入支出决算总表;
            # no 基本支出决算表 at all
            file="03-文本金额-缺基本支出表.xlsx",
            unit=QICHUAN,
            sheets=_sheets("公开01", "公开03", "公开04", styles={"公开01": Style(text=True)}),
            figures={
                "本年收入": "2594.131939",
                "收入来源/一般公共预算财政拨款收入": "2575.489939",
                "收入来源/财政拨款收入": "2575.489939",
                "收入来源/其他收入": "18.642",
                "年初结转和结余": "85.64327",
                "本年支出": "2585.456711",
                "年末结转和结余": "94.318498",
                "支出性质/基本支出": "482.80239",
                "支出性质/项目支出": "2102.654321",
                "资金来源/一般公共预算财政拨款": "2570.456711",
                "资金来源/其他资金": "15",
            },
            absent=("人员经费", "公用经费"),
            not_figures=("70",),  # 公开04's 年初财政拨款结转和结余
            部门名称="淇川县水利局",
            年度=2023,
        ),
        Book(
            # (4) the 2017 set: no 公开NN表 numbers, one 财政拨款收入 line, 决算数 columns, 万元,
            # a 基本支出决算明细表 of all funds; no 财政拨款收入支出决算总表 (so no spending by source)
            file="04-2017版-万元.xlsx",
            unit=SHILIANG,
            sheets=(
                ("收入支出决算总表", _old(totals_table), WAN_STYLE),
                ("收入决算表", _old(income_table), WAN_STYLE),
                ("支出决算表", _old(spending_table), WAN_STYLE),
                ("基本支出决算明细表", _old(basic_detail_table), WAN_STYLE),
            ),
            figures={
                "本年收入": "1258.01",
                "收入来源/财政拨款收入": "1234.56",
                "收入来源/其他收入": "23.45",
                "年初结转和结余": "45.67",
                "本年支出": "1234.79",
                "年末结转和结余": "68.89",
                "支出性质/基本支出": "402.45",
                "支出性质/项目支出": "832.34",
                "支出性质/人员经费": "341.23",
                "支出性质/公用经费": "61.22",
            },
            absent=("资金来源",),
            部门名称="石梁县林业局",
            年度=2017,
        ),
        Book(
            # (5) a unit living on 事业收入: the 一般公共预算 tables (公开05, 公开06) hold a fraction
            # of its 基本支出; the all-funds 基本支出决算表 (after 公开06) holds the department's
            file="05-事业收入-两张基本支出表.xlsx",
            unit=TONGJIANG,
            sheets=(
                *_sheets("公开01", "公开02", "公开03", "公开04", "公开05", "公开06"),
                ("基本支出决算表", basic_detail_table, YUAN),
                *_sheets("公开07"),
            ),
            figures={
                "本年收入": "3086.79",
                "收入来源/财政拨款收入": "876.54321",
                "收入来源/一般公共预算财政拨款收入": "876.54321",
                "收入来源/上级补助收入": "30",
                "收入来源/事业收入": "2134.56789",
                "收入来源/其他收入": "45.6789",
                "年初结转和结余": "321.098765",
                "本年支出": "2988.888912",
                "年末结转和结余": "418.999853",
                "支出性质/基本支出": "2455.55559",
                "支出性质/项目支出": "533.333322",
                "支出性质/人员经费": "1987.654321",
                "支出性质/公用经费": "467.901269",
                "资金来源/一般公共预算财政拨款": "877.777812",
                "资金来源/其他资金": "2111.1111",
            },
            # 公开05's 基本支出 and 项目支出; 公开06's 人员经费合计 and 公用经费合计
            not_figures=("579.01238", "298.765432", "512.345678", "66.666702"),
            部门名称="桐江县妇幼保健院",
            年度=2023,
        ),
    )
}


def verify(book: Book) -> list[str]:
    """Where the written expectation and the unit's own figures disagree (none, or the corpus is wrong)."""
    book.unit.check()
    truth = department(book.unit)
    wrong = [f"{k}: 写的 {v}，算得 {truth.get(k)}" for k, v in book.figures.items() if truth.get(k) != D(v)]
    wrong += [f"not_figures {v} 是部门的数字" for v in book.not_figures if D(v) in truth.values()]
    return wrong


def main() -> None:
    folder = Path(__file__).resolve().parent / "workbooks"
    folder.mkdir(exist_ok=True)
    for book in BOOKS.values():
        problems = verify(book)
        if problems:
            sys.exit(f"{book.file}: " + "；".join(problems))
        print(book.write(folder))


if __name__ == "__main__":
    main()
