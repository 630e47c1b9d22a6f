"""A score a bureau can trust, from slips officers make: a percentage typed as a fraction, two
stated figures that disagree, a lower-is-better name without ≤, a rate restated as an indicator,
a category the sheet does not know; stated figures marked on paper; a form that is not held up
by the report's text."""

from __future__ import annotations

from decimal import Decimal as D

from click.testing import CliRunner
from conftest import MINIMAL
from textutil import docx_paragraphs, form_rows

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.cli import main
from reportgen.figures.derive import score
from reportgen.template.settings import DEFAULTS, ScoreSettings

FORM = """\
部门名称: 某县城管局
年度: 2024
文书: [自评表]
基本情况:
  部门整体收支情况:
    全年预算数: 1000.00
    执行数: 944.40
年度目标:
  预期目标: 市容整洁。
  完成情况: 全年完成。
绩效指标:
  - {一级指标: 产出指标, 三级指标: 按期结案率, 分值: 50, 年度指标值: ≥95%, 实际完成值: "96.2%"}
  - {一级指标: 效益指标, 三级指标: 市容环境, 分值: 30, 年度指标值: 提升, 评价: 达成}
  - {一级指标: 满意度指标, 三级指标: 群众满意度, 分值: 10, 年度指标值: ≥90%, 实际完成值: 93%}
"""


def _messages(path, rule: str, kinds=None) -> list[str]:
    return [d.message for d in check(path, kinds=kinds).diagnostics if d.rule == rule]


def _report(path):
    checked = check(path)
    assert checked.report is not None, checked.errors
    return checked.report


def test_a_percentage_typed_as_a_fraction_is_not_scored(write_yaml):
    path = write_yaml(FORM.replace('实际完成值: "96.2%"', "实际完成值: 0.962"))
    result = score(_report(path), DEFAULTS.score_sheet())
    item = result.items[0]
    assert item.score is None and item.source == "缺"  # not 0.10 of 50 for "0.96%"
    assert result.total is None
    (message,) = [m for m in _messages(path, "无法计分") if "按期结案率" in m]
    assert "实际完成值 0.962 看起来把百分比写成了小数（年度指标值是 ≥95%），未计分：请写 96.2%" in message


def test_a_budget_rate_typed_as_a_fraction_is_not_scored(write_yaml):
    path = write_yaml(FORM.replace("    全年预算数: 1000.00\n    执行数: 944.40\n", "    预算完成率: 0.986\n"))
    result = score(_report(path), DEFAULTS.score_sheet())
    assert result.budget.score is None and result.budget.rate is None
    (message,) = [m for m in _messages(path, "无法计分") if "预算完成率" in m]
    assert message.startswith("手填的预算完成率 0.986 看起来把百分比写成了小数，未计分")
    assert "百分比请写 98.6；" in message  # not 98.600


def test_a_stated_budget_score_that_disagrees_with_the_rate_is_named(write_yaml):
    text = FORM.replace("    全年预算数: 1000.00\n    执行数: 944.40\n", "    预算完成率: 98.6\n    执行率得分: 9.5\n")
    path = write_yaml(text)
    assert score(_report(path), DEFAULTS.score_sheet()).budget.score == D("9.86")
    assert _messages(path, "执行率得分") == [
        "手填的执行率得分 9.5 与按手填的执行率 98.60% 计算的 9.86 不符，自评表印 9.86：请删去「执行率得分」或核对"
    ]
    agreeing = write_yaml(text.replace("执行率得分: 9.5", "执行率得分: 9.86"), "ok.yaml")
    assert _messages(agreeing, "执行率得分") == []


def test_a_category_rule_scores_qualitative_indicators_too(write_yaml):
    sheet = ScoreSettings.model_validate(
        {"计分规则": [{"类别": "效益指标", "档": [["完成率 ≥ 90", "50%"], ["其他", 0]]}]}
    ).sheet()
    path = write_yaml(FORM)
    items = score(_report(path), sheet).items
    assert items[1].score == D("15.00")  # 达成 (100%) meets 完成率 ≥ 90: half of 30
    partly = write_yaml(FORM.replace("评价: 达成", "评价: 部分达成, 得分比例: 70"), "p.yaml")
    assert score(_report(partly), sheet).items[1].score == D("0.00")  # 70% meets no band


