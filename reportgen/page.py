"""The page of GB/T 9704-2012 in numbers, and the fonts each part of the text is set in.

One frozen `Layout` is shared by the Word writer, the PDF writer and the layout checker, so that
the two files paginate alike and the checker measures them against the same figures.  A template
changes any number through its settings (版式, see template/settings.py), which make a Layout
from these defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from reportgen.errors import TemplateError

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20


# How far below the top of a page-number line (line height = font size) the em dash's ink
# stands, in ems: measured at 600 dpi on 14 pt FandolSong in WeasyPrint's PDF and in
# LibreOffice's print of the Word file (Word places a footer line as LibreOffice does).
DASH_BELOW_LINE_TOP_EM = {"pdf": 0.577, "docx": 0.505}

# Table cell padding in points, (top and bottom, left and right), for both files alike: the same
# row heights and the same line breaks inside cells in Word and in the PDF.
CELL_PADDING = {"table": (2.0, 3.0), "form": (2.0, 2.5)}
# A closing mark that hangs at a cell's line end inks this far past the text (，。、；）” in the
# Fandol faces: at most 0.374 em): the padding is at least that, so no mark crosses the rule.
HANG_EM = 0.38


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


@dataclass(frozen=True)
class RoleFonts:
    """A role's font choice: what Word names and what the PDF embeds."""

    role: str
    official: tuple[str, ...]
    substitutes: tuple[str, ...]
    bold_substitute: bool = False
    files: tuple[str, ...] = ()  # font files a bureau supplies (its licensed official fonts)

    @property
    def word_name(self) -> str:
        return self.official[0]


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
    fonts: dict[str, RoleFonts] = field(default_factory=lambda: dict(DEFAULT_FONTS))
    reference_docx: str | None = None  # a bureau's Word document whose styles the DOCX uses

    @property
    def glyph_offset_pt(self) -> float:
        """A character's em box sits centred in its fixed-height line cell: the half-leading
        above it is why the page margin is set that much above 37 mm (about 34.7 mm)."""
        return (self.line_pitch_pt - self.body_pt) / 2

    @property
    def margin_top_mm(self) -> float:
        return self.text_top_mm - self.glyph_offset_pt * MM_PER_PT

    def cell_padding(self, kind: str) -> tuple[float, float]:
        """(vertical, horizontal) padding of a table's cells, in points: room for a hanging mark."""
        vertical, horizontal = CELL_PADDING[kind]
        size = self.form_pt if kind == "form" else self.table_pt
        return vertical, max(horizontal, round(HANG_EM * size, 2))

    @property
    def title_capacity_em(self) -> float:
        """How many title-size characters a line of the text block holds (the title is not
        condensed), a quarter em kept for rounding: a line that just fits must not wrap."""
        return mm_to_pt(self.text_width_mm) / self.title_pt - 0.25

    @property
    def pagenum_dash_mm(self) -> float:
        """Where the page number's dash stands: pagenum_gap below the text block (§7.5: 7 mm)."""
        return self.text_top_mm + self.text_height_mm + self.pagenum_gap_mm

    def pagenum_line_top_mm(self, writer: str) -> float:
        """The top of the page number's line, so that its dash lands at pagenum_dash_mm in that
        writer's output (the dash is drawn below the middle of its line)."""
        return self.pagenum_dash_mm - DASH_BELOW_LINE_TOP_EM[writer] * self.pagenum_pt * MM_PER_PT

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

    def landscape(self) -> Layout:
        """The same page turned a quarter (GB/T 9704 §8: a table wider than the text block may
        be set across the sheet): the text block keeps its two sides, swapped, centred on the
        paper; the page number stays the same distance below it."""
        if self.page_width_mm > self.page_height_mm:
            return self
        width, height = self.text_height_mm, self.text_width_mm
        lines = max(5, int(mm_to_pt(height) / self.line_pitch_pt))
        chars = max(5, round(mm_to_pt(width) / self.char_pitch_pt))
        return replace(
            self,
            page_width_mm=self.page_height_mm,
            page_height_mm=self.page_width_mm,
            text_width_mm=width,
            text_height_mm=height,
            margin_left_mm=(self.page_height_mm - width) / 2,
            text_top_mm=(self.page_width_mm - height) / 2,
            lines_per_page=lines,
            chars_per_line=chars,
        ).checked()

    def checked(self) -> Layout:
        """The text block and the page number must fit on the paper, whatever each setting's own
        range allows: 上白边 80 with 版心高 280 would leave the page number below the paper."""
        if self.margin_right_mm < 5:
            raise TemplateError(
                f"版式：左白边 {self.margin_left_mm:g} mm 加版心宽 {self.text_width_mm:g} mm 超出纸宽 "
                f"{self.page_width_mm:g} mm（右边至少要留 5 mm）"
            )
        if self.margin_top_mm < 5:
            raise TemplateError(f"版式：上白边 {self.text_top_mm:g} mm 太小，首行超出纸的上边")
        number_bottom = self.pagenum_dash_mm + self.pagenum_pt * MM_PER_PT
        if number_bottom > self.page_height_mm - 5:
            raise TemplateError(
                f"版式：上白边 {self.text_top_mm:g} mm、版心高 {self.text_height_mm:g} mm 与页码距版心 "
                f"{self.pagenum_gap_mm:g} mm 合计超出纸高 {self.page_height_mm:g} mm，页码印不下（下边至少留 5 mm）"
            )
        return self


# The settings a district may change under 版式, in the words of the standard.
SETTING_NAMES = {
    "上白边": "text_top_mm",
    "左白边": "margin_left_mm",
    "版心宽": "text_width_mm",
    "版心高": "text_height_mm",
    "每页行数": "lines_per_page",
    "每行字数": "chars_per_line",
    "行距": "line_pitch_pt",
    "正文字号": "body_pt",
    "标题字号": "title_pt",
    "层次标题字号": "heading_pt",
    "附件标识字号": "label_pt",
    "页码字号": "pagenum_pt",
    "页码距版心": "pagenum_gap_mm",
    "表格字号": "table_pt",
    "表格行距": "table_line_pt",
    "自评表字号": "form_pt",
    "自评表行距": "form_line_pt",
}
