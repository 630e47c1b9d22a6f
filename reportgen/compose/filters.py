"""The filters a template writes with `|`: the same functions for every report, each reading what
it needs of the report (its number format, its figures, its settings) from the template's
context.  So a compiled template, kept between reports, holds nothing of any one of them."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jinja2 import pass_context
from jinja2.runtime import Context

from reportgen.figures import derive
from reportgen.figures.formulas import round_half_up
from reportgen.figures.numbers import NumberFormat, chinese_number

FORMAT = "fmt"  # the context's NumberFormat
FIGURES = "fig"  # the context's derived funds figures
SETTINGS = "s"  # the context's settings, as templates read them
NUMBERING = "numbering"  # whether headings take their 一、 and （一）


def _fmt(context: Context) -> NumberFormat:
    fmt: NumberFormat = context[FORMAT]
    return fmt


@pass_context
def money(context: Context, value: Decimal | int | None) -> str:
    return _fmt(context).money(value)


@pass_context
def rate(context: Context, value: Decimal | None, places: int | None = None) -> str:
    return _fmt(context).rate(value, places)


@pass_context
def score(context: Context, value: Decimal | None) -> str:
    return _fmt(context).score(value)


@pass_context
def item_label(context: Context, n: int) -> str:
    return label_of(n, str(context[SETTINGS]["列表编号"]))


@pass_context
def year_on_year(context: Context, key: str, style: str = "full") -> str:
    figures: derive.Funds = context[FIGURES]
    return change_text(figures.同比.get(key), _fmt(context), style)


def label_of(n: int, pattern: str) -> str:
    return pattern.replace("{n}", str(n)).replace("{中文}", chinese_number(n))


def change_text(change: derive.Change | None, fmt: NumberFormat, style: str) -> str:
    """A figure against last year's, "" without 上年: style "full" is "，比上年增加 X 万元，增长 Y%",
    "short" is "（比上年增长 Y%）", "bare" is "比上年增长 Y%"."""
    if change is None:
        return ""
    if style == "full":
        return "，" + fmt.change(change.amount, change.rate)
    if change.amount == 0 or change.rate is None:
        bare = fmt.change(change.amount, None)
    else:
        bare = f"比上年{'增长' if change.amount > 0 else '下降'}{fmt.rate(abs(change.rate))}"
    return bare if style == "bare" else f"（{bare}）"


def plain(value: Any) -> str:
    """Cells typed as numbers print as typed (Decimal keeps the written digits); nothing prints
    as nothing."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def unsigned(value: Decimal | None) -> Decimal | None:
    return None if value is None else abs(value)


def points(value: Decimal) -> str:
    rounded = round_half_up(value, 2)
    return plain(rounded.normalize() if value == value.to_integral() else rounded)


@pass_context
def numbered(context: Context, title: str, label: str) -> str:
    """Prefix the outline number unless the author wrote one (e.g. "(一) 部门职能", kept as typed),
    or the document's headings are not numbered (标题编号: false, a document made of tables)."""
    if not context.get(NUMBERING, True):
        return title
    return number_title(title, label)


def number_title(title: str, label: str) -> str:
    return title if ENUMERATED.match(title) else f"{label}{title}"


ENUMERATED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[.．、])")

FILTERS: tuple[tuple[str, Any], ...] = (
    ("money", money),
    ("rate", rate),
    ("score", score),
    ("cn", chinese_number),
    ("numbered", numbered),
    ("item_label", item_label),
    ("plain", plain),
    ("unsigned", unsigned),
    ("points", points),
    ("yoy", year_on_year),
)
