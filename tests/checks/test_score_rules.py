"""A score is printed only when it is true: computed from the department's own indicators by the
sheet, or typed and said to be uncomputed; the indicators are checked against the sheet."""

from __future__ import annotations

import subprocess
import sys

from conftest import MINIMAL, ROOT
from textutil import docx_paragraphs, squash

from reportgen.build import build
from reportgen.checks.validate import check

BLOCK = "存在的主要问题:\n  - 评分: {form}\n"


def _with_block(form: str, extra: str = "") -> str:
    return MINIMAL.replace("存在的主要问题: 无。\n", BLOCK.format(form=form)) + extra


INDICATORS = """\
绩效指标:
  - {一级指标: 产出指标, 三级指标: 甲, 分值: 50, 年度指标值: ≥10, 实际完成值: 10}
  - {一级指标: 效益指标, 三级指标: 乙, 分值: 30, 年度指标值: 提升, 评价: 达成}
  - {一级指标: 满意度指标, 三级指标: 丙, 分值: 10, 年度指标值: ≥90%, 实际完成值: 95%}
"""


def test_a_score_block_without_indicators_is_an_error_at_its_line(write_yaml):
    for form, what in (("结论", "无法计算自评得分"), ("评分表", "无法印出评分表")):
        (error,) = check(write_yaml(_with_block(form))).errors
        assert what in error.message and (error.line, error.column) == (11, 5)
        assert error.path == ("存在的主要问题", 0, "评分")


def test_a_typed_score_without_indicators_prints_as_typed_and_says_so(write_yaml, tmp_path):
    path = write_yaml(_with_block("结论", "自评得分: 92.5\n"))
    checked = check(path)
    assert checked.errors == []
    (w,) = [d for d in checked.warnings if d.rule == "评分依据"]
    assert w.message == "没有「绩效指标」，自评得分未经计算：印出手填的 92.5 分，等级按评分表的分档"
    text = squash("".join(docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])))
    assert "2023年我部门整体支出绩效自评得分为92.50分，等级为“优”。" in text
    assert "按照《" not in text  # the base names no score sheet


def test_project_indicators_never_make_a_department_score(write_yaml):
    project = (
        "重点项目:\n  - 名称: 甲项目\n    预算数: 10\n    执行数: 10\n    绩效指标:\n"
        "      - {一级指标: 产出指标, 三级指标: 甲, 分值: 50, 年度指标值: ≥1, 实际完成值: 1}\n"
    )
    path = write_yaml(_with_block("结论", project))
    (error,) = check(path).errors
    assert "重点项目的指标不计入部门得分" in error.message
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "score", str(write_yaml(MINIMAL + project, "p.yaml"))],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("部门整体：没有「绩效指标」，不计算部门的自评得分")
    assert "重点项目：甲项目" in result.stdout


def test_indicators_against_the_sheet(write_yaml):
    def gaps(indicators: str) -> list[str]:
        checked = check(write_yaml(MINIMAL + indicators))
        assert checked.errors == []
        return [d.message for d in checked.warnings if d.rule == "评分表覆盖"]

    assert gaps(INDICATORS) == []
    only_output = "绩效指标:\n  - {一级指标: 产出指标, 三级指标: 甲, 分值: 60, 年度指标值: ≥10, 实际完成值: 10}\n"
    assert gaps(only_output) == [
        "评分表的「效益指标」（30 分）没有指标",
        "评分表的「满意度指标」（10 分）没有指标",
        "「产出指标」各指标分值合计 60 分，超过评分表规定的 50 分",
        "缺少上述类别，满分只有 70 分（评分表总分 100 分）",
    ]
    heavy = INDICATORS.replace("分值: 30", "分值: 50")
    assert gaps(heavy) == [
        "「效益指标」各指标分值合计 50 分，超过评分表规定的 30 分",
        "满分合计 120 分（预算执行率 10 分加各指标分值），与评分表总分 100 分不符",
    ]


def test_no_budget_means_budget_execution_cannot_be_scored(write_yaml):
    """Never a silent 0: without 全年预算数 the budget row and the total have no figure."""
    text = MINIMAL.replace("    全年预算数: 100.00\n", "") + INDICATORS
    found = [d.message for d in check(write_yaml(text)).warnings if d.rule == "无法计分"]
    assert found == [
        "预算执行率（10 分）无法计分：缺少全年预算数或执行数，也没有手填的「预算完成率」或「执行率得分」；"
        "自评表中这一格空着，总分无法计算",
        "总分无法计算（有部分没有得分），也没有手填的「自评得分」：自评表的总分和等级空着，报告中不能引用得分",
    ]


