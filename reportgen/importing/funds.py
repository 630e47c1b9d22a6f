"""The figures of 部门整体收支情况, lifted from the sentences that quote them.

Each figure is found by its label in the report's own words ("全年预算数 150,490.53 万元",
"按支出性质看，基本支出 …"), kept as typed (Decimal, its places; a thousands separator noted),
and put under its key.  An amount with 万元 that no label claims is returned as unplaced, so
that the officer is told where to look.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

_NUMBER = r"(?P<n>-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)"
_LINK = r"(?:为|是|达|共|合计|总计|总额|共计|：|:)?约?"
_UNIT = r"\s*(?P<u>亿元|万元|元)"
_SPENT = r"(?:支出)?(?!收入)"

# (key path in the YAML, label pattern); longer labels first where one contains another
LABELS: list[tuple[tuple[str, ...], str]] = [
    (("年初结转和结余",), r"年初结转(?:和|及)?结余"),
    (("年末结转和结余",), r"年末结转(?:和|及)?结余|年末结余|期末结转(?:和|及)?结余|期末结余"),
    (("全年预算数",), r"全年预算(?:数)?|(?:部门)?预算总金额|调整后(?:的)?预算(?:数)?"),
    (("年初预算数",), r"年初预算(?:数)?"),
    (("收入来源", "一般公共预算财政拨款收入"), r"一般公共预算财政拨款收入"),
    (("收入来源", "政府性基金预算财政拨款收入"), r"政府性基金预算财政拨款收入"),
    (("收入来源", "国有资本经营预算财政拨款收入"), r"国有资本经营预算财政拨款收入"),
    (("收入来源", "财政拨款收入"), r"(?<!预算)财政拨款收入"),
    (("收入来源", "上级补助收入"), r"上级补助收入"),
    (("收入来源", "事业收入"), r"事业收入"),
    (("收入来源", "经营收入"), r"(?<!事业)经营收入"),
    (("收入来源", "附属单位上缴收入"), r"附属单位上缴收入"),
    (("收入来源", "其他收入"), r"其他收入"),
    (("资金来源", "一般公共预算财政拨款"), r"一般公共预算财政拨款" + _SPENT),
    (("资金来源", "政府性基金预算财政拨款"), r"政府性基金预算财政拨款" + _SPENT),
    (("资金来源", "国有资本经营预算财政拨款"), r"国有资本经营预算财政拨款" + _SPENT),
    (("资金来源", "其他资金"), r"其他资金(?:支出)?"),
    (("支出性质", "基本支出"), r"基本支出"),
    (("支出性质", "项目支出"), r"(?<!一般公共预算)项目支出"),
    (("支出性质", "人员经费"), r"人员经费(?:支出)?"),
    (("支出性质", "公用经费"), r"公用经费(?:支出)?"),
    (("本年收入",), r"本年收入|(?<![入出])收入合计|收入总计"),
    (("本年支出",), r"本年支出|(?<![入出])支出合计|支出总计"),
    (("总收入",), r"总收入"),
    (("总支出",), r"总支出"),
    (("执行数",), r"(?:全年)?执行数|实际支出(?:数)?|(?:部门)?决算支出(?:总额|合计|数)?"),
]
# the figures 上年 may name, by the key they stand under this year
LAST_YEAR = {
    "全年预算数": "全年预算数",
    "执行数": "执行数",
    "本年收入": "本年收入",
    "本年支出": "本年支出",
    "财政拨款收入": "财政拨款收入",
    "基本支出": "基本支出",
    "项目支出": "项目支出",
    "人员经费": "人员经费",
    "公用经费": "公用经费",
    "年末结转和结余": "年末结转和结余",
}
# "比上年增加 N 万元", also a clause later in the sentence ("…，预算执行率98.76%，同比上年度增加 N 万元")
_NO_AMOUNT = r"(?:(?!\d+(?:\.\d+)?\s*万元)[^。；]){0,30}?"
_CHANGE = re.compile(_NO_AMOUNT + r"(?:同比)?(?:比|较)?上年度?(?P<dir>增加|减少|增长|下降)" + _NUMBER + r"\s*万元")
# last year's figure written out: "上年度执行数为6,012.45万元"
# last year's figure in brackets after the figure: "…4,526.18万元，较上年（4,255.93万元）增长6.35%"
_LAST_YEAR_BRACKETED = re.compile(_NO_AMOUNT + r"(?:比|较)上年度?[（(]" + _NUMBER + r"\s*万元[)）]")
_LAST_YEAR = re.compile(
    r"上年度?(?:的)?(?P<k>执行数|实际支出|本年收入|本年支出|全年预算数)" + _LINK + _NUMBER + r"\s*万元"
)
_RATE = re.compile(r"(?:完成预算的|预算完成率(?:为|达|是)?)(?P<p>\d+(?:\.\d+)?)\s*%")
_ANY_AMOUNT = re.compile(_NUMBER + _UNIT)


@dataclass
class Lifted:
    figures: dict[tuple[str, ...], Decimal] = field(default_factory=dict)
    last_year: dict[str, Decimal] = field(default_factory=dict)  # from "比上年增加 N 万元"
    typed_rate: Decimal | None = None
    thousands: bool = False  # figures written 150,490.53
    unplaced: list[str] = field(default_factory=list)  # "…12.35万元…" that no label claims
    converted: list[str] = field(default_factory=list)  # amounts given in 元 or 亿元, turned into 万元
    set_apart: list[str] = field(default_factory=list)  # a project's or special fund's sentences


def _amount(number: str, unit: str) -> Decimal | None:
    try:
        value = Decimal(number.replace(",", ""))
    except InvalidOperation:
        return None
    if unit == "元":
        return value / 10000
    if unit == "亿元":
        return value * 10000
    return value


def lift(text: str) -> Lifted:
    """Every labelled figure of a section's text (its paragraphs joined)."""
    found = Lifted()
    claimed: list[tuple[int, int]] = []
    for match in _LAST_YEAR.finditer(text):
        value = _amount(match["n"], "万元")
        key = "执行数" if match["k"] == "实际支出" else match["k"]
        if value is not None:
            found.last_year.setdefault(key, value)
            claimed.append((match.start("n"), match.end()))
    for key, label in LABELS:
        pattern = re.compile(rf"(?:{label}){_LINK}{_NUMBER}{_UNIT}")
        for match in pattern.finditer(text):
            if any(a <= match.start("n") < b for a, b in claimed):
                continue
            value = _amount(match["n"], match["u"])
            if value is None:
                continue
            claimed.append((match.start("n"), match.end("u")))
            if key in found.figures:
                continue  # the first mention is the figure; later ones are quotes of it
            found.figures[key] = value
            bracketed = _LAST_YEAR_BRACKETED.match(text, match.end())
            if bracketed and key[-1] in LAST_YEAR:
                earlier = _amount(bracketed["n"], "万元")
                if earlier is not None:
                    found.last_year.setdefault(LAST_YEAR[key[-1]], earlier)
                    claimed.append((bracketed.start("n"), bracketed.end()))
            change = _CHANGE.match(text, match.end())
            if change and key[-1] in LAST_YEAR:
                delta = _amount(change["n"], "万元")
                if delta is not None:
                    up = change["dir"] in ("增加", "增长")
                    found.last_year[LAST_YEAR[key[-1]]] = value - delta if up else value + delta
                    claimed.append((change.start("n"), change.end()))
            found.thousands |= "," in match["n"]
            if match["u"] != "万元":
                found.converted.append(match.group(0))
    _unitless(text, found, claimed)
    rate = _RATE.search(text)
    if rate:
        found.typed_rate = Decimal(rate["p"])
    for match in _ANY_AMOUNT.finditer(text):
        if not any(a <= match.start("n") < b for a, b in claimed):
            found.unplaced.append(text[_clause_start(text, match.start()) : match.end()])
    return found


_UNIT_LINE = re.compile(r"(?:金额)?单位[:：]\s*(?P<u>万元|元)")


def _unitless(text: str, found: Lifted, claimed: list[tuple[int, int]]) -> None:
    """A form's text: 标签：数值 with no unit after it, the unit given once (金额单位：万元)."""
    unit = _UNIT_LINE.search(text)
    if unit is None:
        return
    for key, label in LABELS:
        if key in found.figures:
            continue
        match = re.search(rf"(?:{label})[:：]\s*{_NUMBER}(?![\d.%％])", text)
        if match is None or any(a <= match.start("n") < b for a, b in claimed):
            continue
        value = _amount(match["n"], unit["u"])
        if value is not None:
            found.figures[key] = value
            claimed.append((match.start("n"), match.end("n")))


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding `at` begins (after the last mark before it, within 30 characters),
    so that a quoted amount is never cut in the middle of a number."""
    window = max(0, at - 30)
    marks = [text.rfind(mark, window, at) for mark in "，。；：,;"]
    start = max(marks)
    return start + 1 if start >= 0 else window if window == 0 else _word_start(text, window)


def _word_start(text: str, at: int) -> int:
    while at > 0 and (text[at].isdigit() or text[at] in ",."):
        at -= 1
    return at
