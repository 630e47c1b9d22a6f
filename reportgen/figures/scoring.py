"""Self-evaluation score (自评得分) from the indicators, by a score sheet that is data.

A quantitative indicator scores in proportion to completion, capped at its points; a qualitative
one scores the share the evaluator picks within its band.  The sheet's numbers (weights, bands,
grades) are a template's settings (`评分:`, template/settings.py, which holds their defaults from
财预〔2020〕10号《项目支出绩效评价管理办法》).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.figures.formulas import HUNDRED, indicator_completion, round_half_up
from reportgen.input.model import Indicator

_NUMBER = re.compile(r"(?<![\d.])[-+]?\d{1,15}(?:\.\d{1,6})?(?![\d.])")  # bounded: every ratio of two stays exact
_DIRECTION = {
    "≥": "越大越好",
    ">=": "越大越好",
    "＞": "越大越好",
    ">": "越大越好",
    "≤": "越小越好",
    "<=": "越小越好",
    "＜": "越小越好",
    "<": "越小越好",
    "=": "等于",
    "＝": "等于",
}


@dataclass(frozen=True)
class ScoreSheet:
    name: str | None
    budget_points: Decimal
    categories: dict[str, Decimal]
    bands: dict[str, tuple[Decimal, Decimal]]
    grades: list[tuple[Decimal, str]]
    places: int = 2
    indicators: dict[str, Decimal] = field(default_factory=dict)  # the district's own list: name → points
    project_name: str | None = None
    full: Decimal = Decimal(100)  # the sheet's total: 预算执行率 + every category

    @property
    def title(self) -> str:
        """How the terminal names the sheet."""
        return self.name or "默认评分表（财预〔2020〕10号的权重）"

    def grade(self, total: Decimal) -> str:
        for threshold, name in self.grades:
            if total >= threshold:
                return name
        return self.grades[-1][1]


@dataclass(frozen=True)
class Target:
    direction: str  # 越大越好 越小越好 等于 定性
    value: Decimal | None


def parse_target(text: str, direction: str | None = None) -> Target:
    """ "≥95%" → at least 95; "≤5天" → at most 5; "=100%" → exactly 100; "263" → at least 263;
    words such as "提升" → qualitative."""
    stripped = text.strip()
    number = _NUMBER.search(stripped)
    if direction is None:
        prefix = next((d for sym, d in _DIRECTION.items() if stripped.startswith(sym)), None)
        if number is None:
            direction = "定性"
        elif prefix is not None:
            direction = prefix
        elif number.start() == 0:
            direction = "越大越好"
        else:
            direction = "定性"
    value = Decimal(number.group()) if number and direction != "定性" else None
    return Target(direction, value)


def parse_actual(text: str | None) -> Decimal | None:
    if text is None:
        return None
    number = _NUMBER.search(text)
    return Decimal(number.group()) if number else None


@dataclass
class ItemScore:
    indicator: Indicator
    category: str
    points: Decimal
    completion: Decimal | None  # percent, capped at 100
    score: Decimal
    problem: str = ""


@dataclass
class Score:
    sheet: ScoreSheet
    budget_rate: Decimal | None
    budget_score: Decimal
    items: list[ItemScore] = field(default_factory=list)
    typed: Decimal | None = None  # a score quoted as the author typed it, for want of indicators

    @property
    def computed(self) -> bool:
        return self.typed is None

    @property
    def total(self) -> Decimal:
        if self.typed is not None:
            return self.typed
        return round_half_up(self.budget_score + sum((i.score for i in self.items), Decimal(0)), self.sheet.places)

    @property
    def grade(self) -> str:
        return self.sheet.grade(self.total)

    @property
    def full_marks(self) -> Decimal:
        return self.sheet.budget_points + sum((i.points for i in self.items), Decimal(0))


def category_of(indicator: Indicator, sheet: ScoreSheet) -> str:
    """The score-sheet category: a category named in 二级指标 (如「服务对象满意度指标」), else 一级指标."""
    for name in sheet.categories:
        if name and name in indicator.二级指标:
            return name
    return indicator.一级指标


def budget_score(rate: Decimal | None, sheet: ScoreSheet) -> Decimal:
    """预算执行率 points = weight × 执行率, capped at the weight."""
    if rate is None:
        return Decimal(0)
    return round_half_up(min(sheet.budget_points * rate / HUNDRED, sheet.budget_points), sheet.places)


def unit_of(text: str | None) -> str:
    """What follows the number: "≥0.12万人" → 万人, "93%" → %, "24场" → 场 ("以上", "以内" aside)."""
    if not text:
        return ""
    number = _NUMBER.search(text)
    if number is None:
        return ""
    rest = re.sub(r"\s+", "", text[number.end() :])
    return re.sub(r"(及)?以[上下内]$", "", rest)


def completion(direction: str, target: Decimal, actual: Decimal) -> Decimal:
    """Indicator 完成率 in percent, 0–100: met is 100; short of it, the share achieved.  A target
    of 0 ("=0起" accidents, "≤0") is met by 0 and missed by anything else."""
    if direction == "越小越好":
        if actual <= target:
            return HUNDRED
        return _rate(indicator_completion(target, actual)) if target > 0 else Decimal(0)
    if direction == "等于":
        if actual == target:
            return HUNDRED
        if target > 0 and actual > 0:
            return _rate(indicator_completion(min(actual, target), max(actual, target)))
        return Decimal(0)
    if actual >= target:
        return HUNDRED
    return max(_rate(indicator_completion(actual, target)), Decimal(0)) if target > 0 else Decimal(0)


def _rate(value: Decimal | None) -> Decimal:
    """A completion whose denominator the caller has checked is not 0."""
    assert value is not None
    return value


def indicator_score(indicator: Indicator, points: Decimal, sheet: ScoreSheet) -> tuple[Decimal | None, Decimal, str]:
    """(完成率, 得分, problem) for one indicator worth `points`."""
    target = parse_target(indicator.年度指标值, indicator.方向)
    actual = parse_actual(indicator.实际完成值)
    quantitative = target.direction != "定性" and target.value is not None and actual is not None
    if not quantitative and (target.direction == "定性" or indicator.评价 is not None):
        if indicator.评价 is None:
            return None, Decimal(0), "定性指标缺少「评价」（达成/部分达成/未达成）"
        low, high = sheet.bands[indicator.评价]
        share = indicator.得分比例 if indicator.得分比例 is not None else high
        problem = ""
        if not low <= share <= high:
            clamped = min(max(share, low), high)
            problem = f"得分比例 {share}% 不在「{indicator.评价}」的范围 {low}%–{high}% 内，按 {clamped}% 计分"
            share = clamped
        return share, round_half_up(points * share / HUNDRED, sheet.places), problem
    if actual is None or target.value is None:
        return None, Decimal(0), "缺少可计算的「实际完成值」（定量指标写数字，如 98%；定性指标写「评价」）"
    wanted, got = unit_of(indicator.年度指标值), unit_of(indicator.实际完成值)
    if wanted and got and wanted != got:
        return (
            None,
            Decimal(0),
            f"年度指标值的单位「{wanted}」与实际完成值的单位「{got}」不同，未计分：请写成同一单位",
        )
    rate = completion(target.direction, target.value, actual)
    problem = "是定量指标，已按实际完成值计分，「评价」不起作用" if indicator.评价 is not None else ""
    return rate, round_half_up(points * rate / HUNDRED, sheet.places), problem


def score(indicators: list[Indicator], budget_rate: Decimal | None, sheet: ScoreSheet) -> Score:
    """Score every indicator: its own 分值, else the district list's points for it, else an equal
    share of its category's points."""
    result = Score(sheet, budget_rate, budget_score(budget_rate, sheet))
    categories = [category_of(i, sheet) for i in indicators]
    unweighted: dict[str, int] = {}
    listed = [sheet.indicators.get(i.三级指标) if i.分值 is None else i.分值 for i in indicators]
    for weight, category in zip(listed, categories, strict=True):
        if weight is None:
            unweighted[category] = unweighted.get(category, 0) + 1
    for indicator, category, weight in zip(indicators, categories, listed, strict=True):
        if weight is not None:
            points = weight
        else:
            weight = sheet.categories.get(category, Decimal(0))
            points = weight / unweighted[category]
        completion, value, problem = indicator_score(indicator, points, sheet)
        if weight is None and category not in sheet.categories:
            problem = problem or f"类别「{category}」不在评分表中，且未填「分值」"
        result.items.append(ItemScore(indicator, category, points, completion, value, problem))
    return result


