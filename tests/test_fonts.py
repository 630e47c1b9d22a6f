"""Font roles: official names first, free substitutes after, a fallback for rare characters."""

from __future__ import annotations

import pdfplumber
import pytest

from reportgen import fonts
from reportgen.diagnostics import RenderError
from reportgen.layout import DEFAULT_FONTS


def test_substitutes_are_installed_for_every_role():
    for role, spec in DEFAULT_FONTS.items():
        resolved = fonts.resolve(spec)
        assert resolved.chain, role
        assert resolved.chain[0].family.startswith("Fandol"), (role, resolved.css_families)
        assert resolved.chain[-1].family.startswith("Noto"), role


def test_title_substitute_is_bold_song():
    resolved = fonts.resolve(DEFAULT_FONTS["标题"])
    assert resolved.bold and resolved.chain[0].family == "FandolSong" and resolved.chain[0].bold


def test_rare_character_falls_back_to_noto():
    resolved = fonts.resolve(DEFAULT_FONTS["正文"])
    assert resolved.face_for("仿").family == "FandolFang"
    assert resolved.face_for("漖").family == "Noto Serif CJK SC"


def test_seed_002_rare_character_is_drawn(built):
    with pdfplumber.open(built["002"]["pdf"]) as pdf:
        chars = [c for page in pdf.pages for c in page.chars if c["text"] == "漖"]
    assert chars and all("NotoSerifCJK" in c["fontname"].replace("-", "") for c in chars)


def test_character_without_any_font_is_named():
    roles = {"正文": fonts.resolve(DEFAULT_FONTS["正文"])}
    with pytest.raises(RenderError) as err:
        fonts.check_coverage({"正文": "正常文字😀\ue000"}, roles)
    assert "「😀」(U+1F600" in err.value.message and "U+E000" in err.value.message
    fonts.check_coverage({"正文": "正常文字，漖。"}, roles)


def test_harfbuzz_subsetting_is_available():
    assert fonts.harfbuzz_subset_available()
