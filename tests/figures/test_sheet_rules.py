"""A province's scoring rules, written as settings, against a hand computation of each."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reportgen.figures.scoring import budget_part, parse_band, score
from reportgen.input.model import Indicator
from reportgen.template.settings import ScoreSettings, Settings


def ind(**kw) -> Indicator:
    return Indicator.model_validate({"一级指标": "产出指标", **kw})


def sheet(**settings):
    return ScoreSettings.model_validate(settings).sheet()


def test_a_step_rule_gives_nothing_past_its_limit():
    """预算调整率 > 30% 得 0, else full marks (a 5-point indicator)."""
    rules = sheet(计分规则=[{"指标": "预算调整率", "档": [["实际值 > 30", 0], ["其他", "满分"]]}])
    over = ind(三级指标="预算调整率", 年度指标值="≤30%", 实际完成值="35%", 分值=5)
    within = ind(三级指标="预算调整率", 年度指标值="≤30%", 实际完成值="20%", 分值=5)
    assert [score([over], D(100), rules).items[0].score, score([within], D(100), rules).items[0].score] == [
        D("0.00"),
        D("5.00"),
    ]


def test_piecewise_bands_by_completion():
    """≥ 100% 满分, 60–100% in proportion, < 60% nothing: a 20-point 产出 indicator at 80% and 50%."""
    rules = sheet(
        计分规则=[{"类别": "产出指标", "档": [["完成率 ≥ 100", "满分"], ["完成率 ≥ 60", "按比例"], ["其他", 0]]}]
    )
    eighty = ind(三级指标="培训人次", 年度指标值="≥100人次", 实际完成值="80人次", 分值=20)
    half = ind(三级指标="培训人次", 年度指标值="≥100人次", 实际完成值="50人次", 分值=20)
    assert score([eighty], D(100), rules).items[0].score == D("16.00")  # 20 × 80%
    assert score([half], D(100), rules).items[0].score == D("0.00")


def test_a_reverse_indicator_scores_weight_times_target_over_actual():
    """单位成本 wanted at most 800 元, came to 1000 元: 10 × 800 ÷ 1000 = 8."""
    rules = sheet(计分规则=[{"指标": "单位成本", "方向": "越小越好", "档": [["其他", "按比例"]]}])
    cost = ind(三级指标="单位成本", 年度指标值="800元", 实际完成值="1000元", 分值=10)
    assert score([cost], D(100), rules).items[0].score == D("8.00")


def test_a_category_cap_keeps_a_category_within_its_points():
    """产出指标 is worth 50; its indicators add up to 60 points, all met: it counts 50."""
    capped = sheet(类别封顶=True)
    items = [ind(三级指标=f"指标{n}", 年度指标值="≥1", 实际完成值="1", 分值=20) for n in range(3)]
    result = score(items, D(100), capped)
    assert result.summed == D("60.00")  # budget 10 + 产出 capped at 50
    assert score(items, D(100), sheet()).summed == D("70.00")  # uncapped: 10 + 60


def test_the_budget_row_s_own_bands():
    """执行率 ≥ 95% 满分, 80–95% in proportion, below nothing (10 points)."""
    bands = sheet(预算执行率计分=[["执行率 ≥ 95", "满分"], ["执行率 ≥ 80", "按比例"], ["其他", 0]])
    assert [budget_part(D(r), bands).score for r in ("97", "90", "70")] == [D("10.00"), D("9.00"), D("0.00")]


def test_bands_are_read_with_a_message_when_they_cannot_be():
    assert parse_band("完成率≥60", "80%").amount == D(80)
    with pytest.raises(ValueError, match="条件「完成率大于60」看不懂"):
        parse_band("完成率大于60", "满分")
    with pytest.raises(Exception, match="每一档写成"):
        ScoreSettings.model_validate({"预算执行率计分": [["其他"]]})


def test_a_template_s_categories_replace_its_parent_s():
    """A 90-point 绩效指标 category does not join the inherited 产出/效益/满意度 (a sheet of 190)."""
    from reportgen.template.settings import merged

    chain = [
        {"评分": {"类别": {"产出指标": 50, "效益指标": 30, "满意度指标": 10}}},
        {"评分": {"类别": {"绩效指标": 90}}},
    ]
    settings = merged(chain, "settings.yaml")
    assert settings.评分.类别 == {"绩效指标": D(90)} and settings.score_sheet().full == D(100)
    assert Settings.model_validate({}).score_sheet().full == D(100)


def test_missing_parts_are_never_a_silent_zero():
    """No 全年预算数: the budget row has no points and neither has the total, unless the unit
    stated them; a row without its result takes its typed 得分."""
    full = [ind(三级指标="甲", 年度指标值="≥10", 实际完成值="10", 分值=90)]
    plain = score(full, None, sheet())
    assert (plain.budget_score, plain.total, plain.grade, plain.source) == (None, None, None, "缺")
    stated_rate = score(full, None, sheet(), stated_rate=D(100))
    assert (stated_rate.total, stated_rate.grade, stated_rate.source) == (D("100.00"), "优", "手填")
    typed = score(full, None, sheet(), typed=D(97), typed_grade="优")
    assert (typed.total, typed.grade, typed.source) == (D(97), "优", "手填")
    row = [ind(三级指标="乙", 年度指标值="≥95%", 分值=90, 得分=88)]
    stated_row = score(row, D(100), sheet())
    assert (stated_row.items[0].score, stated_row.items[0].source, stated_row.total) == (D(88), "手填", D("98.00"))