def test_score_precision_is_a_format_setting(write_yaml, tmp_path):
    # 10 × 95% = 9.5; 50 + 30 + 10 → 99.50
    path = write_yaml(_with_block("结论", "格式: {得分小数位: 0}\n" + INDICATORS))
    text = squash("".join(docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])))
    assert "自评得分为100分，等级为“优”。" in text  # 99.50 half-up
    path = write_yaml(_with_block("结论", INDICATORS), "b.yaml")
    text = squash("".join(docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])))
    assert "自评得分为99.50分，等级为“优”。" in text


def test_sheet_names_are_cited_only_where_a_district_names_them(write_yaml, tmp_path):
    text = _with_block("结论", INDICATORS)
    base = squash("".join(docx_paragraphs(build(write_yaml(text), tmp_path, ("docx",)).outputs[0])))
    assert "按照《" not in base
    liwan = squash("".join(docx_paragraphs(build(write_yaml("模板: 荔湾\n" + text, "l.yaml"), tmp_path).outputs[0])))
    assert "按照《部门整体绩效自评指标评分表》，2023年我部门整体支出绩效自评得分为99.50分" in liwan


def test_a_project_block_naming_no_project_is_an_error(write_yaml):
    text = MINIMAL.replace("存在的主要问题: 无。\n", "存在的主要问题:\n  - 项目评分: {项目: 乙项目}\n")
    (error,) = check(write_yaml(text)).errors
    assert error.message == "「重点项目」中没有名为「乙项目」的项目"


def test_the_sample_project_is_scored_by_the_sheet(write_yaml):
    checked = check(ROOT / "examples" / "sample-jiedao-2024.yaml")
    assert [d for d in checked.warnings if d.rule == "评分表覆盖"] == []


def test_score_command_says_how_the_documents_print_the_total():
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "score", str(ROOT / "examples" / "fenglin-caizheng-2024.yaml")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "评分表：枫林县部门整体支出绩效评价指标体系"
    assert result.stdout.splitlines()[-1] == "自评得分 93.24 分（文件中印作 93 分），等级：优"


def test_project_indicators_are_checked_as_the_department_s(write_yaml):
    project = (
        "重点项目:\n  - 名称: 甲项目\n    绩效指标:\n"
        "      - {一级指标: 产出指标, 三级指标: 甲, 分值: 50, 年度指标值: ≥10}\n"
        "      - {一级指标: 效益指标, 三级指标: 乙, 分值: 30, 年度指标值: 提升, 评价: 部分达成, 得分比例: 95}\n"
    )
    warnings = check(write_yaml(MINIMAL + project)).warnings
    missing = [d.message for d in warnings if d.rule == "无法计分"]
    assert any(m.startswith("项目「甲项目」：预算执行率（10 分）无法计分") for m in missing)  # no 预算数
    assert any(m.startswith("项目「甲项目」：指标「甲」没有得分：缺少可计算的「实际完成值」") for m in missing)
    assert any(m.startswith("项目「甲项目」：总分无法计算") for m in missing)
    messages = [d.message for d in warnings if d.rule == "指标评分"]
    assert messages == ["项目「甲项目」：指标「乙」得分比例 95% 不在「部分达成」的范围 60%–80% 内，按 80% 计分"]


def test_a_rounded_total_that_reads_as_another_grade(write_yaml):
    indicators = INDICATORS.replace("实际完成值: 10}", "实际完成值: 9.9}")  # 9.5 + 49.5 + 30 + 10 = 99 → 优 either way
    assert not [d for d in check(write_yaml(MINIMAL + indicators)).warnings if d.rule == "得分与等级"]
    low = INDICATORS.replace("评价: 达成", "评价: 部分达成, 得分比例: 70.5")  # 9.5 + 50 + 21.15 + 10 = 90.65
    low = low.replace("实际完成值: 10}", "实际完成值: 9.87}")  # 50 × 0.987 = 49.35 → 90.00 … see below
    text = MINIMAL.replace("执行数: 95.00", "执行数: 94.10") + "格式: {得分小数位: 0}\n" + low
    found = [d for d in check(write_yaml(text, "r.yaml")).warnings if d.rule == "得分与等级"]
    # 9.41 + 49.35 + 21.15 + 10 = 89.91 → printed 90, graded 良
    assert [d.message for d in found] == [
        "自评得分 89.91 分印作 90 分，等级却按 89.91 分评为“良”，读起来自相矛盾：请把「得分小数位」设为 2，或核对得分"
    ]


def test_a_rate_typed_as_a_fraction(write_yaml):
    text = MINIMAL.replace("执行数: 95.00", "执行数: 95.00\n    预算完成率: 0.95")
    (w,) = [d for d in check(write_yaml(text)).warnings if d.rule == "预算完成率"]
    assert w.message.endswith("：看起来写成了小数，百分比请写 95.00%")
