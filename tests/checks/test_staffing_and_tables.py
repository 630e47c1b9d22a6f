"""机构和人员: sums, establishment and the typed control rate; free tables with a 合计."""

from __future__ import annotations

from conftest import MINIMAL
from textutil import docx_paragraphs

from reportgen.build import build
from reportgen.checks.validate import check

STAFF = """\
部门名称: 测试局
年度: 2024
基本情况:
  机构和人员:
{body}
综合评价分析: 完成。
存在的主要问题: 无。
下一步改进措施: 无。
"""

GOOD = """\
内设机构: 9
下属单位: 2
编制数: 68
编制构成: {行政编制: 52, 事业编制: 12, 工勤编制: 4}
实有人数: 89
实有构成: {在职: 64, 离退休: 25}
在职构成: {行政: 50, 事业: 11, 工勤: 3}
在职人员控制率: 94.12%
"""


def _write(write_yaml, body: str):
    return write_yaml(STAFF.format(body="\n".join("    " + line for line in body.strip().splitlines())))


def _rules(write_yaml, body: str) -> dict[str, list]:
    checked = check(_write(write_yaml, body))
    assert checked.errors == [], checked.errors
    found: dict[str, list] = {}
    for d in checked.warnings:
        found.setdefault(d.rule, []).append(d)
    return found


def test_good_staffing_is_quiet_and_printed(write_yaml, tmp_path):
    assert _rules(write_yaml, GOOD) == {}
    paragraphs = docx_paragraphs(build(_write(write_yaml, GOOD), tmp_path, ("docx",)).outputs[0])
    assert "（一）机构和人员情况" in paragraphs
    assert (
        "我部门内设机构9个，下属单位2个。编制数68人，其中行政编制52人、事业编制12人、工勤编制4人；"
        "实有人数89人，其中在职64人、离退休25人；在职人员中，行政50人、事业11人、工勤3人。在职人员控制率为94.12%。"
    ) in paragraphs


def test_staffing_as_a_table(write_yaml, tmp_path):
    path = _write(write_yaml, GOOD + "形式: 表格\n")
    paragraphs = docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])
    assert not any(p.startswith("我部门内设机构") for p in paragraphs)
    table = paragraphs[paragraphs.index("项目") : paragraphs.index("二、综合评价分析")]
    assert table[:6] == ["项目", "数量", "其中", "内设机构", "9个", "下属单位"]
    assert table[7:10] == ["编制数", "68人", "行政编制52人、事业编制12人、工勤编制4人"]
    assert table[-3:] == ["在职人员控制率", "94.12%", "在职人数 ÷ 编制数"]


def test_breakdowns_must_add_up(write_yaml):
    body = GOOD.replace("工勤编制: 4", "工勤编制: 5").replace("离退休: 25", "离退休: 24").replace("工勤: 3", "工勤: 2")
    found = _rules(write_yaml, body)
    messages = sorted((d.line, d.message) for d in found["人数合计"])
    assert messages == [
        (8, "编制构成各项合计 69 人，与编制数 68 人不符（相差 1 人）"),
        (10, "实有构成各项合计 88 人，与实有人数 89 人不符（相差 -1 人）"),
        (11, "在职构成各项合计 63 人，与在职人数 64 人不符（相差 -1 人）"),
    ]


def test_staff_above_establishment(write_yaml):
    body = "编制数: 60\n实有构成: {在职: 64, 离退休: 25}"
    (w,) = _rules(write_yaml, body)["超编"]
    assert w.message.startswith("在职人数 64 人超过编制数 60 人（在职人员控制率 106.67%）")
    assert w.line == 6
    assert _rules(write_yaml, body + "\n说明: 含政法专项编制借调人员") == {}


def test_typed_control_rate_and_typed_staff_on_post(write_yaml):
    (w,) = _rules(write_yaml, GOOD.replace("94.12%", "95%"))["在职人员控制率"]
    assert w.message == "手填的在职人员控制率 95% 与计算值 94.12%（在职人数 ÷ 编制数）不符"
    (w,) = _rules(write_yaml, "编制数: 68\n实有构成: {在职: 64, 离退休: 25}\n在职人数: 63")["人数合计"]
    assert w.message == "在职人数 63 人，与「实有构成」中的在职 64 人不符"
    (w,) = _rules(write_yaml, "实有人数: 50\n在职人数: 60")["人数合计"]
    assert "在职人数 60 人超过实有人数 50 人" in w.message


def _table_rules(write_yaml, rows: str, header: str = "[项目, 本年, 上年]") -> list:
    block = f"  - 表格:\n      表头: {header}\n      行:\n" + "".join(f"        - {r}\n" for r in rows.splitlines())
    text = MINIMAL.replace("存在的主要问题: 无。\n", "存在的主要问题:\n" + block)
    checked = check(write_yaml(text))
    assert checked.errors == [], checked.errors
    return [d for d in checked.warnings if d.rule == "表格合计"]


def test_a_total_row_is_checked_column_by_column(write_yaml):
    rows = "[甲, 10.50, 7]\n[乙, 20.25, 8]\n[其中：丙, 5, 1]\n[合计, {x}, 15]"
    assert _table_rules(write_yaml, rows.format(x="30.75")) == []
    (w,) = _table_rules(write_yaml, rows.format(x="30.76"))
    assert w.message == "表格「本年」一列：各行之和为 30.75，与合计行的 30.76 不符"
    assert (w.line, w.column) == (17, 16)  # the cell 30.76


def test_a_total_column_is_checked_row_by_row(write_yaml):
    rows = "[甲, 10, 5, 15]\n[乙, 20, 5, {x}]"
    assert _table_rules(write_yaml, rows.format(x=25), header="[项目, 基本, 项目, 合计]") == []
    (w,) = _table_rules(write_yaml, rows.format(x=26), header="[项目, 基本, 项目, 合计]")
    assert w.message == "表格第 2 行：各列之和为 25，与「合计」列的 26 不符"


def test_rates_and_words_are_not_summed(write_yaml):
    rows = "[甲, 95%, 好]\n[乙, 90%, 好]\n[合计, 92.5%, —]"
    assert _table_rules(write_yaml, rows, header="[项目, 完成率, 评价]") == []
