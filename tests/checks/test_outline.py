"""The outline a bureau decides: its parts and their order, a preamble, parts and sections of the
author's own; and the messages a finance officer can act on."""

from __future__ import annotations

import subprocess
import sys

from conftest import MINIMAL, ROOT
from textutil import docx_paragraphs

from reportgen.build import build
from reportgen.checks.validate import check

SCORE_FIRST = """\
名称: 得分在前
继承: base
前言: true
大纲:
  自评得分情况: []
  基本情况: [部门职能, 部门整体收支情况]
  存在的问题: []
  改进措施: []
"""

REPORT = """\
部门名称: 测试局
年度: 2023
模板: ./tpl
前言: 根据有关通知要求，现将自评情况报告如下。
自评得分情况: 自评得分95分。
基本情况:
  部门职能: 负责测试工作。
存在的问题: 无。
改进措施: 无。
"""


def _bureau(tmp_path):
    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "settings.yaml").write_text(SCORE_FIRST, encoding="utf-8")


def test_a_bureau_outline_with_the_score_first_and_a_preamble(write_yaml, tmp_path):
    _bureau(tmp_path)
    path = write_yaml(REPORT)
    checked = check(path)
    assert checked.diagnostics == []
    paragraphs = docx_paragraphs(build(path, tmp_path / "out", ("docx",)).outputs[0])
    assert paragraphs[2:7] == [
        "根据有关通知要求，现将自评情况报告如下。",
        "一、自评得分情况",
        "自评得分95分。",
        "二、基本情况",
        "（一）部门职能",
    ]
    assert "三、存在的问题" in paragraphs and "四、改进措施" in paragraphs
    strict = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", "--strict", str(path)], capture_output=True, text=True
    )
    assert strict.returncode == 0, strict.stdout


def test_the_outline_s_parts_are_required(write_yaml, tmp_path):
    _bureau(tmp_path)
    path = write_yaml(REPORT.replace("改进措施: 无。\n", ""))
    (error,) = check(path).errors
    assert (
        error.message == "缺少第四部分「改进措施」，应写在文件末尾。"
        "本模板的大纲：一、自评得分情况 二、基本情况 三、存在的问题 四、改进措施"
    )


def test_an_unknown_top_level_key_is_named_with_a_way_to_add_a_part(write_yaml):
    (error,) = check(write_yaml(MINIMAL + "存在的问题: 无。\n")).errors
    assert error.message == (
        "未知的键「存在的问题」；是否想写「存在的主要问题」？"
        "若要增加一个部分，在「存在的问题:」下写「标题: 一级标题文字」和「内容:」"
    )
    assert (error.line, error.column) == (12, 1)


def test_a_part_of_the_author_s_own_is_numbered_in_place(write_yaml, tmp_path):
    extra = "其他说明:\n  标题: 其他需要说明的情况\n  内容: 无。\n"
    path = write_yaml(MINIMAL.replace("存在的主要问题:", extra + "存在的主要问题:"))
    assert check(path).diagnostics == []
    paragraphs = docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])
    at = paragraphs.index("三、其他需要说明的情况")
    assert paragraphs[at - 2 : at + 3] == [
        "（一）自评结论综述",
        "完成预期目标。",
        "三、其他需要说明的情况",
        "无。",
        "四、存在的主要问题",
    ]


def test_a_custom_section_with_its_own_title_is_not_warned_about(write_yaml):
    warned = check(write_yaml(MINIMAL.replace("  部门职能:", "  部门职责:")))
    (w,) = [d for d in warned.warnings if d.rule == "小节名称"]
    assert (
        "是否想写「部门职能」？若就用这个标题，写成「部门职责:」下加「标题: 部门职责」和「内容:」，不再提示"
        in w.message
    )
    titled = MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职责:\n    标题: 部门职责\n    内容: 负责测试工作。")
    assert check(write_yaml(titled, "t.yaml")).diagnostics == []


