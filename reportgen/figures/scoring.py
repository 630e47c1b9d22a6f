"""Self-evaluation score (自评得分) from the indicators, by a score sheet that is data.

A quantitative indicator scores in proportion to completion, capped at its points, unless the
sheet gives it rules of its own (bands by completion or by the value achieved: 调整率 > 30% 得 0,
≥ 100% 满分, 60–100% 按比例, < 60% 不得分); a qualitative one scores the share the evaluator picks
within its band.  The sheet's numbers (weights, bands, grades, rules) are a template's settings
(`评分:`, template/settings.py, which holds their defaults from 财预〔2020〕10号).

No figure is invented: a part of the score whose inputs are missing takes the figure the unit
stated for it (a row's 得分, a typed 执行率 or 执行率得分), flagged as 手填; a part with neither stays
empty, and then so does the total, unless the unit typed its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from reportgen.figures.formulas import HUNDRED, indicator_completion, round_half_up
from reportgen.input.model import Indicator

_NUMBER = re.compile(r"(?<![\d.])[-+]?\d{1,15}(?:\.\d{1,6})?(?![\d.])")  # bounded: every ratio of two stays exact
_DIRECTION = {  # longer words first: 大于等于 before 大于
    "大于等于": "越大越好",
    "小于等于": "越小越好",
    "不低于": "越大越好",
    "不少于": "越大越好",
    "不小于": "越大越好",
    "达到": "越大越好",
    "高于": "越大越好",
    "大于": "越大越好",
    "不高于": "越小越好",
    "不超过": "越小越好",
    "不多于": "越小越好",
    "不大于": "越小越好",
    "控制在": "越小越好",
    "低于": "越小越好",
    "小于": "越小越好",
    "≥": "越大越好",
    ">=": "越大越好",
    ">": "越大越好",
    "≤": "越小越好",
    "<=": "越小越好",
    "<": "越小越好",
    "=": "等于",
}

_BOUND_AFTER = {"以上": "越大越好", "以内": "越小越好", "以下": "越小越好", "之内": "越小越好"}  # 95%以上, 5天以内

Source = Literal["计算", "手填", "缺"]
COMPUTED: Source = "计算"  # from complete inputs
STATED: Source = "手填"  # the unit's own figure, for want of the inputs
MISSING: Source = "缺"  # neither: the cell stays empty


def normal(text: str) -> str:
    """Full-width digits, ％ and comparison signs as their half-width forms (９８％ is 98%)."""
    return unicodedata.normalize("NFKC", text)


# ---------------------------------------------------------------- a sheet's own rules

_CONDITION = re.compile(r"^\s*(完成率|实际值|执行率)\s*(≥|>=|>|≤|<=|<|=)\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*$")
_OTHERWISE = ("其他", "否则")


@dataclass(frozen=True)
class Band:
    """One band of a rule: when its condition holds, what the indicator gets.  A condition is on
    完成率 (or 执行率, the same for the budget row) or on 实际值; `其他` always holds."""

    measure: str | None  # 完成率 / 实际值; None: 其他
    operator: str
    limit: Decimal
    award: str  # 满分 / 按比例 / 比例 (a share of the points) / 分 (points)
    amount: Decimal = Decimal(0)

    def holds(self, completion: Decimal | None, actual: Decimal | None) -> bool:
        if self.measure is None:
            return True
        value = actual if self.measure == "实际值" else completion
        if value is None:
            return False
        return {
            ">=": value >= self.limit,
            ">": value > self.limit,
            "<=": value <= self.limit,
            "<": value < self.limit,
            "=": value == self.limit,
        }[self.operator]

    def describe(self) -> str:
        """The band as a bureau writes it: 完成率 >= 60：按比例."""
        condition = "其他" if self.measure is None else f"{self.measure} {self.operator} {self.limit}"
        award = {"比例": f"{self.amount}%", "分": f"{self.amount}"}.get(self.award, self.award)
        return f"{condition}：{award}"

    def points(self, weight: Decimal, completion: Decimal | None) -> Decimal:
        if self.award == "满分":
            return weight
        if self.award == "按比例":
            return weight * (completion or Decimal(0)) / HUNDRED
        if self.award == "比例":
            return weight * self.amount / HUNDRED
        return min(self.amount, weight)


def parse_band(condition: str, award: str) -> Band:
    """One band from its two words: `完成率 ≥ 60` (or `实际值 > 30`, or `其他`) and `满分`,
    `按比例`, `80%` (a share of the points) or `5` (points).  ValueError says what is wrong."""
    text = normal(str(condition)).strip()
    if text in _OTHERWISE:
        measure, operator, limit = None, "", Decimal(0)
    else:
        found = _CONDITION.match(text)
        if found is None:
            raise ValueError(f"条件「{condition}」看不懂：写成「完成率 ≥ 60」「实际值 > 30」或「其他」")
        measure = "完成率" if found[1] == "执行率" else found[1]
        operator = {"≥": ">=", "≤": "<="}.get(found[2], found[2])
        limit = Decimal(found[3])
    given = normal(str(award)).strip()
    if given in ("满分", "按比例"):
        return Band(measure, operator, limit, given)
    share = re.fullmatch(r"(\d+(?:\.\d+)?)\s*%", given)
    if share:
        return Band(measure, operator, limit, "比例", Decimal(share[1]))
    if re.fullmatch(r"\d+(?:\.\d+)?", given):
        return Band(measure, operator, limit, "分", Decimal(given))
    raise ValueError(f"得分「{award}」看不懂：写「满分」「按比例」、得分比例如「80%」，或分数如「5」")


@dataclass(frozen=True)
class Rule:
    """How the indicators a rule names are scored: by name (三级指标 containing `indicator`) or by
    score-sheet category; `direction` for those that state none (a reverse indicator: 目标 ÷ 实际)."""

    indicator: str | None
    category: str | None
    direction: str | None
    bands: tuple[Band, ...]

    def applies(self, indicator: Indicator, category: str) -> bool:
        if self.indicator is not None:
            return self.indicator in indicator.三级指标 or self.indicator == indicator.二级指标
        return self.category == category


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
    rules: tuple[Rule, ...] = ()
    budget_bands: tuple[Band, ...] = ()  # how the budget row scores 执行率; none: in proportion, capped
    lower_is_better: tuple[str, ...] = ()  # names of indicators that usually want a ≤ target
    capped: bool = False  # a category's indicators score no more than the category's points
    described: str = ""  # how the terminal names a sheet the template sets without a name
    stated_mark: str = "*"  # after a figure the unit stated, where a table prints it
    stated_note: str = "注：带“*”的得分、执行率为单位填写，未经计算。"

    @property
    def title(self) -> str:
        """How the terminal names the sheet."""
        return self.name or self.described or "默认评分表（财预〔2020〕10号的权重）"

    def grade(self, total: Decimal) -> str:
        for threshold, name in self.grades:
            if total >= threshold:
                return name
        return self.grades[-1][1]

    def rule_for(self, indicator: Indicator, category: str) -> Rule | None:
        """The first rule naming the indicator, else the first naming its category."""
        named = next((r for r in self.rules if r.indicator is not None and r.applies(indicator, category)), None)
        return named or next((r for r in self.rules if r.indicator is None and r.applies(indicator, category)), None)


# ---------------------------------------------------------------- targets and results


@dataclass(frozen=True)
class Target:
    direction: str  # 越大越好 越小越好 等于 定性
    value: Decimal | None
    stated: bool = False  # the direction was written (a comparison sign or 方向), not assumed


def parse_target(text: str, direction: str | None = None) -> Target:
    """ "≥95%" → at least 95; "≤5天" → at most 5; "=100%" → exactly 100; "263" → at least 263;
    words such as "提升" → qualitative."""
    stripped = normal(text).strip()
    number = _NUMBER.search(stripped)
    stated = direction is not None
    if direction is None:
        prefix = next((d for sym, d in _DIRECTION.items() if stripped.startswith(sym)), None)
        suffix = next((d for word, d in _BOUND_AFTER.items() if stripped.endswith(word)), None)
        if suffix is not None and number is not None and (prefix is None or prefix != suffix):
            prefix = suffix  # 控制在95%以上: the word after the figure says which way
        stated = prefix is not None
        if number is None:
            direction = "定性"
        elif prefix is not None:
            direction = prefix
        elif number.start() == 0:
            direction = "越大越好"
        else:
            direction = "定性"
    value = Decimal(number.group()) if number and direction != "定性" else None
    return Target(direction, value, stated)


def parse_actual(text: str | None) -> Decimal | None:
    if text is None:
        return None
    number = _NUMBER.search(normal(text))
    return Decimal(number.group()) if number else None


def unit_of(text: str | None) -> str:
    """What follows the number: "≥0.12万人" → 万人, "93%" → %, "24场" → 场 ("以上", "以内" aside)."""
    if not text:
        return ""
    text = normal(text)
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


# ---------------------------------------------------------------- the parts of a score


@dataclass
class ItemScore:
    indicator: Indicator
    category: str
    points: Decimal
    completion: Decimal | None  # percent, capped at 100
    score: Decimal | None  # None: neither computed nor stated; rounded to the sheet's places
    problem: str = ""  # why it could not be computed, or what else is wrong
    source: Source = COMPUTED
    exact: Decimal | None = None  # the score before rounding: 得分系数 is exact ÷ points

    @property
    def factor(self) -> Decimal | None:
        """得分系数: the share of the points scored, from the unrounded score."""
        value = self.exact if self.exact is not None else self.score
        if value is None or not self.points:
            return None
        return value / self.points


@dataclass(frozen=True)
class BudgetPart:
    """The budget row: 执行率 (computed from 执行数 ÷ 全年预算数, or as the unit stated it) and
    its points."""

    rate: Decimal | None
    rate_source: Source
    score: Decimal | None
    source: Source


@dataclass
class Score:
    sheet: ScoreSheet
    budget: BudgetPart
    items: list[ItemScore] = field(default_factory=list)
    typed: Decimal | None = None  # the unit's own total (自评得分)
    typed_grade: str | None = None  # the unit's own grade (自评等级)
    by_indicators: bool = True  # False: no indicators, only the unit's typed total to quote

    @property
    def budget_rate(self) -> Decimal | None:
        return self.budget.rate

    @property
    def budget_score(self) -> Decimal | None:
        return self.budget.score

    @property
    def complete(self) -> bool:
        """Every part has a figure, computed or stated."""
        return self.by_indicators and self.budget.score is not None and all(i.score is not None for i in self.items)

    @property
    def computed(self) -> bool:
        """Every part computed from complete inputs: the total is the arithmetic's alone."""
        sources = [self.budget.source, *(i.source for i in self.items)]
        return self.complete and all(s == COMPUTED for s in sources)

    @property
    def summed(self) -> Decimal | None:
        """The sum of the parts, each category within its points where the sheet caps them;
        None while a part has no figure."""
        if not self.complete:
            return None
        by_category: dict[str, Decimal] = {}
        for item in self.items:
            by_category[item.category] = by_category.get(item.category, Decimal(0)) + (item.score or Decimal(0))
        if self.sheet.capped:
            by_category = {c: min(v, self.sheet.categories.get(c, v)) for c, v in by_category.items()}
        budget = self.budget.score or Decimal(0)
        return round_half_up(budget + sum(by_category.values(), Decimal(0)), self.sheet.places)

    @property
    def total(self) -> Decimal | None:
        """The parts' sum, else the unit's own total; None when neither exists."""
        summed = self.summed
        return summed if summed is not None else self.typed

    @property
    def source(self) -> Source:
        """计算: the total is the arithmetic's on computed parts; 手填: some of it is the unit's own
        figures (a stated part, or its typed total); 缺: there is no total to print."""
        if self.computed:
            return COMPUTED
        return STATED if self.total is not None else MISSING

    def mark(self, source: Source) -> str:
        """What follows a printed figure of this source: the sheet's mark for a stated one."""
        return self.sheet.stated_mark if source == STATED else ""

    @property
    def stated(self) -> bool:
        """Some figure a table of this score prints is the unit's own, not the arithmetic's."""
        parts = [self.budget.source, self.budget.rate_source, *(i.source for i in self.items)]
        return self.by_indicators and (STATED in parts or self.source == STATED)

    @property
    def note(self) -> str:
        """The line under a table that prints stated figures, saying what their mark means."""
        return self.sheet.stated_note if self.stated else ""

    @property
    def stated_words(self) -> str:
        """How a sentence quoting the total says it is not the arithmetic's alone ("" when it is,
        or when there are no indicators and the total is simply the unit's own)."""
        if not self.by_indicators or self.source != STATED:
            return ""
        return "单位填写，未经计算" if self.summed is None else "其中部分得分为单位填写，未经计算"

    @property
    def grade(self) -> str | None:
        total = self.total
        if total is None:
            return None
        if self.summed is None and self.typed_grade:
            return self.typed_grade.strip()
        return self.sheet.grade(total)

    @property
    def full_marks(self) -> Decimal:
        if not self.by_indicators:
            return self.sheet.full
        return self.sheet.budget_points + sum((i.points for i in self.items), Decimal(0))


