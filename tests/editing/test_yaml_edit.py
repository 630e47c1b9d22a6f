"""The page's changes made in the officer's text: the change and nothing else, every comment,
blank line and quoting kept, and a change the text cannot take refused with the file as it was."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.compose.starter import render
from reportgen.editing.yaml_edit import Change, EditError, apply
from reportgen.input.loader import load
from reportgen.template import folders

ROOT = Path(__file__).resolve().parents[2]
FUNDS = ("基本情况", "部门整体收支情况")


@pytest.fixture(scope="module")
def starter() -> str:
    return render(folders.resolve(None), "（部门全称）", 2025, None)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    gone, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            gone.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return gone, added


def test_a_value_changes_on_its_own_line_with_its_comment(starter):
    after = apply(starter, [Change("set", ("部门名称",), "某县卫生健康局")])
    gone, added = _changed_lines(starter, after)
    assert gone == ["部门名称: （部门全称）  # 部门全称，如「广州市公安局荔湾区分局」"]
    assert added == ["部门名称: 某县卫生健康局  # 部门全称，如「广州市公安局荔湾区分局」"]


def test_an_empty_figure_is_filled_where_its_key_is(starter):
    after = apply(starter, [Change("set", (*FUNDS, "资金来源", "其他资金"), Decimal("5.20"))])
    gone, added = _changed_lines(starter, after)
    assert gone == ["      其他资金:  # 万元"] and added == ["      其他资金: 5.20  # 万元"]
    funds = load("x.yaml", after.encode()).data["基本情况"]["部门整体收支情况"]
    assert funds["资金来源"]["其他资金"] == Decimal("5.20")


def test_paragraphs_go_into_the_literal_block_under_its_commented_header(starter):
    after = apply(starter, [Change("set", ("基本情况", "部门职能"), "负责全县卫生健康工作。\n统筹医疗资源。")])
    header = "  部门职能: |  # 部门的主要职能，每行一段\n"
    assert header + "    负责全县卫生健康工作。\n    统筹医疗资源。\n  机构和人员:" in after
    again = apply(after, [Change("set", ("基本情况", "部门职能"), "只剩一段。")])
    assert "  部门职能: |  # 部门的主要职能，每行一段\n    只剩一段。\n  机构和人员:" in again


def test_a_missing_key_goes_where_the_format_orders_it():
    text = (
        "部门名称: 甲\n年度: 2024\n基本情况:\n  部门整体收支情况:\n"
        "    全年预算数: 100  # 预算\n    资金来源:\n      其他资金: 1\n"
    )
    after = apply(text, [Change("set", (*FUNDS, "执行数"), Decimal(90))])
    assert "    全年预算数: 100  # 预算\n    执行数: 90\n    资金来源:\n" in after
    nested = apply(after, [Change("set", (*FUNDS, "上年", "执行数"), Decimal(80))])
    assert nested.endswith("      其他资金: 1\n    上年:\n      执行数: 80\n")
    top = apply(text, [Change("set", ("模板",), "荔湾")])
    assert top.startswith("部门名称: 甲\n年度: 2024\n模板: 荔湾\n基本情况:")


def test_flow_mappings_take_keys_inside_their_braces():
    text = (
        "部门名称: 甲\n年度: 2024\n格式: {千位分隔符: true}  # 数字格式\n"
        "绩效指标:\n  - {一级指标: 产出指标, 分值: 10}\n"
    )
    after = apply(text, [Change("set", ("格式", "金额小数位"), Decimal(2))])
    assert "格式: {千位分隔符: true, 金额小数位: 2}  # 数字格式\n" in after
    row = apply(text, [Change("set", ("绩效指标", 0, "实际完成值"), "98%")])
    assert "  - {一级指标: 产出指标, 分值: 10, 实际完成值: 98%}\n" in row
    emptied = apply(row, [Change("set", ("绩效指标", 0, "分值"), None)])
    assert "  - {一级指标: 产出指标, 实际完成值: 98%}\n" in emptied


def test_rows_are_inserted_moved_and_removed_with_their_comments():
    text = (
        "部门名称: 甲\n年度: 2024\n绩效指标:\n"
        "  # 产出\n  - {一级指标: 产出指标, 三级指标: 甲}\n"
        "  - 一级指标: 效益指标  # 第二行\n    三级指标: 乙\n"
        "自评得分: 90\n"
    )
    added = apply(text, [Change("insert", ("绩效指标",), {"一级指标": "满意度指标", "三级指标": "丙"}, index=2)])
    assert "    三级指标: 乙\n  - 一级指标: 满意度指标\n    三级指标: 丙\n自评得分: 90\n" in added  # one key a line
    moved = apply(added, [Change("move", ("绩效指标",), index=1, to=0)])
    rows = load("x.yaml", moved.encode()).data["绩效指标"]
    assert [r["三级指标"] for r in rows] == ["乙", "甲", "丙"] and "  - 一级指标: 效益指标  # 第二行\n" in moved
    removed = apply(moved, [Change("remove", ("绩效指标", 1))])
    assert [r["三级指标"] for r in load("x.yaml", removed.encode()).data["绩效指标"]] == ["乙", "丙"]
    first_key = apply(text, [Change("remove", ("绩效指标", 1, "一级指标"))])
    assert "  - 三级指标: 乙\n" in first_key


def test_the_first_row_creates_its_list_as_a_part_of_its_own(starter):
    after = apply(starter, [Change("insert", ("绩效指标",), {"一级指标": "产出指标"}, index=0)])
    assert load("x.yaml", after.encode()).data["绩效指标"] == [{"一级指标": "产出指标"}]
    assert "# 绩效指标:   # 用于计算自评得分" in after  # the starter's commented example stays
    assert "  \n\n绩效指标:\n  - 一级指标: 产出指标\n" in after  # a blank line above a new part


def test_a_new_key_leaves_the_comments_of_the_group_above_with_it(starter):
    after = apply(starter, [Change("set", (*FUNDS, "分来源预算", "一般公共预算", "执行数"), Decimal(5))])
    comments = after.index("      # 公用经费:")
    assert after.index("    分来源预算:") > comments  # not between 支出性质 and its commented choices


def test_a_change_the_text_cannot_take_is_refused():
    text = "部门名称: 甲\n年度: 2024\n基本情况:\n  部门职能: 一段文字\n"
    with pytest.raises(EditError, match="源文件"):
        apply(text, [Change("set", ("基本情况", "部门职能", "内容"), "x")])
    with pytest.raises(EditError, match=r"语法错误|无法读取"):
        apply("部门名称: [甲\n", [Change("set", ("年度",), Decimal(2024))])


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, (*path, index))
    else:
        yield path, value


EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_any_value_of_the_examples_can_be_set_keeping_every_comment(example):
    text = example.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    leaves = [(p, v) for p, v in _leaves(load(example).data) if p and not isinstance(v, bool)]
    chosen = random.Random(example.stem).sample(leaves, min(25, len(leaves)))
    for path, value in chosen:
        new: str | Decimal = Decimal("12.5") if isinstance(value, int | Decimal) else "改后的文字，含「引号」: 和 # 号"
        if isinstance(value, str) and "\n" in value:
            new = "第一段。\n第二段。"
        after = apply(text, [Change("set", path, new)])  # the read-back check is apply's own
        assert all(comment in after for comment in comments), path
        gone, _ = _changed_lines(text, after)
        assert len(gone) <= max(1, value.count("\n") + 1 if isinstance(value, str) else 1), (path, gone)


def test_a_section_s_text_becomes_a_list_with_a_block_and_back():
    text = "部门名称: 甲\n综合评价分析:\n  自评结论综述: |  # 结论\n    第一段。\n\n  主要工作成效: 成效。\n"
    listed = apply(text, [Change("set", ("综合评价分析", "自评结论综述"), ["第一段。", {"评分": "结论"}])])
    assert "  自评结论综述:  # 结论\n    - 第一段。\n    - 评分: 结论\n\n  主要工作成效: 成效。\n" in listed
    back = apply(listed, [Change("set", ("综合评价分析", "自评结论综述"), "第一段。\n第二段。")])
    assert back == text.replace("    第一段。\n", "    第一段。\n    第二段。\n")
