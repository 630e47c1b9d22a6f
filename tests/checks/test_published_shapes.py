"""What real publications from other provinces call for, each with a failing input and its
message: totals named …合计, 其中 rows, a stray mark in a number, full-width figures, staffing
kinds, citations and dates, clearer messages; and a form that prints no figure nobody gave."""

from __future__ import annotations

from conftest import MINIMAL
from textutil import docx_paragraphs, form_rows

from reportgen.build import build
from reportgen.checks.validate import check


def _messages(path, rule: str) -> list[str]:
    return [d.message for d in check(path).diagnostics if d.rule == rule]


def _table(rows: str) -> str:
    return MINIMAL.replace(
        "  部门职能: 负责测试工作。\n",
        "  部门职能:\n    - 表格:\n        表头: [项目, 预算数, 执行数]\n        行:\n" + rows,
    )


def test_a_total_row_named_anywhere_in_its_label_and_its_parts(write_yaml):
    text = _table(
        "          - [基本支出, 100, 98]\n"
        "          - [其中：人员经费, 70, 60]\n"
        "          - [其中：公用经费, 40, 30]\n"
        "          - [项目支出, 50, 40]\n"
        "          - [本年支出合计, 150, 137]\n"
    )
    path = write_yaml(text)
    assert _messages(path, "表格合计") == ["表格「执行数」一列：各行之和为 138，与合计行的 137 不符"]
    assert _messages(path, "其中") == [
        "表格「预算数」一列：「其中：人员经费」等其中各项合计 110，超过所属的「基本支出」100"
    ]


def test_a_stray_mark_in_a_number_names_its_cell_and_spares_the_other_columns(write_yaml):
    text = _table('          - [甲, 10, "22."]\n          - [乙, 20, 30]\n          - [合计, 31, 52]\n')
    path = write_yaml(text)
    assert _messages(path, "表格数字") == ["表格「执行数」一列第 1 行「22.」不是数字：请改正（这一列的合计未核对）"]
    assert _messages(path, "表格合计") == ["表格「预算数」一列：各行之和为 30，与合计行的 31 不符"]


def test_full_width_digits_in_a_table_are_numbers(write_yaml):
    text = _table('          - [甲, "１０", 1]\n          - [乙, 20, 2]\n          - [合计, 31, 3]\n')
    assert _messages(write_yaml(text), "表格合计") == ["表格「预算数」一列：各行之和为 30，与合计行的 31 不符"]


def test_staffing_kinds_that_are_no_posts_and_posts_exceeded_by_kind(write_yaml):
    text = MINIMAL.replace(
        "  部门整体收支情况:",
        "  机构和人员:\n    编制数: 50\n    编制构成: {行政编制: 30, 事业编制: 15, 退休: 5}\n"
        "    在职构成: {行政编制: 32, 事业编制: 10}\n  部门整体收支情况:",
    )
    path = write_yaml(text)
    assert _messages(path, "编制构成")[0].startswith("「编制构成」中的「退休」不是编制")
    assert _messages(path, "分类超编") == ["「行政编制」在职 32 人，超过该类编制 30 人：请核对，或在「说明」中写明原因"]


def test_citations_and_dates_with_their_corrected_text(write_yaml):
    text = (
        MINIMAL.replace(
            "  部门职能: 负责测试工作。",
            "  部门职能: 根据《办法》（财预〔2011〕285号）和某财[2024]12号，2023年1月1日-12月31日开展①清扫③绿化。",
        )
        + "落款: {单位: 测试局, 日期: 2026年3月1日}\n"
    )
    path = write_yaml(text)
    assert _messages(path, "文号") == ["文号「某财[2024]12号」年份应括在六角括号〔〕中：应写作「某财〔2024〕12号」"]
    assert _messages(path, "废止文件")[0].startswith(
        "「财预〔2011〕285号」已废止，现行的是《项目支出绩效评价管理办法》"
    )
    assert _messages(path, "日期范围") == ["日期范围「2023年1月1日-12月31日」应写作「2023年1月1日至12月31日」"]
    assert _messages(path, "序号") == ["序号从「①」跳到「③」，中间少了编号：请核对"]
    assert _messages(path, "落款日期")[0].startswith("落款日期「2026年3月1日」与被评价年度 2023 年不相称")
    silenced = text.replace("  部门职能: 根据", "  部门职能:\n    说明: 引用原文\n    内容: 根据")
    assert not [d for d in check(write_yaml(silenced, "s.yaml")).diagnostics if d.rule in ("文号", "废止文件", "序号")]