def category_of(indicator: Indicator, sheet: ScoreSheet) -> str:
    """The score-sheet category: a category named in 二级指标 (如「服务对象满意度指标」), else 一级指标."""
    for name in sheet.categories:
        if name and name in indicator.二级指标:
            return name
    return indicator.一级指标


Scored = tuple[Decimal | None, Decimal | None, str, Source]  # (完成率, 得分 unrounded, problem, source)


def _stated(indicator: Indicator, completion: Decimal | None, problem: str) -> Scored:
    """A part that cannot be computed: the unit's own 得分 for it, else nothing."""
    if indicator.得分 is not None:
        return completion, indicator.得分, problem, STATED
    return completion, None, problem, MISSING


def _banded(rule: Rule | None, points: Decimal, rate: Decimal, actual: Decimal | None) -> Decimal:
    """Points by the rule's first band that holds (none: 0), else in proportion to 完成率."""
    if rule is None:
        return points * rate / HUNDRED
    band = next((b for b in rule.bands if b.holds(rate, actual)), None)
    return band.points(points, rate) if band is not None else Decimal(0)


def _as_fraction(target: Target, actual: Decimal, wanted: str, got: str) -> bool:
    """A percentage typed as a fraction: 0.962 against ≥95%."""
    return wanted == "%" and not got and 0 < actual < 2 and target.value is not None and target.value >= 2


