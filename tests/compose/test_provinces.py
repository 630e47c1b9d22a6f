"""Three provinces' 自评表 as a bureau writes them, in settings alone (tests/provinces/): each
builds, and prints the cells its published form has, with the score computed by its own rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT
from textutil import form_rows, pdf_body_text, squash

from reportgen.build import build
from reportgen.checks.validate import check

PROVINCES = ROOT / "tests" / "provinces"


def _row(rows: list[list[str]], first: str) -> list[str]:
    return next(r for r in rows if first in r)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, dict[str, Path]]:
    out = tmp_path_factory.mktemp("provinces")
    found = {}
    for name in ("chongqing", "hubei", "sichuan"):
        outputs = build(PROVINCES / f"{name}.yaml", out).outputs
        found[name] = {p.suffix[1:]: p for p in outputs}
    return found


@pytest.mark.parametrize("name", ["chongqing", "hubei", "sichuan"])
def test_each_validates_clean(name):
    checked = check(PROVINCES / f"{name}.yaml")
    assert checked.diagnostics == [] and checked.kinds == ("自评表",)


def test_chongqing_header_fields_score_first_units_and_standards(built):
    rows = form_rows(built["chongqing"]["docx"])
    assert rows[0] == ["部门（单位）名称", "重庆市某区城市管理局", "评价年度", "2024年"]
    assert rows[1] == ["主管部门", "重庆市某区人民政府", "主管科室", "经建科"]
    assert rows[2] == ["联系人", "张某", "联系电话", "023-61234567"]
    assert rows[3] == ["填报日期", "2025年3月10日"]
    assert rows[4] == ["自评得分", "93.80分", "自评等级", "优"]  # 9.80 + 30 + 20 + 24 + 10
    assert _row(rows, "市容投诉量") == [
        "效益指标", "社会效益指标", "市容投诉量", "件", "≤200", "250", "30", "24.00", "超出按目标值÷实际值计分",
    ]  # fmt: skip
    assert "评价标准" in _row(rows, "计量单位")


def test_hubei_weights_budget_bands_and_factor_in_percent(built):
    rows = form_rows(built["hubei"]["docx"])
    # 执行率 90%: within the 80–100% band, in proportion: 20 × 90% = 18
    assert _row(rows, "年度资金总额")[-3:] == ["20", "90.00%", "18.00"]
    assert _row(rows, "农村公路养护里程")[-4:] == ["40", "90.00%", "36.00", "两段道路施工推迟"]
    total = _row(rows, "总分")
    assert "100" in total and "94.00" in total and "自评等级：优" in total


def test_sichuan_goals_side_by_side_a_reverse_indicator_and_its_own_column(built):
    rows = form_rows(built["sichuan"]["docx"])
    assert _row(rows, "年初绩效目标")[-3:] == ["年初绩效目标", "全年（调整）绩效目标", "实际完成情况"]
    assert _row(rows, "刑事案件发案数").count("警综平台") == 1
    assert "45.45" in _row(rows, "刑事案件发案数")  # 50 × 1100 ÷ 1210
    assert "数据来源" in _row(rows, "三级指标")
    assert "95.35" in squash(pdf_body_text(built["sichuan"]["pdf"]))
