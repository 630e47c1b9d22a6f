"""Each formula with hand-computed cases; rounding is half-up on decimals, never floats."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reportgen.figures import formulas
from reportgen.figures.numbers import NumberFormat, chinese_number


def test_completion_rate_seed_000():
    # 150147.52 / 150490.53 = 0.997720… → 99.77 %
    rate = formulas.completion_rate(D("150147.52"), D("150490.53"))
    assert NumberFormat().rate(rate) == "99.77%"


def test_completion_rate_seed_001_one_decimal():
    # 199466.59 / 200963.70 = 0.992550… → 99.3 % at one place
    rate = formulas.completion_rate(D("199466.59"), D("200963.70"))
    assert NumberFormat(rate_places=1).rate(rate) == "99.3%"
    assert NumberFormat(rate_places=2).rate(rate) == "99.26%"


def test_zero_budget_has_no_rate():
    assert formulas.completion_rate(D(5), D(0)) is None
    assert NumberFormat().rate(None) == "—"


def test_adjustment_and_rate_seed_003():
    # 年初 2803.45, 调整后 1985.28: 调整数 818.17, 调整率 818.17 / 2803.45 = 29.18 %
    assert formulas.adjustment(D("2803.45"), D("1985.28")) == D("818.17")
    rate = formulas.adjustment_rate(D("2803.45"), D("1985.28"))
    assert NumberFormat(rate_places=0).rate(rate) == "29%"
    assert NumberFormat().rate(rate) == "29.18%"
    assert NumberFormat().rate(formulas.completion_rate(D("1961.88"), D("1985.28"))) == "98.82%"


def test_half_up_not_bankers_or_float():
    # 0.125 rounds to 0.13 (half-up); float(99.765) is 99.7649… and would round down
    assert formulas.round_half_up(D("0.125"), 2) == D("0.13")
    assert formulas.round_half_up(D("99.765"), 2) == D("99.77")
    assert formulas.round_half_up(D("-2.5"), 0) == D("-3")
    assert NumberFormat().rate(D("99.765")) == "99.77%"


def test_shares_and_totals():
    assert formulas.share(D("116217.91"), D("150147.52")).quantize(D("0.01")) == D("77.40")
    assert formulas.total([D("1931.12"), D("525.07"), None]) == D("2456.19")


def test_year_end_balance_identity():
    assert formulas.year_end_balance(D("10.00"), D("100.00"), D("95.50")) == D("14.50")


def test_coverage_seed_004():
    # 4238.61 / 4273.68 = 99.179… → 99.18 %
    assert NumberFormat().rate(formulas.coverage_rate(D("4238.61"), D("4273.68"))) == "99.18%"


def test_year_on_year_and_staffing():
    assert formulas.year_on_year(D(120), D(100)) == D(20)
    assert formulas.year_on_year(D(87), D(100)) == D(-13)
    assert formulas.staffing_rate(D(49), D(50)) == D(98)


@pytest.mark.parametrize(
    ("actual", "target", "higher", "expected"),
    [
        (D(90), D(100), True, D(90)),
        (D(120), D(100), True, D(100)),  # over target is capped
        (D(5), D(4), False, D(80)),  # lower is better: 目标 ÷ 实际
        (D(3), D(4), False, D(100)),
    ],
)
def test_indicator_completion(actual, target, higher, expected):
    assert formulas.indicator_completion(actual, target, higher_is_better=higher) == expected


@pytest.mark.parametrize(
    ("fmt", "value", "expected"),
    [
        (NumberFormat(thousands=True), D("150490.53"), "150,490.53"),
        (NumberFormat(thousands=False), D("150490.53"), "150490.53"),
        (NumberFormat(), D("3634.3"), "3634.3"),  # as typed
        (NumberFormat(), D("0.00"), "0.00"),
        (NumberFormat(), D("0"), "0"),
        (NumberFormat(money_places=2), D("3634.3"), "3634.30"),
        (NumberFormat(money_places=2, thousands=True), D("1234567.005"), "1,234,567.01"),
    ],
)
def test_money_format(fmt, value, expected):
    assert fmt.money(value) == expected


@pytest.mark.parametrize(
    ("typed", "computed", "places", "same"),
    [
        (D("99.77"), D("99.7720"), 2, True),
        (D("99.78"), D("99.7720"), 2, False),
        (D("99.3"), D("99.2551"), 1, True),
        (D("29"), D("29.184"), 2, True),  # typed with fewer places is compared at its own precision
        (D("30"), D("29.184"), 2, False),
        (D("99.1794"), D("99.1794"), 2, True),
    ],
)
def test_typed_rate_compared_at_printed_precision(typed, computed, places, same):
    assert NumberFormat(rate_places=places).same_at_precision(typed, computed) is same


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers(n, text):
    assert chinese_number(n) == text
