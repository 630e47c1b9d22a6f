"""The official layout of GB/T 9704-2012 in numbers, shared by the Word and the PDF writer.

Both writers read the same numbers so that the two outputs paginate alike.  A district template
may override any of them in its settings (版式).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .fonts import RoleFonts

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


DEFAULT_FONTS: dict[str, RoleFonts] = {
    "标题": RoleFonts(
        "标题",
        ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"),
        ("FandolSong", "Noto Serif CJK SC"),
        bold_substitute=True,
    ),
    "正文": RoleFonts(
        "正文", ("仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong"), ("FandolFang", "Noto Serif CJK SC")
    ),
    "一级标题": RoleFonts("一级标题", ("黑体", "SimHei"), ("FandolHei", "Noto Sans CJK SC")),
    "二级标题": RoleFonts(
        "二级标题", ("楷体_GB2312", "楷体", "KaiTi_GB2312", "KaiTi"), ("FandolKai", "Noto Serif CJK SC")
    ),
    "附件标签": RoleFonts("附件标签", ("黑体", "SimHei"), ("FandolHei", "Noto Sans CJK SC")),
    "页码": RoleFonts("页码", ("宋体", "SimSun"), ("FandolSong", "Noto Serif CJK SC")),
    "表格": RoleFonts(
        "表格", ("仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong"), ("FandolFang", "Noto Serif CJK SC")
    ),
}


@dataclass(frozen=True)
class Layout:
    page_width_mm: float = 210
    page_height_mm: float = 297
    text_top_mm: float = 37  # where the first line's glyph tops stand
    margin_left_mm: float = 28
    text_width_mm: float = 156
    text_height_mm: float = 225
    lines_per_page: int = 22
    chars_per_line: int = 28
    line_pitch_pt: float = 28.95  # Word's grid: linePitch 579 twips
    body_pt: float = 16
    title_pt: float = 22
    heading_pt: float = 16
    label_pt: float = 16
    pagenum_pt: float = 14
    table_pt: float = 14
    table_line_pt: float = 20
    form_pt: float = 10.5  # the self-evaluation table (自评表): 五号
    form_line_pt: float = 15
    pagenum_gap_mm: float = 7  # dash line below the text block
    pagenum_inset_chars: float = 1
    # The glyph top of a 16 pt CJK character sits this far below the top of its line cell
    # (half-leading plus the font's own top bearing); the page margin is set that much higher.
    glyph_offset_pt: float = 9.1
    fonts: dict[str, RoleFonts] = field(default_factory=lambda: dict(DEFAULT_FONTS))

    @property
    def margin_top_mm(self) -> float:
        return self.text_top_mm - self.glyph_offset_pt * MM_PER_PT

    @property
    def margin_right_mm(self) -> float:
        return self.page_width_mm - self.margin_left_mm - self.text_width_mm

    @property
    def margin_bottom_mm(self) -> float:
        return self.page_height_mm - self.margin_top_mm - self.text_height_mm

    @property
    def char_pitch_pt(self) -> float:
        return mm_to_pt(self.text_width_mm) / self.chars_per_line

    @property
    def letter_spacing_pt(self) -> float:
        """Condensed spacing that fits 28 characters of 16 pt on a 156 mm line.

        Word stores character spacing in twentieths of a point, so the value is rounded down to
        that step (−0.207 pt needed → −0.25 pt): Word, LibreOffice and the PDF then break lines
        at the same characters.  A character grid (docGrid linesAndChars) would be exact in Word
        but LibreOffice gives each 16 pt character two 15.8 pt grid cells.
        """
        needed = self.char_pitch_pt - self.body_pt
        return math.floor(needed * 20 - 1e-9) / 20

    @property
    def advance_pt(self) -> float:
        """Width of one body character as set: the size plus the condensed spacing."""
        return self.body_pt + self.letter_spacing_pt

    @property
    def indent_pt(self) -> float:
        return 2 * self.advance_pt

    def with_overrides(self, overrides: dict[str, Any]) -> Layout:
        known = {f.name for f in fields(self)}
        values = {k: v for k, v in overrides.items() if k in known and k != "fonts"}
        fonts = dict(self.fonts)
        for role, spec in (overrides.get("fonts") or {}).items():
            base = fonts.get(role)
            official = tuple(spec.get("official", base.official if base else ()))
            substitutes = tuple(spec.get("substitutes", base.substitutes if base else ()))
            bold = spec.get("bold_substitute", base.bold_substitute if base else False)
            fonts[role] = RoleFonts(role, official, substitutes, bold)
        return replace(self, fonts=fonts, **values)
