"""Scoring by 财预〔2020〕10号 and a district score sheet, with hand-computed cases."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from conftest import ROOT

from reportgen.checks.validate import check
from reportgen.figures import scoring
from reportgen.figures.formulas import round_half_up
from reportgen.figures.scoring import budget_score, parse_target, score
from reportgen.input.model import Indicator
from reportgen.template.settings import ScoreSettings


def indicator_score(*args):
    """One indicator's score as the sheet prints it: rounded to its places."""
    rate, value, problem, source = scoring.indicator_score(*args)
    return rate, None if value is None else round_half_up(value, 2), problem, source


SHEET = ScoreSettings().sheet()


def ind(**kw) -> Indicator:
    return Indicator.model_validate({"一级指标": "产出指标", "三级指标": "x", **kw})


@pytest.mark.parametrize(
    ("text", "direction", "value"),
    [
        ("≥95%", "越大越好", D(95)),
        (">=95", "越大越好", D(95)),
        ("263", "越大越好", D(263)),
        ("≤5天", "越小越好", D(5)),
        ("=100%", "等于", D(100)),
        ("提升", "定性", None),
        ("同比下降", "定性", None),
    ],
)
def test_parse_target(text, direction, value):
    target = parse_target(text)
    assert (target.direction, target.value) == (direction, value)


@pytest.mark.parametrize(
    ("kw", "points", "completion", "expected"),
    [
        ({"年度指标值": "≥20场", "实际完成值": "24场"}, D(15), D(100), D("15.00")),  # over target: capped
        ({"年度指标值": "≥20场", "实际完成值": "20场"}, D(15), D(100), D("15.00")),  # met exactly
        ({"年度指标值": "≥95%", "实际完成值": "93%"}, D(15), None, D("14.68")),  # 15 × 93/95 = 14.684…
        ({"年度指标值": "≤5天", "实际完成值": "4天"}, D(10), D(100), D("10.00")),  # reverse, met
        ({"年度指标值": "≤800元", "实际完成值": "1000元"}, D(10), D(80), D("8.00")),  # reverse: 800/1000
        ({"年度指标值": "=100%", "实际完成值": "95%"}, D(10), D(95), D("9.50")),
        ({"年度指标值": "=100%", "实际完成值": "100%"}, D(10), D(100), D("10.00")),
        ({"年度指标值": "=100", "实际完成值": "125"}, D(10), D(80), D("8.00")),  # overshooting "=" misses
        ({"年度指标值": "提升", "评价": "达成"}, D(30), D(100), D("30.00")),  # top of the band by default
        ({"年度指标值": "提升", "评价": "达成", "得分比例": 90}, D(30), D(90), D("27.00")),
        ({"年度指标值": "提升", "评价": "部分达成", "得分比例": 70}, D(10), D(70), D("7.00")),
        ({"年度指标值": "提升", "评价": "未达成", "得分比例": 30}, D(10), D(30), D("3.00")),
    ],
)
def test_indicator_scores(kw, points, completion, expected):
    got_completion, got, problem, source = indicator_score(ind(**kw), points, SHEET)
    assert source == "计算"
    assert got == expected and problem == ""
    if completion is not None:
        assert got_completion == completion


def test_qualitative_share_outside_its_band_is_clamped_and_reported():
    _, got, problem, _ = indicator_score(ind(年度指标值="提升", 评价="部分达成", 得分比例=95), D(10), SHEET)
    assert got == D("8.00") and "60%–80%" in problem


def test_missing_result_is_reported():
    assert indicator_score(ind(年度指标值="≥95%"), D(10), SHEET)[2].startswith("缺少可计算的「实际完成值」")
    assert "评价" in indicator_score(ind(年度指标值="提升"), D(10), SHEET)[2]


