"""Shared vocabulary of the layout checker: a rule's outcome, font roles by name, the report."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportgen.page import Layout
from reportgen.terminal import pad, width


@dataclass(frozen=True)
class Outcome:
    rule: str
    measured: str
    allowed: str
    ok: bool


# A font's role told from its name, for documents made by any tool (PostScript names in PDFs,
# Windows names in Word files).
ROLE_PATTERNS = {
    "仿宋": re.compile(r"Fang|仿宋", re.I),
    "黑体": re.compile(r"Hei|黑体", re.I),
    "楷体": re.compile(r"Kai|楷体", re.I),
    "小标宋": re.compile(r"XiaoBiaoSong|XBS|小标宋", re.I),
    "宋体": re.compile(r"Song|SimSun|宋体|Serif.*CJK", re.I),
}

CJK_PUNCTUATION = set("，。、；：“”‘’（）《》！？…—")
EM_DASH = "\u2014"


# A heavy Song face stands in for 方正小标宋 where the official font is not installed.
_HEAVY_SONG = re.compile(r"Song.*(Bold|Heavy|Black)|Serif.*CJK.*(Bold|SemiBold|Black|Heavy)|SimSun.*Bold", re.I)


def title_face(font: str) -> str | None:
    """What a title's face is: the official 小标宋, a heavy Song standing in for it, or neither."""
    if has_role(font, "小标宋"):
        return "官方字体"
    if _HEAVY_SONG.search(font):
        return "粗宋体，作小标宋的替代"
    return None


def within(value: float, target: float, tolerance: float) -> bool:
    return abs(value - target) <= tolerance


def has_role(font: str, role: str) -> bool:
    return bool(ROLE_PATTERNS[role].search(font))


A4_ALLOWED = "210×297 mm ± 1（宽表格可横排）"


def a4(width: float, height: float) -> bool:
    """A4 either way up: GB/T 9704 §8 lets a table wider than the text block run across."""
    return (within(width, 210, 1) and within(height, 297, 1)) or (within(width, 297, 1) and within(height, 210, 1))


def expected(layout: Layout) -> dict[str, float]:
    """The standard's numbers, in millimetres, as the checker compares them."""
    return {
        "top": layout.text_top_mm,
        "left": layout.margin_left_mm,
        "right_edge": layout.margin_left_mm + layout.text_width_mm,
        "indent": layout.indent_pt * 25.4 / 72,
        "pagenum_dash": layout.pagenum_dash_mm,
        "pagenum_inset": layout.pagenum_inset_chars * layout.pagenum_pt * 25.4 / 72,
    }


def render(outcomes: list[Outcome], source: str) -> str:
    size = max(width(o.rule) for o in outcomes) if outcomes else 0
    lines = [f"{source}"]
    for o in outcomes:
        mark = "通过" if o.ok else "不符"
        lines.append(f"  {mark}  {pad(o.rule, size)}  实测 {o.measured}；要求 {o.allowed}")
    failed = sum(not o.ok for o in outcomes)
    lines.append(f"  共 {len(outcomes)} 项，{failed} 项不符" if failed else f"  共 {len(outcomes)} 项，全部通过")
    return "\n".join(lines)