def indicator_score(indicator: Indicator, points: Decimal, sheet: ScoreSheet, category: str = "") -> Scored:
    """(完成率, 得分 before rounding, problem, source) for one indicator worth `points`.  A rule of
    the sheet scores a qualitative indicator too: its 完成率 is the share its 评价 earns."""
    rule = sheet.rule_for(indicator, category)
    direction = indicator.方向 or (rule.direction if rule is not None else None)
    target = parse_target(indicator.年度指标值, direction)
    actual = parse_actual(indicator.实际完成值)
    quantitative = target.direction != "定性" and target.value is not None and actual is not None
    if not quantitative and (target.direction == "定性" or indicator.评价 is not None):
        if indicator.评价 is None:
            return _stated(indicator, None, "定性指标缺少「评价」（达成/部分达成/未达成）")
        low, high = sheet.bands[indicator.评价]
        share = indicator.得分比例 if indicator.得分比例 is not None else high
        problem = ""
        if not low <= share <= high:
            clamped = min(max(share, low), high)
            problem = f"得分比例 {share}% 不在「{indicator.评价}」的范围 {low}%–{high}% 内，按 {clamped}% 计分"
            share = clamped
        return share, min(_banded(rule, points, share, None), points), problem, COMPUTED
    if actual is None or target.value is None:
        return _stated(indicator, None, "缺少可计算的「实际完成值」（定量指标写数字，如 98%；定性指标写「评价」）")
    wanted, got = unit_of(indicator.年度指标值), unit_of(indicator.实际完成值)
    if wanted and got and wanted != got:
        return _stated(
            indicator, None, f"年度指标值的单位「{wanted}」与实际完成值的单位「{got}」不同，未计分：请写成同一单位"
        )
    if _as_fraction(target, actual, wanted, got):
        return _stated(
            indicator,
            None,
            f"实际完成值 {actual} 看起来把百分比写成了小数（年度指标值是 {indicator.年度指标值.strip()}），未计分："
            f"请写 {(actual * HUNDRED).normalize():f}%",
        )
    rate = completion(target.direction, target.value, actual)
    problem = "是定量指标，已按实际完成值计分，「评价」不起作用" if indicator.评价 is not None else ""
    return rate, min(_banded(rule, points, rate, actual), points), problem, COMPUTED