def test_the_factor_comes_from_the_unrounded_score(write_yaml, tmp_path):
    bureau = tmp_path / "tpl"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text(
        "自评表:\n  指标列: [一级指标, 三级指标, 分值, 得分系数, 得分]\n  得分系数: 百分比\n", encoding="utf-8"
    )
    text = "模板: ./tpl\n" + FORM.replace("实际完成值: 93%", "实际完成值: 85%")
    rows = form_rows(build(write_yaml(text), tmp_path / "out", ("docx",), kinds=("自评表",)).outputs[0])
    # 10 × 85 ÷ 90 = 9.4444…: printed 9.44, its factor 94.44% (from the printed 9.44 it would read 94.40%)
    assert next(r for r in rows if "群众满意度" in r)[-2:] == ["94.44%", "9.44"]


def test_lower_is_better_names_and_what_is_done_about_them(write_yaml):
    text = FORM.replace(
        "  - {一级指标: 满意度指标",
        "  - {一级指标: 效益指标, 三级指标: 市容环境投诉量, 分值: 0, 年度指标值: 1200件, 实际完成值: 1100件}\n"
        "  - {一级指标: 效益指标, 三级指标: 投诉办结率, 分值: 0, 年度指标值: 95%, 实际完成值: 97%}\n"
        "  - {一级指标: 满意度指标",
    )
    found = _messages(write_yaml(text), "方向")
    assert len(found) == 1 and found[0].startswith("指标「市容环境投诉量」通常越小越好（投诉）")


def test_an_indicator_that_restates_a_funds_figure_is_checked_against_it(write_yaml):
    text = FORM.replace("    全年预算数: 1000.00\n", "    年初预算数: 735.20\n    全年预算数: 1000.00\n").replace(
        "  - {一级指标: 满意度指标",
        "  - {一级指标: 产出指标, 三级指标: 预算调整率, 分值: 0, 年度指标值: ≤30%, 实际完成值: 26%}\n"
        "  - {一级指标: 产出指标, 三级指标: 预算执行率, 分值: 0, 年度指标值: ≥90%, 实际完成值: 94.44%}\n"
        "  - {一级指标: 满意度指标",
    )
    path = write_yaml(text)
    assert _messages(path, "指标与收支") == [
        "指标「预算调整率」的实际完成值 26% 与按收支数字计算的 36.02%"
        "（调整幅度 = |年初预算数 − 全年预算数| ÷ 年初预算数）不符，得分按手填的值计算：请核对"
    ]
    right = write_yaml(text.replace("实际完成值: 26%", "实际完成值: 36.02%"), "r.yaml")
    assert _messages(right, "指标与收支") == []


def test_the_adjustment_rate_may_be_typed_as_its_size(write_yaml):
    text = MINIMAL.replace("    全年预算数: 100.00\n", "    年初预算数: 90.00\n    全年预算数: 100.00\n")
    size = write_yaml(text.replace("    执行数: 95.00\n", "    执行数: 95.00\n    预算调整率: 11.11\n"))
    assert _messages(size, "预算调整率") == []  # an increase written as its size, as reports print it
    signed = write_yaml(text.replace("    执行数: 95.00\n", "    执行数: 95.00\n    预算调整率: -11.11\n"), "s.yaml")
    assert _messages(signed, "预算调整率") == []
    wrong = write_yaml(text.replace("    执行数: 95.00\n", "    执行数: 95.00\n    预算调整率: 9.4\n"), "w.yaml")
    (message,) = _messages(wrong, "预算调整率")
    assert "调减为正、调增为负；也可只写调整幅度（正数）" in message


