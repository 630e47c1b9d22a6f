"""Printing figures the way a district prints them (precision, thousands separators, %).

Kept apart from the arithmetic so that a district's format never changes a computed value, and
so that a hand-typed figure is compared with the computed one at exactly the printed precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from reportgen.figures.formulas import round_half_up

AS_TYPED: Final = "原样"


@dataclass(frozen=True)
class NumberFormat:
    money_places: int | Literal["原样"] = AS_TYPED
    thousands: bool = False
    rate_places: int = 2
    score_places: int = 2

    def money(self, value: Decimal | int | None) -> str:
        if value is None:
            return ""
        value = Decimal(value)
        if self.money_places != AS_TYPED:
            value = round_half_up(value, int(self.money_places))
        return format(value, ",f" if self.thousands else "f")

    def rate(self, value: Decimal | None, places: int | None = None) -> str:
        """A percentage: 99.7720… → "99.77%" at two places; "—" when it cannot be computed."""
        if value is None:
            return "—"
        rounded = round_half_up(value, self.rate_places if places is None else places)
        return f"{rounded:f}%"

    def score(self, value: Decimal | None) -> str:
        """A self-evaluation score at the district's precision: 97.00 or 97."""
        if value is None:
            return ""
        return format(round_half_up(Decimal(value), self.score_places), "f")

    def change(self, amount: Decimal, rate: Decimal | None, unit: str = "万元") -> str:
        """比上年增加 X 万元，增长 Y% — or 减少/下降, or 与上年持平."""
        if amount == 0:
            return "与上年持平"
        verb, trend = ("增加", "增长") if amount > 0 else ("减少", "下降")
        text = f"比上年{verb}{self.money(abs(amount))}{unit}"
        if rate is not None:
            text += f"，{trend}{self.rate(abs(rate))}"
        return text

    def same_at_precision(self, typed: Decimal, computed: Decimal) -> bool:
        """Whether a typed rate agrees with the computed one at the precision it is printed at
        (or at the typed precision, when the author typed fewer places, as in "29%")."""
        places = min(decimal_places(typed), self.rate_places)
        return round_half_up(typed, places) == round_half_up(computed, places)


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def agrees_as_typed(typed: Decimal, computed: Decimal) -> bool:
    """A hand-typed figure (a score such as 88 or 94.28) against the computed one, rounded to
    the places the author typed."""
    return round_half_up(computed, decimal_places(typed)) == typed


CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一: section numbers of the outline."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CHINESE_DIGITS[ones]
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return head + "十" + (CHINESE_DIGITS[ones] if ones else "")
