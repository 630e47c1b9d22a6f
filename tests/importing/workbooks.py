"""部门决算 workbooks in the national 公开 layouts, written by the tests themselves."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import xlsxwriter

# 青溪县农业农村局 (examples/qingxi-nongye-2024.yaml), in 万元
QINGXI = {
    "一般公共预算财政拨款收入": Decimal("2812.30"),
    "政府性基金预算财政拨款收入": Decimal("200.00"),
    "其他收入": Decimal("256.15"),
    "本年收入合计": Decimal("3268.45"),
    "年初结转和结余": Decimal("185.20"),
    "本年支出合计": Decimal("3301.62"),
    "年末结转和结余": Decimal("152.03"),
    "基本支出": Decimal("1260.35"),
    "项目支出": Decimal("2041.27"),
    "人员经费": Decimal("1046.88"),
    "公用经费": Decimal("213.47"),
}


def write(
    path: Path,
    *,
    yuan: bool = True,
    spelling: int = 0,
    tables: tuple[str, ...] = ("总表", "支出", "基本"),
    three_first: bool = False,
    as_text: bool = False,
) -> Path:
    """The 收入支出决算总表 (two-sided, 行次 columns), the 支出决算表 (headings merged over two
    rows, a 合计 row) and the 基本支出决算表, in 元 or 万元, labels in one of two spellings;
    `three_first` puts a 三公 table in 万元 before them, `as_text` stores the amounts as text."""
    scale = Decimal(10000) if yuan else Decimal(1)
    unit = "元" if yuan else "万元"
    book = xlsxwriter.Workbook(str(path))
    if three_first:
        three = book.add_worksheet("公开07表")
        three.write(0, 0, "“三公”经费支出决算表")
        three.write(1, 3, "单位：万元")
        three.write(2, 0, "合计")
        three.write_number(2, 1, 12.5)

    def amount(key: str) -> float | str:
        value = QINGXI[key] * scale
        return f"{value:,.2f}" if as_text else float(value)

    if "总表" in tables:
        s = book.add_worksheet("01收入支出决算总表")
        s.merge_range(0, 0, 0, 5, "收入支出决算总表")
        s.write(1, 0, "编制单位：青溪县农业农村局")
        s.write(1, 3, "2024年度")
        s.write(1, 5, f"金额单位：{unit}")
        s.merge_range(2, 0, 2, 2, "收入")
        s.merge_range(2, 3, 2, 5, "支出")
        for c, h in enumerate(["项目", "行次", "金额", "项目", "行次", "金额"]):
            s.write(3, c, h)
        total_in = "本年收入合计" if spelling == 0 else "本 年 收 入 合 计"
        opening = "年初结转和结余" if spelling == 0 else "年初结转结余"
        income = [
            ("一、一般公共预算财政拨款收入", amount("一般公共预算财政拨款收入")),
            ("二、政府性基金预算财政拨款收入", amount("政府性基金预算财政拨款收入")),
            ("三、国有资本经营预算财政拨款收入", 0.0),
            ("四、上级补助收入", 0.0),
            ("五、事业收入", 0.0),
            ("六、经营收入", 0.0),
            ("七、附属单位上缴收入", 0.0),
            ("八、其他收入", amount("其他收入")),
            (total_in, amount("本年收入合计")),
            (opening, amount("年初结转和结余")),
        ]
        spending = [("农林水支出", amount("本年支出合计"))] + [("", None)] * 7
        spending += [("本年支出合计", amount("本年支出合计")), ("年末结转和结余", amount("年末结转和结余"))]
        for i, ((label, value), (out_label, out_value)) in enumerate(zip(income, spending, strict=True)):
            row = 4 + i
            s.write(row, 0, label)
            s.write(row, 1, i + 1)
            s.write(row, 2, value)
            if out_label:
                s.write(row, 3, out_label)
                s.write(row, 4, i + 20)
                s.write(row, 5, out_value)
    if "支出" in tables:
        t = book.add_worksheet("03支出决算表")
        t.merge_range(0, 0, 0, 4, "支出决算表")
        t.write(1, 4, f"单位：{unit}")
        t.merge_range(2, 0, 3, 1, "项目")
        headings = ["本年支出合计", "基本支出", "项目支出"]
        for c, h in enumerate(headings, 2):
            t.merge_range(2, c, 3, c, h)  # a heading merged over the two heading rows
        t.merge_range(4, 0, 4, 1, "合计")
        for c, key in enumerate(["本年支出合计", "基本支出", "项目支出"], 2):
            t.write(4, c, amount(key))
        t.write(5, 0, "213")
        t.write(5, 1, "农林水支出")
        for c, key in enumerate(["本年支出合计", "基本支出", "项目支出"], 2):
            t.write(5, c, amount(key))
    if "基本" in tables:
        u = book.add_worksheet("基本支出")
        u.write(0, 0, "一般公共预算财政拨款基本支出决算表")
        u.write(1, 3, f"单位：{unit}")
        u.write(2, 0, "人员经费合计" if spelling == 0 else "人员经费")
        u.write(2, 1, amount("人员经费"))
        u.write(2, 2, "公用经费合计" if spelling == 0 else "公用经费")
        u.write(2, 3, amount("公用经费"))
    book.close()
    return path