def test_the_score_first_example_passes_strict_in_its_own_template():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "validate",
            "--strict",
            str(ROOT / "examples" / "fenglin-caizheng-2024.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_a_full_width_colon_is_named_at_its_own_line(write_yaml):
    for text, where in (
        (MINIMAL.replace("执行数: 95.00", "执行数：95.00"), (7, 8)),  # YAML notices it a line later
        (MINIMAL.replace("年度: 2023", "年度：2023"), (2, 3)),
        (
            MINIMAL.replace(
                "  部门整体收支情况:\n    全年预算数: 100.00\n    执行数: 95.00", "  部门整体收支情况:\n    执行数：95"
            ),
            (6, 5),
        ),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", "validate", str(write_yaml(text))], capture_output=True, text=True
        )
        output = result.stdout + result.stderr
        assert f":{where[0]}:{where[1]}: 错误:" in output, output
        assert "用了全角冒号「：」：键后面应是半角冒号「:」加一个空格" in output


def test_an_enumeration_lists_its_values(write_yaml):
    text = MINIMAL + "绩效指标:\n  - {一级指标: 效益指标, 三级指标: 甲, 年度指标值: 提升, 评价: 良好}\n"
    (error,) = check(write_yaml(text)).errors
    assert error.message == "取值不对：只能填 达成、部分达成、未达成 之一"


def test_an_empty_title_is_an_error(write_yaml):
    for title in ("[]", '""', "[甲, '']"):
        (error,) = check(write_yaml(f"标题: {title}\n" + MINIMAL, "t.yaml")).errors
        assert error.message.startswith("标题不能为空") and error.line == 1


def test_every_full_width_colon_at_once_and_never_in_the_officer_s_text(write_yaml):
    text = (
        MINIMAL.replace("年度: 2023", "年度：2023")
        .replace("执行数: 95.00", "执行数：95.00")
        .replace("  自评结论综述: 完成预期目标。", "  自评结论综述：|\n    目标1：完成。\n    目标2：完成。")
    )
    text = text.replace("  部门职能: 负责测试工作。", "  部门职能:\n    - 目标1：负责测试工作。")
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", str(write_yaml(text))], capture_output=True, text=True
    )
    lines = [line.split(": 错误: ")[0].rsplit(":", 2)[1:] for line in result.stderr.splitlines()]
    assert lines == [["2", "3"], ["8", "8"], ["10", "9"]]  # 年度, 执行数, 自评结论综述 — not 目标1 or 目标2
    assert result.returncode == 2


def test_a_block_key_with_a_full_width_colon_is_not_printed_as_text(write_yaml):
    text = MINIMAL.replace("存在的主要问题: 无。", "存在的主要问题:\n  - 评分：结论")
    (error,) = check(write_yaml(text)).errors
    assert error.message.startswith("「评分：」用了全角冒号") and "会作为正文「评分：结论」印出" in error.message
    flow = MINIMAL + "绩效指标:\n  - {一级指标：产出指标, 三级指标: 甲, 年度指标值: ≥1, 实际完成值: 1}\n"
    (error,) = check(write_yaml(flow, "f.yaml")).errors
    assert error.message.startswith("「一级指标：」用了全角冒号") and error.line == 13


def test_a_whole_number_with_its_unit(write_yaml):
    (error,) = check(write_yaml(MINIMAL.replace("年度: 2023", "年度: 2023年"))).errors
    assert error.message == "应填整数：写成 2023（不加单位，如「年」「人」「个」）"


def test_an_empty_heading_is_left_to_fill(write_yaml):
    text = MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n  部门概况:\n    标题: 部门概况")
    found = [(d.rule, d.message) for d in check(write_yaml(text)).warnings]
    assert found == [
        ("未填写", "「部门职能」尚未填写：写上正文，或删去这一节"),
        ("未填写", "「部门概况」尚未填写：写上正文，或删去这一节"),
    ]


def test_the_document_s_name_from_the_file(write_yaml, tmp_path):
    path = write_yaml("文书名称: 单位整体支出绩效自评报告\n" + MINIMAL)
    assert docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])[:2] == [
        "2023年度测试局",
        "单位整体支出绩效自评报告",
    ]