def looks_like_fraction(rate: Decimal) -> bool:
    """A rate in percent that reads as a fraction typed for it: 0.986 for 98.6%."""
    return 0 < rate < 2


def budget_part(
    rate: Decimal | None,
    sheet: ScoreSheet,
    stated_rate: Decimal | None = None,
    stated_score: Decimal | None = None,
) -> BudgetPart:
    """预算执行率's points: weight × 执行率, capped at the weight (or the sheet's bands), from the
    computed rate, else from the rate the unit stated; else the unit's stated points; else none."""
    if sheet.budget_points == 0:
        return BudgetPart(rate, COMPUTED if rate is not None else MISSING, Decimal(0), COMPUTED)
    source: Source = COMPUTED
    if rate is None and stated_rate is not None and not looks_like_fraction(stated_rate):
        rate, source = stated_rate, STATED
    if rate is None:
        if stated_score is not None:
            return BudgetPart(None, MISSING, stated_score, STATED)
        return BudgetPart(None, MISSING, None, MISSING)
    weight = sheet.budget_points
    value = min(weight * rate / HUNDRED, weight)
    if sheet.budget_bands:
        capped = min(rate, HUNDRED)
        band = next((b for b in sheet.budget_bands if b.holds(capped, rate)), None)
        value = band.points(weight, capped) if band is not None else Decimal(0)
    return BudgetPart(rate, source, round_half_up(value, sheet.places), source)