def test_a_category_the_sheet_does_not_know_is_named(write_yaml):
    text = FORM.replace(
        "  - {一级指标: 满意度指标",
        "  - {一级指标: 成本指标, 三级指标: 单位成本, 分值: 0, 年度指标值: ≤800元, 实际完成值: 760元}\n"
        "  - {一级指标: 满意度指标",
    ).replace("分值: 0,", "分值: 5,")
    gaps = _messages(write_yaml(text), "评分表覆盖")
    assert any(g.startswith("「成本指标」不在评分表的类别中（产出指标、效益指标、满意度指标）") for g in gaps)


def test_stated_figures_are_marked_in_the_report_and_its_score_table(write_yaml, tmp_path):
    text = (
        MINIMAL.replace("    全年预算数: 100.00\n    执行数: 95.00\n", "    预算完成率: 95\n").replace(
            "  自评结论综述: 完成预期目标。\n", "  自评结论综述:\n    - 评分: 结论\n    - 评分: 评分表\n"
        )
        + FORM[FORM.index("绩效指标:") :]
    )
    paragraphs = docx_paragraphs(build(write_yaml(text), tmp_path / "out", ("docx",)).outputs[0])
    sentence = next(p for p in paragraphs if "自评得分为" in p)
    assert "分（其中部分得分为单位填写，未经计算），等级为" in sentence
    assert "注：带“*”的得分、执行率为单位填写，未经计算。" in paragraphs
    computed = text.replace("    预算完成率: 95\n", "    全年预算数: 100.00\n    执行数: 95.00\n")
    plain = docx_paragraphs(build(write_yaml(computed, "c.yaml"), tmp_path / "c", ("docx",)).outputs[0])
    assert not any("未经计算" in p or "*" in p for p in plain)


def test_a_bureau_chooses_the_mark_and_its_note(write_yaml, tmp_path):
    bureau = tmp_path / "tpl"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text(
        "评分:\n  手填标记: ※\n  手填注: 注：带“※”的数字为单位自评填写。\n", encoding="utf-8"
    )
    text = "模板: ./tpl\n" + FORM.replace("    全年预算数: 1000.00\n    执行数: 944.40\n", "    预算完成率: 94.44\n")
    out = build(write_yaml(text), tmp_path / "out", ("docx",), kinds=("自评表",)).outputs[0]
    assert next(r for r in form_rows(out) if "年度资金总额" in r)[-2:] == ["94.44%※", "9.44※"]
    assert "注：带“※”的数字为单位自评填写。" in docx_paragraphs(out)
    (bureau / "settings.yaml").write_text("评分:\n  手填标记: ''\n", encoding="utf-8")
    assert any("手填标记］不能为空" in d.format() for d in check(write_yaml(text, "e.yaml")).errors)


def test_a_form_is_not_held_up_by_the_report_text_and_score_still_lists(write_yaml, tmp_path):
    text = (
        MINIMAL.replace("  自评结论综述: 完成预期目标。\n", "  自评结论综述:\n    - 评分: 结论\n")
        + "年度目标:\n  预期目标: 甲。\n  完成情况: 乙。\n"
        + FORM[FORM.index("绩效指标:") :].replace('实际完成值: "96.2%"', "实际完成值: 待统计")
    )
    path = write_yaml(text)
    assert _messages(path, "评分依据")  # the report cannot quote a total it does not have
    assert _messages(path, "评分依据", kinds=("自评表",)) == []
    form = build(path, tmp_path / "out", ("docx",), kinds=("自评表",)).outputs[0]
    assert next(r for r in form_rows(form) if "总分" in r)[:3] == ["总分", "100", ""]
    listed = CliRunner().invoke(main, ["score", str(path)])
    assert listed.exit_code == 1
    assert "按期结案率" in listed.output and "缺" in listed.output
    assert "自评得分无法计算" in listed.output


def test_no_amount_columns_no_unit_in_the_label(write_yaml, tmp_path):
    bureau = tmp_path / "tpl"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("自评表:\n  预算列: [分值, 执行率, 得分]\n", encoding="utf-8")
    out = build(write_yaml("模板: ./tpl\n" + FORM), tmp_path / "out", ("docx",), kinds=("自评表",)).outputs[0]
    labels = [r[0] for r in form_rows(out)]
    assert "年度预算执行情况" in labels and "年度预算执行情况（万元）" not in labels
