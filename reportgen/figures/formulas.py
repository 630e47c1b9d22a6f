"""Derived figures: pure functions on Decimal with half-up rounding (四舍五入).

Binary floats turn 99.765 into 99.76; finance officers round on paper the way these do.
Rates are returned as percentages (99.77 means 99.77 %); callers round at printing time.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


def round_half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    """part ÷ whole as a percentage; None when the whole is zero (no rate can be printed)."""
    if whole == 0:
        return None
    return part * HUNDRED / whole


def completion_rate(actual: Decimal, budget: Decimal) -> Decimal | None:
    """预算完成率（预算执行率）= 执行数 ÷ 全年预算数 (the adjusted budget)."""
    return ratio(actual, budget)


def adjustment(initial: Decimal, adjusted: Decimal) -> Decimal:
    """年度预算调整数 = 年初预算数 − 调整后预算数 (signed; seed 003 prints it unsigned)."""
    return initial - adjusted


def adjustment_rate(initial: Decimal, adjusted: Decimal) -> Decimal | None:
    """预算调整率 = 年度预算调整数 ÷ 年初预算数."""
    return ratio(adjustment(initial, adjusted), initial)


def share(part: Decimal, total: Decimal) -> Decimal | None:
    """A part's share of a total, e.g. 基本支出 ÷ 执行数."""
    return ratio(part, total)


def total(values: Iterable[Decimal | None]) -> Decimal:
    """Sum of the parts given; missing parts count as zero."""
    return sum((v for v in values if v is not None), Decimal(0))


def year_end_balance(opening: Decimal, income: Decimal, spending: Decimal) -> Decimal:
    """年末结转和结余 = 年初结转结余 + 本年收入 − 本年支出 (the 决算 identity)."""
    return opening + income - spending


def coverage_rate(evaluated: Decimal, project_total: Decimal) -> Decimal | None:
    """项目自评覆盖率 = 自评项目资金 ÷ 项目支出总额."""
    return ratio(evaluated, project_total)


def year_on_year(current: Decimal, previous: Decimal) -> Decimal | None:
    """同比 = (本年 − 上年) ÷ 上年."""
    return ratio(current - previous, previous)


def staffing_rate(on_post: Decimal, establishment: Decimal) -> Decimal | None:
    """在职人员控制率 = 在职人数 ÷ 编制人数."""
    return ratio(on_post, establishment)


def indicator_completion(actual: Decimal, target: Decimal, *, higher_is_better: bool = True) -> Decimal | None:
    """Indicator 完成率: 实际 ÷ 目标, or 目标 ÷ 实际 when lower is better; capped at 100 %."""
    rate = ratio(actual, target) if higher_is_better else ratio(target, actual)
    if rate is None:
        return None
    return min(rate, HUNDRED)