def budget_score(rate: Decimal | None, sheet: ScoreSheet) -> Decimal | None:
    """预算执行率 points = weight × 执行率, capped at the weight (None without a rate)."""
    return budget_part(rate, sheet).score


def score(
    indicators: list[Indicator],
    budget_rate: Decimal | None,
    sheet: ScoreSheet,
    *,
    stated_rate: Decimal | None = None,
    stated_budget_score: Decimal | None = None,
    typed: Decimal | None = None,
    typed_grade: str | None = None,
) -> Score:
    """Score every indicator: its own 分值, else the district list's points for it, else an equal
    share of its category's points."""
    budget = budget_part(budget_rate, sheet, stated_rate, stated_budget_score)
    result = Score(sheet, budget, typed=typed, typed_grade=typed_grade)
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
        rate, value, problem, source = indicator_score(indicator, points, sheet, category)
        if weight is None and category not in sheet.categories:
            problem = problem or f"类别「{category}」不在评分表中，且未填「分值」"
        rounded = round_half_up(value, sheet.places) if value is not None and source == COMPUTED else value
        result.items.append(ItemScore(indicator, category, points, rate, rounded, problem, source, value))
    return result


def _points(value: Decimal) -> str:
    rounded = round_half_up(value, 2)
    return format(rounded.normalize() if rounded == rounded.to_integral() else rounded, "f")


def sheet_gaps(result: Score) -> list[str]:
    """What keeps a score from being a score by the sheet: a category with no indicator, a
    category given more points than the sheet allows, full marks that are not the sheet's total."""
    sheet = result.sheet
    gaps: list[str] = []
    given: dict[str, Decimal] = {}
    for item in result.items:
        given[item.category] = given.get(item.category, Decimal(0)) + item.points
    full = round_half_up(result.full_marks, 2)
    missing = [(name, weight) for name, weight in sheet.categories.items() if weight > 0 and name not in given]
    for name, weight in missing:
        gaps.append(f"评分表的「{name}」（{_points(weight)} 分）没有指标")
    listed = "、".join(name for name, weight in sheet.categories.items() if weight > 0)
    for name, points in given.items():
        if name not in sheet.categories and points > 0:
            gaps.append(
                f"「{name}」不在评分表的类别中（{listed}），其指标按各自的「分值」计入总分："
                "请核对一级指标的名称，或在模板的「评分 › 类别」中加上它"
            )
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
