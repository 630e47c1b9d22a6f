"""Each arithmetic rule, firing and not firing."""

from __future__ import annotations

from conftest import MINIMAL

from reportgen.checks.validate import check

FUNDS = """\
部门名称: 测试局
年度: 2023
基本情况:
  部门整体收支情况:
{funds}
综合评价分析: 完成。
存在的主要问题: 无。
下一步改进措施: 无。
"""


def _rules(write_yaml, funds: str, extra: str = "") -> dict[str, list]:
    body = "\n".join("    " + line for line in funds.strip().splitlines())
    checked = check(write_yaml(FUNDS.format(funds=body) + extra))
    assert checked.errors == [], checked.errors
    found: dict[str, list] = {}
    for d in checked.warnings:
        found.setdefault(d.rule, []).append(d)
    return found


def test_sources_must_add_up(write_yaml):
    bad = _rules(write_yaml, "全年预算数: 100\n执行数: 90\n资金来源:\n  一般公共预算财政拨款: 80\n  其他资金: 5")
    (w,) = bad["资金来源合计"]
    assert (w.line, w.column) == (7, 5)
    assert "85.00" in w.message and "90.00" in w.message and "-5.00" in w.message
    good = _rules(write_yaml, "全年预算数: 100\n执行数: 90\n资金来源:\n  一般公共预算财政拨款: 85\n  其他资金: 5")
    assert "资金来源合计" not in good


def test_nature_must_add_up(write_yaml):
    bad = _rules(write_yaml, "全年预算数: 100\n执行数: 90\n支出性质:\n  基本支出: 60\n  项目支出: 29.99")
    assert "基本支出与项目支出合计 89.99 万元" in bad["支出性质合计"][0].message
    good = _rules(write_yaml, "全年预算数: 100\n执行数: 90\n支出性质:\n  基本支出: 60\n  项目支出: 30")
    assert "支出性质合计" not in good


def test_personnel_and_public_make_basic(write_yaml):
    funds = "全年预算数: 100\n执行数: 90\n支出性质:\n  基本支出: 60\n  项目支出: 30\n  人员经费: 50\n  公用经费: {x}"
    assert "基本支出构成" in _rules(write_yaml, funds.format(x=9))
    assert "基本支出构成" not in _rules(write_yaml, funds.format(x=10))


def test_typed_completion_rate(write_yaml):
    bad = _rules(write_yaml, "全年预算数: 150490.53\n执行数: 150147.52\n预算完成率: 99.78%")
    assert "99.77%" in bad["预算完成率"][0].message
    good = _rules(write_yaml, "全年预算数: 150490.53\n执行数: 150147.52\n预算完成率: 99.77%")
    assert "预算完成率" not in good


def test_typed_adjustment_rate(write_yaml):
    funds = "全年预算数: 1985.28\n执行数: 1961.88\n年初预算数: 2803.45\n预算调整率: {r}\n说明: 年中收回部分项目经费"
    assert "预算调整率" not in _rules(write_yaml, funds.format(r="29%"))
    assert "29.18%" in _rules(write_yaml, funds.format(r="28%"))["预算调整率"][0].message


def test_implausible_rates_need_a_note(write_yaml):
    over = _rules(write_yaml, "全年预算数: 100\n执行数: 101")
    assert "超过 100%" in over["完成率过高"][0].message
    low = _rules(write_yaml, "全年预算数: 100\n执行数: 80")
    assert "低于 90%" in low["完成率偏低"][0].message
    adjusted = _rules(write_yaml, "全年预算数: 60\n执行数: 59\n年初预算数: 100")
    assert "调整率过高" in adjusted
    noted = _rules(write_yaml, "全年预算数: 100\n执行数: 101\n说明: 使用了上年结转资金")
    assert "完成率过高" not in noted
    assert not _rules(write_yaml, "全年预算数: 100\n执行数: 95")


def test_year_end_balance(write_yaml):
    gap = _rules(write_yaml, "全年预算数: 100\n执行数: 95\n年末结转和结余: 6")
    assert "全年预算数 − 执行数 = 5.00" in gap["结转结余"][0].message
    assert "结转结余" not in _rules(write_yaml, "全年预算数: 100\n执行数: 95\n年末结转和结余: 5")
    identity = "全年预算数: 100\n执行数: 95\n年初结转和结余: 3\n本年收入: 100\n年末结转和结余: {x}"
    assert "结转结余" not in _rules(write_yaml, identity.format(x=8))
    assert "= 8.00 万元不符" in _rules(write_yaml, identity.format(x=7))["结转结余"][0].message


def test_this_year_spending_and_totals(write_yaml):
    funds = "全年预算数: 100\n执行数: 95\n本年支出: {s}\n总收入: 120\n总支出: {t}"
    found = _rules(write_yaml, funds.format(s=94, t=119))
    assert "本年支出" in found and "总收支" in found
    assert not _rules(write_yaml, funds.format(s=95, t=120))


def test_project_coverage(write_yaml):
    def run(extra: str, money: str = "4238.61") -> dict:
        block = f"  - 项目自评: {{一级项目数: 8, 涉及资金: {money}, 项目支出总额: 4273.68{extra}}}\n"
        text = MINIMAL.replace("存在的主要问题: 无。\n", "存在的主要问题:\n" + block)
        checked = check(write_yaml(text))
        assert checked.errors == [], checked.errors
        return {d.rule: d for d in checked.warnings}

    # 4238.61 / 4273.68 = 99.179…%
    assert "覆盖率" not in run(", 覆盖率: 99.18")
    assert "覆盖率" not in run(", 覆盖率: 99.2")  # typed at one place agrees at one place
    assert "计算值 99.18%" in run(", 覆盖率: 99.19")["覆盖率"].message
    assert "超过项目支出总额" in run("", money="5000")["覆盖率"].message


def test_section_name_did_you_mean(write_yaml):
    text = MINIMAL.replace("  部门职能:", "  部门职责:")
    (w,) = [d for d in check(write_yaml(text)).warnings if d.rule == "小节名称"]
    assert "是否想写「部门职能」" in w.message and (w.line, w.column) == (4, 3)
    assert not [d for d in check(write_yaml(MINIMAL)).warnings if d.rule == "小节名称"]
