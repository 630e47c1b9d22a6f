"""The departments beyond the seeds: each validates without a warning, and the figures it prints
are the ones computed by hand in its header comment."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from conftest import BEYOND_SEEDS, ROOT
from textutil import docx_paragraphs, pdf_body_text, squash, without_repeats

from reportgen.build import build
from reportgen.checks.validate import check
from reportgen.figures.derive import project_score, score
from reportgen.template.folders import resolve
from reportgen.template.settings import ScoreSettings


@pytest.fixture(scope="module")
def texts(tmp_path_factory) -> dict[str, tuple[str, str]]:
    out = tmp_path_factory.mktemp("beyond")
    found = {}
    for name in BEYOND_SEEDS:
        built = build(ROOT / "examples" / f"{name}.yaml", out, kinds=("报告",))
        paths = {p.suffix: p for p in built.outputs}
        found[name] = (squash("".join(docx_paragraphs(paths[".docx"]))), squash(pdf_body_text(paths[".pdf"])))
    return found


@pytest.mark.parametrize("name", BEYOND_SEEDS)
def test_validates_without_a_warning(name):
    assert check(ROOT / "examples" / f"{name}.yaml").diagnostics == []


SCORE_HEADER = "一级指标二级指标三级指标分值年度指标值实际完成值得分"


@pytest.mark.parametrize("name", BEYOND_SEEDS)
def test_word_and_pdf_say_the_same(texts, name):
    docx_text, pdf_text = texts[name]
    assert docx_text == without_repeats(pdf_text, SCORE_HEADER)  # the PDF repeats a header row per page


def _both(texts, name: str, sentence: str) -> bool:
    return all(sentence in text for text in texts[name])


def test_county_income_first_three_way_split_and_last_year(texts):
    name = "qingxi-nongye-2024"
    # 3012.30 + 256.15 = 3268.45; 3268.45 − 3105.60 = 162.85, ÷ 3105.60 = 5.2437…%
    assert _both(texts, name, "本年收入3268.45万元，比上年增加162.85万元，增长5.24%，其中财政拨款收入3012.30万元")
    assert _both(texts, name, "年初结转和结余185.20万元。")
    # 3301.62 − 3188.90 = 112.72, ÷ 3188.90 = 3.5347…%
    assert _both(texts, name, "本年支出3301.62万元，比上年增加112.72万元，增长3.53%。")
    # 228.60 → 213.47: −15.13, −6.6185…%
    assert _both(texts, name, "人员经费1046.88万元（比上年增长3.39%），公用经费213.47万元（比上年下降6.62%）")
    assert _both(texts, name, "项目支出2041.27万元（比上年增长4.80%）。年末结转和结余152.03万元。")
    assert "完成预算" not in texts[name][0]  # no budget figure, no completion rate


def test_city_staffing_and_score(texts):
    name = "jiangcheng-fagai-2024"
    assert _both(texts, name, "我委内设机构9个，下属单位2个。编制数68人，其中行政编制52人、事业编制12人、工勤编制4人")
    assert _both(texts, name, "在职人员控制率为94.12%。")  # 64 ÷ 68
    assert _both(texts, name, "全年预算数2456.80万元，执行数2398.35万元，完成预算的97.62%。")
    assert _both(texts, name, "2024年我委整体支出绩效自评得分为98.11分，等级为“优”。")
    checked = check(ROOT / "examples" / f"{name}.yaml")
    result = score(checked.report, ScoreSettings().sheet())
    # 9.76 + 15 + 10 + 14.85 + 10 + 15 + 13.50 + 10
    assert [i.score for i in result.items] == [
        D(x) for x in ("15.00", "10.00", "14.85", "10.00", "15.00", "13.50", "10.00")
    ]
    assert result.budget_score == D("9.76") and result.total == D("98.11") and result.grade == "优"


def test_department_with_one_project(texts):
    name = "hexi-zhengfawei-2024"
    assert _both(texts, name, "三、重点项目绩效自评情况")
    assert _both(texts, name, "综治中心规范化建设项目自评得分为98.37分，等级为“优”。")
    assert "按照《" not in texts[name][0]  # no sheet is cited for a project in the base
    checked = check(ROOT / "examples" / f"{name}.yaml")
    (project,) = checked.report.重点项目
    result = project_score(project, ScoreSettings().sheet())
    # 9.50 + 20 + 20 + 9.09 + 30 + 9.78
    assert result.budget_score == D("9.50") and result.total == D("98.37")
    assert checked.report.绩效指标 is None  # the department's own score is not made of the project's


def test_finance_bureau_outline_score_first(texts):
    name = "fenglin-caizheng-2024"
    docx_text = texts[name][0]
    assert (
        docx_text.index("根据《枫林县财政局")
        < docx_text.index("一、自评得分情况")
        < docx_text.index("二、部门基本情况")
    )
    assert _both(
        texts, name, "按照《枫林县部门整体支出绩效评价指标体系》，2024年我局整体支出绩效自评得分为93分，等级为“优”。"
    )
    assert _both(texts, name, "全年预算数1,842.60万元，执行数1,796.02万元，完成预算的97.47%。")
    checked = check(ROOT / "examples" / f"{name}.yaml")
    sheet = resolve("./枫林县财政局模板", relative_to=ROOT / "examples").settings.score_sheet()
    result = score(checked.report, sheet)
    # 19.49 + 10 + 9 + 10 + 10 + 13.50 + 11.25 + 10
    assert result.budget_score == D("19.49") and result.total == D("93.24") and result.full_marks == D(100)
