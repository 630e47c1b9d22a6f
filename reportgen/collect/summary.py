"""The summary as a page to print: the 汇总 sheet as an HTML table, and as a landscape PDF."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from reportgen.collect.record import Record
from reportgen.collect.workbook import SUMMARY, Column

_SHOWN = [c for c in SUMMARY if c.title != "文件"]


def _shown(column: Column, record: Record) -> str:
    value = column.value(record)
    if value is None or value == "":
        return ""
    if column.percent:
        return f"{value:.2f}%"
    if column.number == "#,##0.00":
        return f"{value:,.2f}"
    return escape(str(value))


def html(records: Sequence[Record], title: str = "部门整体支出绩效自评汇总") -> str:
    head = "".join(f"<th>{escape(c.title)}</th>" for c in _SHOWN)
    rows = "".join(
        "<tr>" + "".join(f'<td class="{"n" if c.number else "t"}">{_shown(c, r)}</td>' for c in _SHOWN) + "</tr>"
        for r in records
    )
    readable = sum(r.readable for r in records)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>"
        "@page { size: A4 landscape; margin: 15mm; @bottom-center { content: counter(page) ' / ' counter(pages); } }"
        "body { font-family: 'FandolSong', 'Noto Serif CJK SC', serif; font-size: 9pt; }"
        "h1 { font-size: 14pt; text-align: center; } p { font-size: 9pt; }"
        "table { border-collapse: collapse; width: 100%; } thead { display: table-header-group; }"
        "th, td { border: 0.5pt solid #000; padding: 2pt 3pt; } th { background: #eee; }"
        "td.n { text-align: right; white-space: nowrap; } tr { break-inside: avoid; }"
        f"</style></head><body><h1>{escape(title)}</h1>"
        f"<p>共 {len(records)} 份，可读 {readable} 份。</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></body></html>\n"
    )


def write(records: Sequence[Record], target: Path, *, as_pdf: bool) -> None:
    text = html(records)
    if as_pdf:
        from reportgen.render.pdf import engine

        engine.weasyprint().HTML(string=text).write_pdf(target)
    else:
        target.write_text(text, encoding="utf-8")
