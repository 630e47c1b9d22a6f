"""The shapes of funds found beyond the seeds: no budget, income first, three-way split, 同比.
Each rule fires on a failing case with its message at its line, and stays quiet on a good one."""

from __future__ import annotations

from textutil import docx_paragraphs, squash

from reportgen.build import build
from reportgen.checks.validate import check

FILE = """\
部门名称: 测试局
年度: 2024
基本情况:
  部门整体收支情况:
{funds}
综合评价分析: 完成。
存在的主要问题: 无。
下一步改进措施: 无。
"""


def _write(write_yaml, funds: str):
    body = "\n".join("    " + line for line in funds.strip().splitlines())
    return write_yaml(FILE.format(funds=body))


def _rules(write_yaml, funds: str) -> dict[str, list]:
    checked = check(_write(write_yaml, funds))
    assert checked.errors == [], checked.errors
    found: dict[str, list] = {}
    for d in checked.warnings:
        found.setdefault(d.rule, []).append(d)
    return found


def _funds_text(write_yaml, tmp_path, funds: str, template: str | None = None) -> list[str]:
    path = _write(write_yaml, funds)
    if template:
        path.write_text(f"模板: {template}\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    paragraphs = docx_paragraphs(build(path, tmp_path / "out", ("docx",)).outputs[0])
    start = paragraphs.index("（一）部门整体收支情况") + 1
    end = paragraphs.index("二、综合评价分析")
    return paragraphs[start:end]


def test_a_report_without_any_figures_validates_and_builds(write_yaml, tmp_path):
    path = write_yaml(FILE.replace("  部门整体收支情况:\n{funds}\n", "  部门职能: 负责测试工作。\n"))
    checked = check(path)
    assert checked.diagnostics == []
    text = squash("".join(docx_paragraphs(build(path, tmp_path, ("docx",)).outputs[0])))
    assert "万元" not in text and "完成预算" not in text


def test_only_what_is_written_is_quoted(write_yaml, tmp_path):
    assert _funds_text(write_yaml, tmp_path, "全年预算数: 100.00") == ["全年预算数100.00万元。"]
    assert _funds_text(write_yaml, tmp_path, "执行数: 95.00") == ["本年支出95.00万元。"]
    both = _funds_text(write_yaml, tmp_path, "全年预算数: 100\n执行数: 95\n资金来源:\n  一般公共预算财政拨款: 95")
    assert both == [
        "全年预算数100万元，执行数95万元，完成预算的95.00%。",
        "按资金来源分，一般公共预算财政拨款支出95万元。",
    ]


def test_unwritten_sources_print_as_zero_only_where_the_template_asks(write_yaml, tmp_path):
    funds = "全年预算数: 100\n执行数: 95\n资金来源:\n  一般公共预算财政拨款: 95"
    guangzhou = _funds_text(write_yaml, tmp_path, funds, template="荔湾")
    assert guangzhou[1] == (
        "按资金来源分，一般公共预算财政拨款支出95万元，政府性基金预算财政拨款支出0万元，"
        "国有资本经营预算财政拨款支出0万元，其他资金支出0万元。"
    )


def test_checks_wait_for_their_figures(write_yaml):
    # sources and nature with nothing spent to compare them with: no sum can be checked
    quiet = _rules(write_yaml, "资金来源:\n  一般公共预算财政拨款: 80\n支出性质:\n  项目支出: 30")
    assert quiet == {}


def test_three_way_split_derives_basic_spending(write_yaml, tmp_path):
    funds = "全年预算数: 100\n执行数: 90\n支出性质:\n  人员经费: 50\n  公用经费: 10\n  项目支出: {p}"
    assert _rules(write_yaml, funds.format(p=30)) == {}
    (w,) = _rules(write_yaml, funds.format(p=25))["支出性质合计"]
    assert w.message == "人员经费、公用经费与项目支出合计 85.00 万元，与执行数 90.00 万元不符（相差 -5.00 万元）"
    assert (w.line, w.column) == (7, 5)
    text = _funds_text(write_yaml, tmp_path, funds.format(p=30))
    assert text[1] == "按支出性质看，人员经费50万元，公用经费10万元，项目支出30万元。"


def test_one_half_of_basic_spending_is_reported(write_yaml):
    (w,) = _rules(write_yaml, "执行数: 90\n支出性质:\n  人员经费: 50\n  项目支出: 30")["基本支出构成"]
    assert "只填了人员经费，没有公用经费" in w.message and w.line == 7


def test_basic_spending_with_its_parts(write_yaml, tmp_path):
    funds = "执行数: 90\n支出性质:\n  基本支出: 60\n  人员经费: 50\n  公用经费: 10\n  项目支出: 30"
    assert _rules(write_yaml, funds) == {}
    text = _funds_text(write_yaml, tmp_path, funds)
    assert text[1] == "按支出性质看，基本支出60万元（其中人员经费50万元，公用经费10万元），项目支出30万元。"


INCOME = """\
本年收入: {income}
收入来源:
  财政拨款收入: 900
  一般公共预算财政拨款收入: 850
  政府性基金预算财政拨款收入: {fund}
  事业收入: 80
  其他收入: 20
年初结转和结余: 50
本年支出: 980
年末结转和结余: {end}
"""


def test_income_first_adds_up(write_yaml, tmp_path):
    good = INCOME.format(income=1000, fund=50, end=70)
    assert _rules(write_yaml, good) == {}
    assert _funds_text(write_yaml, tmp_path, good) == [
        "本年收入1000万元，其中财政拨款收入900万元（一般公共预算财政拨款收入850万元，政府性基金预算财政拨款收入50万元），"
        "事业收入80万元，其他收入20万元。年初结转和结余50万元。",
        "本年支出980万元。",
        "年末结转和结余70万元。",
    ]
    bad = _rules(write_yaml, INCOME.format(income=1010, fund=40, end=71))
    (sources,) = bad["收入来源合计"]
    assert sources.message == "按来源分的收入合计 1000.00 万元，与本年收入 1010.00 万元不符（相差 -10.00 万元）"
    (appropriation,) = bad["财政拨款收入构成"]
    assert "890.00" in appropriation.message and appropriation.line == 7
    (balance,) = bad["结转结余"]
    assert "年初结转和结余 + 本年收入 − 本年支出 = 80.00 万元" in balance.message


def test_spending_above_income_needs_an_opening_balance(write_yaml):
    (w,) = _rules(write_yaml, "本年收入: 900\n本年支出: 950")["收支平衡"]
    assert w.message.startswith("本年支出 950.00 万元超过本年收入 900.00 万元，但没有填写「年初结转和结余」")
    assert w.line == 5
    (implied,) = _rules(write_yaml, "本年收入: 900\n本年支出: 950\n年末结转和结余: 10")["收支平衡"]
    assert "按年末结转和结余推算应为 60.00 万元" in implied.message
    assert _rules(write_yaml, "本年收入: 900\n本年支出: 950\n年初结转和结余: 50\n年末结转和结余: 0") == {}
    assert _rules(write_yaml, "本年收入: 900\n本年支出: 950\n说明: 动用了上年结转资金") == {}


def test_a_negative_implied_opening_balance(write_yaml):
    (w,) = _rules(write_yaml, "本年收入: 900\n本年支出: 850\n年末结转和结余: 20")["年初结转推算"]
    assert "年初结转和结余为 -30.00 万元，是负数" in w.message


def test_last_year_changes_are_computed_printed_and_checked(write_yaml, tmp_path):
    funds = (
        "本年收入: 1052.6\n本年支出: 950\n年初结转和结余: 0\n年末结转和结余: 102.6\n"
        "上年:\n  本年收入: 1000\n  本年支出: 1000\n同比:\n  本年收入: {typed}"
    )
    assert _rules(write_yaml, funds.format(typed="5.26%")) == {}
    assert _rules(write_yaml, funds.format(typed="5.3%")) == {}  # typed to one place, agrees at one place
    (w,) = _rules(write_yaml, funds.format(typed="5.25%"))["同比"]
    assert w.message == "手填的本年收入同比 5.25% 与计算值 5.26%（（本年 − 上年）÷ 上年）不符"
    assert (w.line, w.column) == (13, 7)
    text = _funds_text(write_yaml, tmp_path, funds.format(typed="5.26%"))
    assert text[0].startswith("本年收入1052.6万元，比上年增加52.6万元，增长5.26%。")
    assert text[1] == "本年支出950万元，比上年减少50万元，下降5.00%。"


def test_last_year_without_this_year_and_a_zero_base(write_yaml):
    found = _rules(write_yaml, "执行数: 100\n上年:\n  本年收入: 90\n  执行数: 0\n同比:\n  执行数: 10%")
    messages = [d.message for d in found["同比"]]
    assert "填写了上年的本年收入，但没有本年的本年收入，无法计算同比" in messages
    assert "上年的执行数为 0，无法计算增减率" in messages


def test_last_year_s_appropriation_and_breakdown(write_yaml, tmp_path):
    funds = (
        "本年收入: 1000\n收入来源:\n  财政拨款收入: 900\n  一般公共预算财政拨款收入: 900\n  其他收入: 100\n"
        "本年支出: 1000\n年初结转和结余: 0\n年末结转和结余: 0\n"
        "支出性质:\n  人员经费: 500\n  公用经费: 100\n  项目支出: 400\n"
        "上年:\n  财政拨款收入: 800\n  本年支出: 950\n  人员经费: 480\n  公用经费: 90\n  项目支出: {p}"
    )
    assert _rules(write_yaml, funds.format(p=380)) == {}
    (w,) = _rules(write_yaml, funds.format(p=370))["上年合计"]
    assert w.message == "上年基本支出（或人员经费与公用经费）与项目支出合计 940.00 万元，与上年本年支出 950.00 万元不符"
    text = _funds_text(write_yaml, tmp_path, funds.format(p=380))
    assert "其中财政拨款收入900万元（比上年增长12.50%；其中一般公共预算财政拨款收入900万元）" in text[0]


def test_the_initial_budget_is_quoted_when_written(write_yaml, tmp_path):
    text = _funds_text(write_yaml, tmp_path, "年初预算数: 120\n全年预算数: 100\n执行数: 95\n说明: 年中调减")
    assert text == ["年初预算数120万元，全年预算数100万元，执行数95万元，完成预算的95.00%。"]