def _points(value: Decimal) -> str:
    rounded = round_half_up(value, 2)
    return format(rounded.normalize() if rounded == rounded.to_integral() else rounded, "f")


def sheet_gaps(result: Score) -> list[str]:
    """What keeps a score from being a score by the sheet: a category with no indicator, a
    category given more points than the sheet allows, full marks that are not the sheet's total,
    a budget execution that cannot be scored."""
    sheet = result.sheet
    gaps: list[str] = []
    if result.budget_rate is None and sheet.budget_points > 0:
        gaps.append(f"缺少全年预算数或执行数，「预算执行率」（{_points(sheet.budget_points)} 分）无法计分，按 0 分计")
    given: dict[str, Decimal] = {}
    for item in result.items:
        given[item.category] = given.get(item.category, Decimal(0)) + item.points
    full = round_half_up(result.full_marks, 2)
    missing = [(name, weight) for name, weight in sheet.categories.items() if weight > 0 and name not in given]
    for name, weight in missing:
        gaps.append(f"评分表的「{name}」（{_points(weight)} 分）没有指标")
    for name, weight in sheet.categories.items():
        if name in given and round_half_up(given[name], 2) > weight:
            gaps.append(f"「{name}」各指标分值合计 {_points(given[name])} 分，超过评分表规定的 {_points(weight)} 分")
    if missing and full < sheet.full:
        gaps.append(f"缺少上述类别，满分只有 {_points(full)} 分（评分表总分 {_points(sheet.full)} 分）")
    elif full != sheet.full:
        gaps.append(
            f"满分合计 {_points(full)} 分（预算执行率 {_points(sheet.budget_points)} 分加各指标分值），"
            f"与评分表总分 {_points(sheet.full)} 分不符"
        )
    return gaps