def test_an_unknown_key_without_a_likely_meaning(write_yaml):
    (error,) = check(write_yaml(MINIMAL + "附录:\n  内容: 无。\n")).errors
    assert error.message == "未知的键「附录」；若要增加一个部分，在「附录:」下写「标题: 一级标题文字」和「内容:」"


def test_half_width_punctuation_and_unpaired_quotes(write_yaml):
    text = MINIMAL.replace("负责测试工作。", "强化数据赋能,提升治理效能(试点);落实“放管服“改革，共2.5亿元。")
    found = {d.rule: d for d in check(write_yaml(text)).warnings}
    half = found["半角标点"]
    assert half.message == (
        "中文里用了半角标点「,」「(」「)」「;」，应为全角：「强化数据赋能,提升治理效能…」应写作「强化数据赋能，提升治理效能…」"
    )
    assert (half.line, half.column) == (4, 9)
    assert found[
        "引号"
    ].message == "引号没有配对：「…治理效能(试点);落实“放管服“改革，共2.5亿元。」中前一个“之后又是“（应为”）" or (
        "前一个“之后又是“" in found["引号"].message
    )
    clean = MINIMAL.replace(
        "负责测试工作。", "强化数据赋能，提升治理效能（试点）；落实“放管服”改革，共2.5亿元，完成率99.5%。"
    )
    assert not [d for d in check(write_yaml(clean, "c.yaml")).warnings if d.rule in ("半角标点", "引号")]


def test_a_tab_inside_text_is_named_and_a_figure_with_wan_gets_its_plain_form(write_yaml):
    tabbed = MINIMAL.replace("负责测试工作。", '"负责测试\\t工作。"')
    (warning,) = [d for d in check(write_yaml(tabbed)).warnings if d.rule == "制表符"]
    assert warning.message.startswith("文字中有制表符（Tab，这里以⇥表示）：「负责测试⇥工作。」")
    assert (warning.line, warning.column) == (4, 9)
    assert not [d for d in check(write_yaml(MINIMAL, "plain.yaml")).warnings if d.rule == "制表符"]
    wan = MINIMAL.replace("执行数: 95.00", "执行数: 95.5万")
    (error,) = check(write_yaml(wan, "wan.yaml")).errors
    assert error.message.endswith("写成 95.5")


def test_a_title_past_three_lines_is_warned_and_three_lines_are_not(write_yaml):
    long_name = "中国共产党某某省某某市某某区委员会政法委员会暨平安建设领导小组办公室与社会治理委员会"
    text = MINIMAL.replace("部门名称: ", f"部门名称: {long_name}  # ", 1)
    (warning,) = [d for d in check(write_yaml(text)).warnings if d.rule == "标题行数"]
    assert warning.path == ("部门名称",) and "标题要排 4 行" in warning.message
    shorter = text.replace("部门名称:", "标题: [2023年度某某区委政法委, 部门整体支出绩效自评报告]\n部门名称:", 1)
    assert not [d for d in check(write_yaml(shorter)).warnings if d.rule == "标题行数"]


def test_a_top_level_key_written_under_a_part_is_one_message(write_yaml):
    """绩效指标 indented under 综合评价分析 reads as a section: one error saying where it belongs,
    not one for every key of every indicator."""
    text = MINIMAL.replace(
        "  自评结论综述: 完成预期目标。\n",
        "  自评结论综述: 完成预期目标。\n  绩效指标:\n"
        "    - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 甲, 年度指标值: ≥1, 实际完成值: 2, 分值: 10}\n"
        "    - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 乙, 年度指标值: ≥1, 实际完成值: 2, 分值: 10}\n",
    )
    errors = check(write_yaml(text)).errors
    assert [e.path for e in errors] == [("综合评价分析", "绩效指标")]
    assert "「绩效指标」应写在文件的最外层（与「部门名称」同级" in errors[0].message
