"""The bureau's workbook: 汇总 (one row per department), 问题 (every problem), 指标 (every scored
indicator).  Figures are written as numbers with Excel number formats, never as text, so that
the bureau can sort, filter and sum them; headers are frozen and columns sized for Chinese."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.collect.gather import printable
from reportgen.collect.record import Record

MONEY = "#,##0.00"
PERCENT = "0.00%"
SCORE = "0.00"
COUNT = "0"


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]
    number: str | None = None  # an Excel number format: the cell is a number
    percent: bool = False  # a percent figure (96.5), written as the fraction Excel shows as 96.50%


def _text(value: Any) -> str:
    return "" if value is None else str(value)


SUMMARY: list[Column] = [
    Column("单位", lambda r: r.unit or "（未能读出）"),
    Column("年度", lambda r: r.year, COUNT),
    Column("全年预算数（万元）", lambda r: r.budget, MONEY),
    Column("执行数（万元）", lambda r: r.spent, MONEY),
    Column("预算完成率", lambda r: r.completion, PERCENT, percent=True),
    Column("基本支出（万元）", lambda r: r.basic, MONEY),
    Column("项目支出（万元）", lambda r: r.project, MONEY),
    Column("自评得分", lambda r: r.score, SCORE),
    Column("等级", lambda r: r.grade),
    Column("得分依据", lambda r: r.score_basis),
    Column("错误", lambda r: r.errors if r.readable else None, COUNT),
    Column("警告", lambda r: r.warnings if r.readable else None, COUNT),
    Column("状态", lambda r: r.status),
    Column("文件", lambda r: printable(r.entry.path.name)),
]

PROBLEMS: list[Column] = [
    Column("单位", lambda row: row[0].unit or printable(row[0].entry.path.name)),
    Column("级别", lambda row: row[1].level),
    Column("规则", lambda row: row[1].rule),
    Column("说明", lambda row: row[1].message),
    Column("位置", lambda row: row[1].where),
    Column("文件", lambda row: row[0].entry.shown),
]

INDICATORS: list[Column] = [
    Column("单位", lambda row: row[0].unit),
    Column("所属", lambda row: row[1].owner),
    Column("一级指标", lambda row: row[1].category),
    Column("二级指标", lambda row: row[1].second),
    Column("三级指标", lambda row: row[1].third),
    Column("年度指标值", lambda row: row[1].target),
    Column("实际完成值", lambda row: row[1].actual),
    Column("分值", lambda row: row[1].points, SCORE),
    Column("完成率", lambda row: row[1].completion, PERCENT, percent=True),
    Column("得分", lambda row: row[1].score, SCORE),
    Column("评分说明", lambda row: row[1].note),
]


def display_width(text: str) -> int:
    """Columns as Excel counts them: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(column: Column, item: Any) -> Any:
    value = column.value(item)
    if value is None or value == "":
        return None
    if column.number is None:
        return _text(value)
    number = Decimal(value) / 100 if column.percent else Decimal(value)
    return int(number) if column.number == COUNT else float(number)


def write(records: Sequence[Record], target: Path) -> None:
    """The workbook, written in one go (XlsxWriter keeps no partial file on error)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target), {"strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties({"title": "部门整体支出绩效自评汇总", "creator": "reportgen"})
    head = book.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "vcenter"})
    formats = {fmt: book.add_format({"num_format": fmt}) for fmt in (MONEY, PERCENT, SCORE, COUNT)}
    problems = [(r, p) for r in records for p in r.problems]
    indicators = [(r, i) for r in records for i in r.indicators]
    for name, columns, rows in (
        ("汇总", SUMMARY, list(records)),
        ("问题", PROBLEMS, problems),
        ("指标", INDICATORS, indicators),
    ):
        sheet = book.add_worksheet(name)
        widths = [max(8, (display_width(c.title) + 1) // 2) for c in columns]  # titles wrap on two lines
        for j, column in enumerate(columns):
            sheet.write_string(0, j, column.title, head)
        for i, item in enumerate(rows, 1):
            for j, column in enumerate(columns):
                value = _cell(column, item)
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(i, j, value)
                    widths[j] = max(widths[j], display_width(value))
                else:
                    assert column.number is not None
                    sheet.write_number(i, j, value, formats[column.number])
                    widths[j] = max(widths[j], len(f"{value:,.2f}") + 1)
        for j, width in enumerate(widths):
            sheet.set_column(j, j, min(width + 1, 60))
        sheet.set_row(0, 30)
        sheet.freeze_panes(1, 0)
        # printed as it is read: A4 landscape, all columns on one page wide, the header on each page
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        if rows:
            sheet.autofilter(0, 0, len(rows), len(columns) - 1)
    book.close()