def test_messages_that_misled(write_yaml, tmp_path):
    cut = MINIMAL.replace("    全年预算数: 100.00\n", "    年初预算数: 60.00\n    全年预算数: 100.00\n")
    (raised,) = _messages(write_yaml(cut), "调整率过高")
    assert raised.startswith("预算调整幅度 66.67%（调增）超过 30%")
    fraction = MINIMAL.replace("    全年预算数: 100.00\n    执行数: 95.00\n", "    预算完成率: 0.9977\n")
    assert "0.9977% 看起来写成了小数，百分比请写 99.77" in _messages(write_yaml(fraction, "f.yaml"), "预算完成率")[0]
    bureau = tmp_path / "tpl"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("名称: 某区\n自评表:\n  指标列: [一级指标, 三级指标, {列: 分值, 宽: 0}]\n")
    (problem,) = check(write_yaml("模板: ./tpl\n" + MINIMAL, "w.yaml")).errors
    assert problem.message.endswith("应大于 0") and "金额" not in problem.message


FORM = """\
部门名称: 某县政协办公室
年度: 2024
文书: [自评表]
基本情况:
  部门整体收支情况:
    年初预算数: 300.00
年度目标:
  预期目标: 保障政协履职。
  完成情况: 全年履职正常。
绩效指标:
  - {一级指标: 产出指标, 三级指标: 提案办结率, 分值: 50, 年度指标值: ≥95%, 实际完成值: 100%}
  - {一级指标: 效益指标, 三级指标: 委员履职, 分值: 30, 年度指标值: 提升, 评价: 达成}
  - {一级指标: 满意度指标, 三级指标: 委员满意度, 分值: 10, 年度指标值: ≥90%}
"""


def test_a_form_never_prints_a_figure_nobody_gave(write_yaml, tmp_path):
    """No 全年预算数 and no 实际完成值 for one indicator: those cells, the total and the grade
    stay empty (they used to read 80 分 / 良 against a published 100 / 优)."""
    empty = build(write_yaml(FORM), tmp_path / "a", ("docx",)).outputs[0]
    rows = form_rows(empty)
    assert next(r for r in rows if "委员满意度" in r)[-3:] == ["10", "", ""]  # 分值, 得分, 偏差原因
    assert next(r for r in rows if "年度资金总额" in r)[-3:] == ["10", "", ""]  # 分值, 执行率, 得分
    assert next(r for r in rows if "总分" in r) == ["总分", "100", "", "自评等级："]
    stated = FORM.replace("    年初预算数: 300.00\n", "    年初预算数: 300.00\n    预算完成率: 100\n")
    stated = stated.replace("年度指标值: ≥90%}", "年度指标值: ≥90%, 得分: 10}")
    path = write_yaml(stated, "stated.yaml")
    rows = form_rows(build(path, tmp_path / "b", ("docx",)).outputs[0])
    # every stated figure carries the mark, and the note under the form says what it means
    assert next(r for r in rows if "委员满意度" in r)[-3:] == ["10", "10.00*", ""]
    assert next(r for r in rows if "年度资金总额" in r)[-3:] == ["10", "100.00%*", "10.00*"]
    assert next(r for r in rows if "总分" in r) == ["总分", "100", "100.00*", "自评等级：优"]
    notes = docx_paragraphs(build(path, tmp_path / "c", ("docx",)).outputs[0])
    assert "注：带“*”的得分、执行率为单位填写，未经计算。" in notes
    assert "*" not in "".join("".join(r) for r in form_rows(empty))  # nothing stated: no mark, no note
    assert not any("未经计算" in p for p in docx_paragraphs(empty))
    flagged = _messages(path, "未经计算")
    assert len(flagged) == 3 and all("未经计算" in m for m in flagged)  # the rate, the row, the total
