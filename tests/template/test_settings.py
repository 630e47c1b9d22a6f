"""The typed settings: one place for every default, and a chain merged and checked once."""

from __future__ import annotations

import pytest
from conftest import ROOT

from reportgen.input.loader import load
from reportgen.page import Layout
from reportgen.template.folders import resolve
from reportgen.template.form_columns import BUDGET_COLUMNS, INDICATOR_COLUMNS
from reportgen.template.settings import DEFAULTS, Settings

OWN = ("名称", "说明", "大纲", "标题改写")  # the base template's own choices, not defaults


def test_the_base_template_states_the_defaults_it_is_documented_with():
    """base/settings.yaml is what a bureau copies: every value it states is the default the code
    uses when no template states it (a change to one without the other fails here)."""
    data = load(ROOT / "templates" / "base" / "settings.yaml").data
    stated = [key for key in data if key not in OWN]
    assert len(stated) >= 10
    differ = [
        key for key in stated if getattr(Settings.model_validate({key: data[key]}), key) != getattr(DEFAULTS, key)
    ]
    assert differ == []


def test_a_chain_is_one_typed_object_with_layout_sheet_and_format():
    template = resolve("./枫林县财政局模板", relative_to=ROOT / "examples")
    settings = template.settings
    assert settings.格式.得分小数位 == 0 and settings.number_format().score_places == 0
    sheet = settings.score_sheet()
    assert sheet.full == sheet.budget_points + sum(sheet.categories.values())
    assert isinstance(template.layout, Layout)
    with pytest.raises(Exception, match="frozen"):
        settings.自称 = "我局"  # type: ignore[misc]


def test_a_report_s_format_overrides_the_template_s_only_where_it_states_one():
    fmt = DEFAULTS.number_format({"千位分隔符": True, "比率小数位": None})
    assert fmt.thousands is True and fmt.rate_places == 2 and fmt.money_places == "原样"


def test_every_form_column_a_setting_may_name_has_a_width_a_heading_and_a_value():
    for key, column in INDICATOR_COLUMNS.items():
        assert column.key == key and column.width > 0 and column.heading
    for key, column in BUDGET_COLUMNS.items():
        assert column.key == key and column.heading
    named = [c if c != "其他列" else {"列": c, "名": "数据来源"} for c in INDICATOR_COLUMNS]
    chosen = Settings.model_validate({"自评表": {"指标列": named}})
    assert [c.列 for c in chosen.自评表.指标列] == list(INDICATOR_COLUMNS)