def test_budget_execution_points_capped():
    assert budget_score(D(96), SHEET) == D("9.60")
    assert budget_score(D("99.77"), SHEET) == D("9.98")  # 9.977 half-up
    assert budget_score(D(105), SHEET) == D("10.00")
    assert budget_score(None, SHEET) is None  # no rate: no points, never a silent 0


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D(100), "优"),
        (D(90), "优"),
        (D("89.99"), "良"),
        (D(80), "良"),
        (D("79.99"), "中"),
        (D(60), "中"),
        (D("59.99"), "差"),
        (D(0), "差"),
    ],
)
def test_grade_boundaries(total, grade):
    assert SHEET.grade(total) == grade


def test_unweighted_indicators_share_their_category():
    items = [
        ind(一级指标="产出指标", 年度指标值="≥10", 实际完成值="10"),
        ind(一级指标="产出指标", 年度指标值="≥10", 实际完成值="5"),
        ind(一级指标="效益指标", 二级指标="服务对象满意度指标", 年度指标值="≥90%", 实际完成值="90%"),
    ]
    result = score(items, D(100), SHEET)
    assert [i.category for i in result.items] == ["产出指标", "产出指标", "满意度指标"]
    assert [i.points for i in result.items] == [D(25), D(25), D(10)]
    assert [i.score for i in result.items] == [D("25.00"), D("12.50"), D("10.00")]
    assert result.total == D("57.50") and result.grade == "差"  # 10 + 25 + 12.5 + 10


