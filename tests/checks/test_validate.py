"""Validation: every problem at once, each at its line and column, in Chinese."""

from __future__ import annotations

from conftest import MINIMAL

from reportgen.checks.validate import check


def _errors(path):
    checked = check(path)
    return [(d.line, d.column, d.message) for d in checked.errors]


def test_minimal_file_is_valid(write_yaml):
    checked = check(write_yaml(MINIMAL))
    assert checked.errors == []
    assert checked.report is not None
    assert checked.report.基本情况.部门整体收支情况.执行数 == 95


def test_all_problems_reported_at_once_with_positions(write_yaml):
    path = write_yaml(
        """\
        部门名称: 测试局
        年度: 二〇二三
        基本情况:
          部门职能: 负责测试工作。
          部门整体收支情况:
            全年预算数: -5
            执行数: "95,000.00"
            资金来源:
              一般公共预算拨款: 95
        综合评价分析:
          自评结论综述: 完成。
        存在的主要问题: 无。
        下一步改进措施: 无。
        附件编号: 附件1
        """
    )
    errors = _errors(path)
    assert (2, 5, "应填整数") in errors
    assert (6, 12, "金额不能为负数") in errors
    assert any(e[:2] == (7, 10) and "写成 95000.00" in e[2] for e in errors)
    assert any(
        e[:2] == (9, 7) and "未知的键「一般公共预算拨款」" in e[2] and "一般公共预算财政拨款" in e[2] for e in errors
    )
    assert any(e[:2] == (14, 1) and "未知的键「附件编号」" in e[2] and "附件标签" in e[2] for e in errors)
    assert len(errors) == 5


def test_formatted_message_has_file_line_column_level_and_key_path(write_yaml):
    path = write_yaml(MINIMAL.replace("执行数: 95.00", "执行数: 很多"))
    checked = check(path)
    (error,) = checked.errors
    assert error.format() == (
        f"{path}:7:10: 错误: ［基本情况 › 部门整体收支情况 › 执行数］应填数字（单位万元），而不是「很多」"
    )


def test_missing_required_parts(write_yaml):
    path = write_yaml(
        """\
        部门名称: 测试局
        年度: 2023
        基本情况:
          部门职能: 负责测试工作。
        存在的主要问题: 无。
        """
    )
    errors = check(path).errors
    outline = "本模板的大纲：一、基本情况 二、综合评价分析 三、存在的主要问题 四、下一步改进措施"
    assert [d.message for d in errors] == [
        f"缺少第二部分「综合评价分析」（也可写作「绩效自评情况」），应写在「存在的主要问题」之前。{outline}",
        "缺少第四部分「下一步改进措施」，应写在文件末尾",
    ]  # the funds figures are optional: a report may have none
    # each where it belongs: at the part it goes before, and after the last line
    assert [(d.line, d.column) for d in errors] == [(5, 1), (6, 1)]


def test_missing_key_points_at_its_parent(write_yaml):
    path = write_yaml(MINIMAL + "落款:\n  日期: 2024年3月1日\n")
    (error,) = check(path).errors
    assert (error.line, error.column) == (12, 1)
    assert error.message.startswith("缺少必填项「单位」")


def test_yaml_surprise_reported_once(write_yaml):
    path = write_yaml(MINIMAL.replace("存在的主要问题: 无。", "存在的主要问题: yes"))
    errors = check(path).errors
    assert len(errors) == 1 and "布尔值" in errors[0].message and errors[0].line == 10


def test_part_two_under_either_name(write_yaml):
    assert check(write_yaml(MINIMAL.replace("综合评价分析:", "绩效自评情况:"))).errors == []
    both = MINIMAL + "绩效自评情况:\n  自评结论: 完成。\n"
    assert any("只写一个" in d.message for d in check(write_yaml(both)).errors)


def test_custom_sections_keep_their_order(write_yaml):
    text = MINIMAL.replace("  部门职能: 负责测试工作。\n", "  部门概况: 概况。\n  部门职能: 负责测试工作。\n")
    report = check(write_yaml(text)).report
    assert [k for k, _ in report.基本情况.sections()] == ["部门概况", "部门职能", "部门整体收支情况"]


def test_block_must_be_one_kind(write_yaml):
    text = MINIMAL.replace("存在的主要问题: 无。", "存在的主要问题:\n  - 小标题: 一\n    段落: 二\n")
    (error,) = check(write_yaml(text)).errors
    assert error.line == 11 and "只能是" in error.message


def test_table_rows_must_match_header(write_yaml):
    text = MINIMAL.replace(
        "存在的主要问题: 无。",
        "存在的主要问题:\n  - 表格:\n      表头: [甲, 乙]\n      行:\n        - [1, 2]\n        - [3]\n",
    )
    (error,) = check(write_yaml(text)).errors
    assert "第 2 行有 1 格" in error.message


def test_unknown_template_is_an_error_at_its_key(write_yaml):
    path = write_yaml("模板: 火星\n" + MINIMAL)
    (error,) = check(path).errors
    assert (error.line, error.column) == (1, 5)
    assert "找不到模板「火星」" in error.message and "荔湾" in error.message


def test_a_number_where_a_section_belongs_says_what_to_write(write_yaml):
    path = write_yaml(MINIMAL.replace("  部门职能: 负责测试工作。\n", "  部门职能: 负责测试工作。\n  其他说明: 1\n"))
    messages = [d.message for d in check(path).errors]
    assert messages == ['这里应写文字（一段或几段）或下一层的「键: 值」，而不是 1；若是文字，请加引号："1"']