def test_district_sheet_overrides_the_defaults():
    sheet = ScoreSettings.model_validate(
        {
            "名称": "某区评分表",
            "预算执行率": 20,
            "类别": {"产出指标": 80},
            "等级": [[85, "优"], [70, "良"], [60, "中"], [0, "差"]],
        }
    ).sheet()
    result = score([ind(年度指标值="≥10", 实际完成值="10")], D(50), sheet)
    assert result.budget_score == D("10.00") and result.items[0].points == D(80)
    assert result.total == D("90.00") and result.grade == "优"
    assert SHEET.budget_points == 10 and SHEET.categories == {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def test_sample_example_total_and_grade():
    checked = check(ROOT / "examples" / "sample-jiedao-2024.yaml")
    assert checked.diagnostics == []
    from reportgen.figures.derive import score as department_score

    result = department_score(checked.report, SHEET)
    # 9.60 + 15 + 14.68 + 10 + 8 + 27 + 10
    assert result.total == D("94.28") and result.grade == "优" and result.full_marks == D(100)


def test_typed_score_disagreeing_is_a_warning(tmp_path):
    text = (ROOT / "examples" / "sample-jiedao-2024.yaml").read_text(encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(text.replace("自评得分: 94.28", "自评得分: 95"), encoding="utf-8")
    (warning,) = [d for d in check(path).warnings if d.rule == "自评得分"]
    assert "95" in warning.message and "94.28" in warning.message and "优" in warning.message
    assert warning.line == text.splitlines().index("自评得分: 94.28") + 1


def test_key_project_scored_on_its_own_budget_and_indicators(tmp_path):
    from reportgen.figures.derive import project_score

    checked = check(ROOT / "examples" / "sample-jiedao-2024.yaml")
    (project,) = checked.report.重点项目
    result = project_score(project, SHEET)
    # 10 × 16/20 = 8; 20 × 2/4 = 10; 30; 30 × 90% = 27; 10
    assert [i.score for i in result.items] == [D("10.00"), D("30.00"), D("27.00"), D("10.00")]
    assert result.budget_score == D("8.00") and result.total == D("85.00") and result.grade == "良"
    text = (ROOT / "examples" / "sample-jiedao-2024.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("    自评得分: 85\n", "    自评得分: 90\n"), encoding="utf-8")
    (warning,) = [d for d in check(path).warnings if d.rule == "项目得分"]
    assert "见义勇为奖励项目" in warning.message and "85.00（良）" in warning.message


def test_district_indicator_list_sets_points_and_is_checked():
    sheet = ScoreSettings.model_validate(
        {"指标": [{"三级指标": "甲", "分值": 30}, {"三级指标": "乙", "分值": 20}]}
    ).sheet()
    items = [
        ind(三级指标="甲", 年度指标值="≥10", 实际完成值="5"),
        ind(三级指标="丙", 年度指标值="≥10", 实际完成值="10"),
    ]
    result = score(items, D(100), sheet)
    assert result.items[0].points == D(30) and result.items[0].score == D("15.00")
    assert result.items[1].points == D(50)  # the 产出指标 category's 50 points, not taken by the list


def test_score_command_prints_total_grade_and_projects():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "score", str(ROOT / "examples" / "sample-jiedao-2024.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "自评得分 94.28 分，等级：优" in result.stdout
    assert "重点项目：见义勇为奖励项目" in result.stdout and "自评得分 85.00 分，等级：良" in result.stdout
    assert "矛盾纠纷化解率" in result.stdout and "97.89%" in result.stdout and "14.68" in result.stdout
    no_indicators = subprocess.run(
        [sys.executable, "-m", "reportgen", "score", str(ROOT / "examples" / "liwan-gongan-2022.yaml")],
        capture_output=True,
        text=True,
    )
    assert no_indicators.returncode == 1 and "没有「绩效指标」" in no_indicators.stderr


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("=0起", "0起", D("10.00")),  # no accident, as promised
        ("≤0起", "0起", D("10.00")),
        ("=0", "1", D("0.00")),
        ("≤0起", "2起", D("0.00")),
        ("≥0", "3", D("10.00")),
        ("≥5%", "-2%", D("0.00")),  # a fall where growth was promised scores nothing, never below 0
    ],
)
def test_zero_and_negative_targets(target, actual, expected):
    _, got, problem, _ = indicator_score(ind(年度指标值=target, 实际完成值=actual), D(10), SHEET)
    assert (got, problem) == (expected, "")


def test_units_must_agree():
    _, got, problem, _ = indicator_score(ind(年度指标值="≥0.12万人", 实际完成值="1186人"), D(10), SHEET)
    assert got is None and problem == "年度指标值的单位「万人」与实际完成值的单位「人」不同，未计分：请写成同一单位"
    assert indicator_score(ind(年度指标值="≥95%以上", 实际完成值="96%"), D(10), SHEET) == (
        D(100),
        D("10.00"),
        "",
        "计算",
    )
    # full-width digits and ％ are the same figure and unit as their half-width forms
    assert indicator_score(ind(年度指标值="≥９５％", 实际完成值="９６%"), D(10), SHEET) == (
        D(100),
        D("10.00"),
        "",
        "计算",
    )


def test_a_quantitative_indicator_is_scored_by_its_result_not_an_evaluation():
    _, got, problem, _ = indicator_score(ind(年度指标值="≥1200人", 实际完成值="1186人", 评价="达成"), D(10), SHEET)
    assert got == D("9.88") and "「评价」不起作用" in problem  # 10 × 1186/1200 = 9.883…
    # with no number to compare, the evaluation is what there is
    assert indicator_score(ind(年度指标值="≥1200人", 实际完成值="基本完成", 评价="达成"), D(10), SHEET)[1] == D("10.00")


@pytest.mark.parametrize(
    ("target", "direction", "value"),
    [
        ("大于等于90%", "越大越好", "90"),
        ("不低于95%", "越大越好", "95"),
        ("达到100%", "越大越好", "100"),
        ("95%以上", "越大越好", "95"),
        ("控制在95%以上", "越大越好", "95"),
        ("不超过3起", "越小越好", "3"),
        ("5个工作日以内", "越小越好", "5"),
        ("低于2%", "越小越好", "2"),
        ("小于等于10天", "越小越好", "10"),
    ],
)
def test_targets_written_in_words_take_their_direction(target, direction, value):
    parsed = parse_target(target)
    assert (parsed.direction, parsed.value, parsed.stated) == (direction, D(value), True)
