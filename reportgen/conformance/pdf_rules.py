"""GB/T 9704 rules measured on a PDF, from the positions, sizes and fonts of its characters.

The file is read once into `PdfFacts`; each rule is one small function of those facts, in the
registry, and names the pages it fails on.  A rule about what a document does not have (no even
page, no full page of body text) says it does not apply rather than pass on nothing.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.conformance.outcome import (
    A4_ALLOWED,
    CJK_PUNCTUATION,
    EM_DASH,
    Outcome,
    a4,
    expected,
    title_face,
    within,
)
from reportgen.conformance.outcome import has_role as role_of
from reportgen.conformance.pdf_tables import PageTables, broken_cells, continuations, marks_past_rules, read_tables
from reportgen.errors import InputError
from reportgen.page import Layout
from reportgen.render.pdf.justify import HANGING

MM = 25.4 / 72
_PAGE_NUMBER = re.compile(rf"^{EM_DASH}[\s\u00a0]*(\d+)[\s\u00a0]*{EM_DASH}$")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_FULL_WIDTH = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…—]+$")
NA = "不适用（无正文段落）"
MAX_CHARS = 2_000_000
DASH_DPI = 600


@dataclass
class Line:
    chars: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def size(self) -> float:
        return Counter(round(c["size"], 1) for c in self.chars).most_common(1)[0][0]

    @property
    def font(self) -> str:
        return Counter(c["fontname"] for c in self.chars).most_common(1)[0][0]

    @property
    def top(self) -> float:
        return min(c["top"] for c in self.chars) * MM

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars) * MM

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars) * MM


@dataclass
class PageNumber:
    page: int  # 1-based position in the file
    number: int
    line: Line  # on a turned page: its characters in the upright sheet's frame
    dash_mm: float | None  # the first dash's ink, from the paper's top edge (of the upright sheet)
    turned: bool = False  # set across with its page, where the upright pages have it (GB/T 9704 §8)


@dataclass
class PdfFacts:
    layout: Layout
    want: dict[str, float]
    sizes: list[tuple[float, float]]
    bodies: list[list[Line]]  # each page's lines, page number aside
    numbers: list[PageNumber]
    chars: list[dict[str, Any]]
    font_count: int
    not_embedded: list[str]
    full: list[Line] = field(default_factory=list)  # lines continued by the next: full lines
    turned: dict[int, dict[str, float]] = field(default_factory=dict)  # page → its wants, set across
    tables: list[PageTables] = field(default_factory=list)  # each page's ruled tables

    def want_at(self, page: int) -> dict[str, float]:
        """The numbers a page is measured by: a page set across the sheet has its own."""
        return self.turned.get(page, self.want)

    def number_want(self, page: int) -> dict[str, float]:
        """Where a page's number belongs: a number turned with its page is measured in the
        upright sheet's frame, by the upright pages' numbers."""
        number = next((n for n in self.numbers if n.page == page), None)
        return self.want if number is not None and number.turned else self.want_at(page)

    def is_body(self, line: Line) -> bool:
        return within(line.size, self.layout.body_pt, 0.3)

    @property
    def body_lines(self) -> list[Line]:
        return [ln for lines in self.bodies for ln in lines if self.is_body(ln)]


def _baseline(char: dict[str, Any]) -> float:
    """Distance of the character's baseline from the page top: characters of one line share it
    whatever their font (a fallback font's taller box must not make a line of its own)."""
    matrix = char.get("matrix")
    return char["page_height"] - matrix[5] if matrix else char["bottom"]


def _lines(page: Any) -> list[Line]:
    rows: dict[float, list[dict[str, Any]]] = {}
    for char in page.chars:
        if char["text"].strip() == "":
            continue
        char = {**char, "page_height": page.height}
        base = _baseline(char)
        key = next((k for k in rows if abs(k - base) < 1.0), base)
        rows.setdefault(key, []).append(char)
    return [Line(sorted(chars, key=lambda c: c["x0"])) for _, chars in sorted(rows.items())]


def _embedded(pdf: Any) -> tuple[int, list[str]]:
    """(fonts seen, names of those without an embedded font program)."""
    from pdfminer.pdftypes import resolve1

    seen: dict[str, bool] = {}
    for page in pdf.pages:
        fonts = resolve1((page.page_obj.resources or {}).get("Font")) or {}
        for ref in fonts.values():
            font = resolve1(ref)
            name = str(resolve1(font.get("BaseFont")))
            descriptor = resolve1(font.get("FontDescriptor"))
            if descriptor is None and font.get("DescendantFonts"):
                descendant = resolve1(resolve1(font["DescendantFonts"])[0])
                descriptor = resolve1(descendant.get("FontDescriptor"))
            has_program = descriptor is not None and any(
                k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")
            )
            seen[name] = seen.get(name, False) or has_program
    return len(seen), [name.lstrip("/") for name, ok in seen.items() if not ok]


def _dark_span(
    path: Path, index: int, box: tuple[float, float, float, float], across: bool
) -> tuple[float, float] | None:
    """Where ink lies in a box of a page (x0, top, x1, bottom in points), rendered at 600 dpi:
    the first and last dark rows (or, `across`, columns), in points from the box's top (left)."""
    try:
        import pypdfium2 as pdfium
    except ImportError:  # pdfplumber brings it; without it the glyph box is all there is
        return None
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        width, height = page.get_size()
        x0, top, x1, bottom = box
        scale = DASH_DPI / 72
        image = page.render(scale=scale, crop=(x0, height - bottom, width - x1, top), grayscale=True).to_pil()
        pixels = image.load()
        w, h = image.size
        if across:
            dark = [x for x in range(w) if any(pixels[x, y] < 128 for y in range(1, h - 1))]
        else:
            dark = [y for y in range(h) if any(pixels[x, y] < 128 for x in range(1, w - 1))]
        return (min(dark) / scale, (max(dark) + 1) / scale) if dark else None
    finally:
        document.close()


def _dash_ink(path: Path, index: int, dash: dict[str, Any]) -> float | None:
    """Where the dash's ink stands (mm from the top edge): the page's strip around the dash, its
    dark rows averaged.  The glyph box says nothing of where a font draws its dash."""
    if dash["bottom"] - dash["top"] > 60 or dash["x1"] - dash["x0"] > 200:
        return None  # no page number is that large: not worth rendering at 600 dpi
    top = dash["top"] - 4
    span = _dark_span(path, index, (dash["x0"], top, dash["x1"], dash["bottom"] + 4), across=False)
    return (top + sum(span) / 2) * MM if span else None


def _upright(char: dict[str, Any], sheet_width: float) -> dict[str, Any]:
    """A character of a page set across the sheet, in the frame of the sheet held upright (the
    page's top edge to the left): what was x is y, and what was y counted from the right edge is x."""
    return {
        **char,
        "x0": char["top"],
        "x1": char["bottom"],
        "top": sheet_width - char["x1"],
        "bottom": sheet_width - char["x0"],
        "matrix": None,
    }


def _turned_number(path: Path, index: int, page: Any) -> PageNumber | None:
    """A page number turned with its page: characters set top to bottom in the left margin."""
    turned = sorted(
        (c for c in page.chars if not c.get("upright", True) and c["x1"] < page.width / 4 and c["text"].strip()),
        key=lambda c: c["top"],
    )
    match = _PAGE_NUMBER.match("".join(c["text"] for c in turned))
    if not turned or match is None:
        return None
    chars = [_upright(c, page.width) for c in turned]
    dash = next(c for c in turned if c["text"] == EM_DASH)
    ink = _dash_ink_across(path, index, dash, page.width)
    return PageNumber(index + 1, int(match.group(1)), Line(chars), ink, turned=True)


def _dash_ink_across(path: Path, index: int, dash: dict[str, Any], width: float) -> float | None:
    """The dash's ink on a page set across, in the upright sheet's frame: its dark columns."""
    left = dash["x0"] - 4
    span = _dark_span(path, index, (left, dash["top"], dash["x1"] + 4, dash["bottom"]), across=True)
    return (width - (left + sum(span) / 2)) * MM if span else None


def read(path: Path, layout: Layout, max_pages: int | None = None) -> PdfFacts:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        _refuse_oversized(path, pdf, max_pages)
        pages = [_lines(page) for page in pdf.pages]
        sizes = [(p.width * MM, p.height * MM) for p in pdf.pages]
        font_count, not_embedded = _embedded(pdf)
        chars = [c for page in pdf.pages for c in page.chars]
        tables = read_tables(pdf)
        turned = {
            index: found
            for index, page in enumerate(pdf.pages)
            if page.width > page.height and (found := _turned_number(path, index, page)) is not None
        }
    numbers, bodies = _numbers_and_bodies(path, pages, turned)
    facts = PdfFacts(layout, expected(layout), sizes, bodies, numbers, chars, font_count, not_embedded, tables=tables)
    facts.full = _full_lines(facts)
    return facts


def _refuse_oversized(path: Path, pdf: Any, max_pages: int | None) -> None:
    if max_pages is not None and len(pdf.pages) > max_pages:
        raise InputError(f"{path}: 错误: 页数过多（{len(pdf.pages)} 页，上限 {max_pages} 页）")
    counted = 0
    for page in pdf.pages:
        counted += len(page.chars)
        if counted > MAX_CHARS:
            raise InputError(f"{path}: 错误: 文字过多（超过 {MAX_CHARS} 个字符），不像一份报告，未检查")


def _numbers_and_bodies(
    path: Path, pages: list[list[Line]], turned: dict[int, PageNumber]
) -> tuple[list[PageNumber], list[list[Line]]]:
    """Each page's number (the last line, or the one turned with a landscape page) apart from
    its body lines."""
    numbers: list[PageNumber] = []
    bodies: list[list[Line]] = []
    for index, lines in enumerate(pages):
        last = lines[-1] if lines else None
        match = _PAGE_NUMBER.match(last.text) if last else None
        if index in turned:
            numbers.append(turned[index])
            lines = [ln for ln in lines if all(c.get("upright", True) for c in ln.chars)]
        elif match and last is not None:
            dash = next(c for c in last.chars if c["text"] == EM_DASH)
            numbers.append(PageNumber(index + 1, int(match.group(1)), last, _dash_ink(path, index, dash)))
            lines = lines[:-1]
        bodies.append(lines)
    return numbers, bodies


def _full_lines(facts: PdfFacts) -> list[Line]:
    """Full lines: each followed on its page by a line continuing it at the left edge."""
    full = []
    for lines in facts.bodies:
        for line, following in itertools.pairwise(lines):
            if (
                facts.is_body(line)
                and facts.is_body(following)
                and within(following.x0, facts.want["left"], 1)
                and len(line.chars) >= 20
                and line.font == following.font
            ):
                full.append(line)
    return full


Rule = Callable[[PdfFacts], Outcome]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(path: Path, layout: Layout | None = None, max_pages: int | None = None) -> list[Outcome]:
    facts = read(path, layout or Layout(), max_pages)
    across = [i for i, (w, h) in enumerate(facts.sizes, 1) if w > h]
    if facts.sizes and len(across) == len(facts.sizes):  # a form set across the sheet (§8)
        facts = read(path, (layout or Layout()).landscape(), max_pages)
    elif across:  # a bundle whose 自评表 is set across: its pages by their own numbers, its form
        wants = expected((layout or Layout()).landscape())  # not measured as body text
        facts.turned = dict.fromkeys(across, wants)
        for page in across:
            facts.bodies[page - 1] = []
        facts.full = [ln for ln in facts.full if any(ln in lines for lines in facts.bodies)]
    return [measure(facts) for measure in RULES]


def _pages(numbers: list[int], limit: int = 5) -> str:
    shown = "、".join(str(n) for n in numbers[:limit]) + ("……" if len(numbers) > limit else "")
    return f"第 {shown} 页"


@rule
def paper(f: PdfFacts) -> Outcome:
    bad = [i + 1 for i, (w, h) in enumerate(f.sizes) if not a4(w, h)]
    if not f.sizes:
        return Outcome("纸张 A4", "无页面", A4_ALLOWED, False)
    w, h = f.sizes[bad[0] - 1] if bad else f.sizes[0]
    measured = f"{w:.1f}×{h:.1f} mm" + (f"（{_pages(bad)}）" if bad else "")
    return Outcome("纸张 A4", measured, A4_ALLOWED, not bad)


@rule
def first_line_top(f: PdfFacts) -> Outcome:
    """The first line of each page set at body size (pages opening with a title or a table aside)."""
    tops = [(i, lines[0].top) for i, lines in enumerate(f.bodies, 1) if lines and f.is_body(lines[0])]
    bad = [i for i, top in tops if not within(top, f.want["top"], 1)]
    worst = max((t for _, t in tops), key=lambda t: abs(t - f.want["top"]), default=None)
    measured = NA if worst is None else f"{worst:.1f} mm（{len(tops)} 页）" + (f"，{_pages(bad)}" if bad else "")
    return Outcome("首行字顶距纸边", measured, f"{f.want['top']:.0f} ± 1 mm", not bad)


@rule
def left_margin(f: PdfFacts) -> Outcome:
    lefts = sorted(round(ln.x0, 1) for ln in f.body_lines)
    left = lefts[0] if lefts else None
    how = ""
    if left is not None and within(left - f.want["left"], f.want["indent"], 1):
        left -= f.want["indent"]  # every line a paragraph's first: the margin is one indent to the left
        how = "（由首行缩进推算）"
    ok = left is None or within(left, f.want["left"], 1)
    measured = f"{left:.1f} mm{how}" if left is not None else NA
    return Outcome("版心左边（订口）", measured, f"{f.want['left']:.0f} ± 1 mm", ok)


@rule
def first_line_indent(f: PdfFacts) -> Outcome:
    indents = [ln.x0 for ln in f.body_lines if ln.x0 > f.want["left"] + 3]
    indent = statistics.median(indents) - f.want["left"] if indents else None
    ok = indent is None or within(indent, f.want["indent"], 1)
    measured = f"{indent:.1f} mm" if indent is not None else NA
    return Outcome("首行缩进", measured, f"两字 {f.want['indent']:.1f} ± 1 mm", ok)


@rule
def full_lines_reach_the_edge(f: PdfFacts) -> Outcome:
    edge_mm = f.want["right_edge"]

    def text_end(line: Line) -> float:
        """Where the line's text ends; a closing mark hanging past the edge (as Word and
        LibreOffice set it) does not count."""
        last = line.chars[-1]
        if last["text"] in HANGING and len(line.chars) > 1 and last["x0"] * MM >= edge_mm - 1:
            return line.chars[-2]["x1"] * MM
        return line.x1

    edge = max((text_end(ln) for ln in f.full), key=lambda x: abs(x - edge_mm)) if f.full else None
    measured = f"{edge:.1f} mm（{len(f.full)} 行）" if edge is not None else NA
    ok = edge is None or within(edge, edge_mm, 1)
    return Outcome("满行右端对齐版心", measured, f"{edge_mm:.0f} ± 1 mm（句读可悬于版心外）", ok)


@rule
def characters_per_line(f: PdfFacts) -> Outcome:
    counts = Counter(len(ln.chars) for ln in f.full if _FULL_WIDTH.match(ln.text) and within(ln.x0, f.want["left"], 1))
    common = counts.most_common(1)[0][0] if counts else None
    ok = common is None or common == f.layout.chars_per_line
    return Outcome("每行字数", f"{common} 字" if common else NA, f"{f.layout.chars_per_line} 字", ok)


@rule
def lines_per_page(f: PdfFacts) -> Outcome:
    """Only a page of body text that runs to the foot of the text block shows the grid: a page
    ended early by a heading kept with its text, a table or the end of a part is not full.  On a
    full page every body line sits in one of the grid's slots and the last one is used (a title
    page keeps its title lines and the blank line under them in slots of their own)."""
    layout = f.layout
    pitch_mm = layout.line_pitch_pt * MM
    checked = 0
    wrong: list[str] = []
    for number, lines in enumerate(f.bodies, 1):
        body = [ln for ln in lines if f.is_body(ln)]
        others = [ln for ln in lines if ln not in body and not within(ln.size, layout.title_pt, 0.3)]
        if not body or others:
            continue
        slots = [(ln.top - f.want["top"]) / pitch_mm for ln in body]
        if slots[-1] < layout.lines_per_page - 1.5:
            continue
        checked += 1
        if any(abs(k - round(k)) > 0.2 for k in slots):
            wrong.append(f"第 {number} 页 {len(lines)} 行，不在 {layout.line_pitch_pt} pt 的行网格上")
        elif round(slots[-1]) != layout.lines_per_page - 1:
            wrong.append(f"第 {number} 页 {round(slots[-1]) + 1} 行")
    measured = "、".join(wrong) if wrong else f"{checked} 个排满的页均为 {layout.lines_per_page} 行"
    return Outcome(
        "每页行数",
        measured if checked else "不适用（没有排满正文的页）",
        f"排满正文的页 {layout.lines_per_page} 行",
        not wrong,
    )


@rule
def body_on_the_grid(f: PdfFacts) -> Outcome:
    """Every line of body-size text, on every page, in one of the grid's slots: after a table, a
    title or a page break the text comes back to the grid (render/grid.py)."""
    pitch_mm = f.layout.line_pitch_pt * MM
    lines = 0
    off: list[int] = []
    for number, page_lines in enumerate(f.bodies, 1):
        for line in page_lines:
            if not f.is_body(line):
                continue
            lines += 1
            slot = (line.top - f.want["top"]) / pitch_mm
            if abs(slot - round(slot)) > 0.1 and number not in off:
                off.append(number)
    measured = f"{_pages(off)}有正文不在行网格上" if off else f"{lines} 行均在网格上"
    wanted = f"每行正文距版心上沿为 {f.layout.line_pitch_pt} pt 的整数倍"
    return Outcome("正文在行网格上", measured if lines else NA, wanted, not off)


@rule
def line_pitch(f: PdfFacts) -> Outcome:
    pages = [lines for lines in f.bodies if lines and all(f.is_body(ln) for ln in lines)]
    pitches = [b.top - a.top for lines in pages for a, b in itertools.pairwise(lines)]
    pitch = statistics.median(pitches) / MM if pitches else None
    ok = pitch is None or within(pitch, f.layout.line_pitch_pt, 0.2)
    return Outcome("行距", f"{pitch:.2f} pt" if pitch else NA, f"{f.layout.line_pitch_pt} ± 0.2 pt", ok)


@rule
def body_face(f: PdfFacts) -> Outcome:
    """Running text, headings and tables aside (their type is smaller by design)."""
    running = [ln for ln in f.body_lines if not (role_of(ln.font, "黑体") or role_of(ln.font, "楷体"))]
    prose = Counter(c["fontname"] for ln in running for c in ln.chars if _IDEOGRAPH.match(c["text"]))
    font = prose.most_common(1)[0][0] if prose else None
    ok = font is None or role_of(font, "仿宋")
    size = f.layout.body_pt
    return Outcome("正文 三号仿宋", f"{size:g} pt {font}" if font else NA, f"{size:g} pt 仿宋", ok)


@rule
def title_face_and_size(f: PdfFacts) -> Outcome:
    title = [ln for lines in f.bodies[:1] for ln in lines if within(ln.size, f.layout.title_pt, 0.3)]
    allowed = f"{f.layout.title_pt:g} pt 小标宋（或粗宋体替代）"
    if not title:
        return Outcome("标题 二号小标宋", "第 1 页无二号标题", allowed, False)
    kind = title_face(title[0].font)
    measured = f"{title[0].size} pt {title[0].font}（{kind or '不是小标宋'}）"
    return Outcome("标题 二号小标宋", measured, allowed, kind is not None)


def _heading_rule(role: str, name: str) -> Rule:
    def measure(f: PdfFacts) -> Outcome:
        heads = [
            ln
            for ln in f.body_lines
            if role_of(ln.font, role) and re.match(r"^[一二三四五六七八九十]+、|^[（(]", ln.text)
        ]
        wrong = [ln for ln in heads if not within(ln.size, f.layout.heading_pt, 0.3)]
        if not heads:
            return Outcome(name, f"不适用（没有{name[:4]}）", f"{f.layout.heading_pt:g} pt", True)
        measured = f"{len(heads)} 个，{heads[0].size} pt" + (
            f"；「{wrong[0].text[:8]}」{wrong[0].size} pt" if wrong else ""
        )
        return Outcome(name, measured, f"{f.layout.heading_pt:g} pt", not wrong)

    measure.__name__ = f"heading_{role}"
    return rule(measure)


_heading_rule("黑体", "一级标题 黑体")
_heading_rule("楷体", "二级标题 楷体")


@rule
def chinese_punctuation_face(f: PdfFacts) -> Outcome:
    cjk_fonts = {c["fontname"] for c in f.chars if _IDEOGRAPH.match(c["text"])}
    latin = sorted(
        {
            (c["text"], c["fontname"])
            for c in f.chars
            if c["text"] in CJK_PUNCTUATION and c["fontname"] not in cjk_fonts and c["text"] != EM_DASH
        }
    )
    measured = "、".join(f"「{t}」{font}" for t, font in latin[:3]) or "全部用中文字体"
    return Outcome("中文标点用中文字体", measured, "中文字体", not latin)


@rule
def page_numbers(f: PdfFacts) -> Outcome:
    found = [n.number for n in f.numbers]
    pages = len(f.bodies)
    missing = [i for i in range(1, pages + 1) if i not in {n.page for n in f.numbers}]
    continuous = found == list(range(1, pages + 1))
    measured = f"{len(found)}/{pages} 页，{found[:3]}…" if found else "无页码"
    if missing:
        measured += f"；{_pages(missing)}无页码"
    return Outcome("页码“— N —”且连续", measured, "每页，U+2014，1 起连续", continuous)


@rule
def page_number_size(f: PdfFacts) -> Outcome:
    size = f.layout.pagenum_pt
    bad = [n.page for n in f.numbers if not within(n.line.size, size, 0.3)]
    measured = f"{f.numbers[0].line.size} pt" if f.numbers else "无页码"
    if bad:
        measured += f"；{_pages(bad)}不符"
    return Outcome("页码 四号", measured, f"{size:g} pt", bool(f.numbers) and not bad)


@rule
def page_number_dash(f: PdfFacts) -> Outcome:
    """The dash (一字线) of "— N —" 7 mm below the text block, measured on its ink."""
    target = f.want["pagenum_dash"]
    inks = [(n.page, n.dash_mm) for n in f.numbers if n.dash_mm is not None]
    if not inks:
        boxes = [(n.page, n.line.top) for n in f.numbers]
        inks = boxes  # no renderer: the glyph box is the best there is
        how = "字框"
    else:
        how = "一字线墨迹"
    if not inks:
        return Outcome("页码一字线位置", "无页码", f"{target:.0f} ± 1 mm", False)
    bad = [page for page, mm in inks if not within(mm, f.number_want(page)["pagenum_dash"], 1)]
    worst = max(inks, key=lambda item: abs(item[1] - f.number_want(item[0])["pagenum_dash"]))
    measured = f"{worst[1]:.1f} mm（{how}，{len(inks)} 页）" + (f"，{_pages(bad)}不符" if bad else "")
    return Outcome("页码一字线位置", measured, f"版心下 7 mm：{target:.0f} ± 1 mm", not bad)


@rule
def page_number_sides(f: PdfFacts) -> Outcome:
    inset = f.want["pagenum_inset"]
    odd = [(n.page, f.number_want(n.page)["right_edge"] - n.line.x1) for n in f.numbers if n.number % 2]
    even = [(n.page, n.line.x0 - f.number_want(n.page)["left"]) for n in f.numbers if not n.number % 2]
    bad = [page for page, x in odd + even if not within(x, inset, 1)]
    parts = []
    if odd:
        parts.append(f"单页距右 {max(x for _, x in odd):.1f} mm")
    parts.append(f"双页距左 {max(x for _, x in even):.1f} mm" if even else "无双页")
    measured = "，".join(parts) + (f"；{_pages(bad)}不符" if bad else "")
    return Outcome("页码单右双左、空一字", measured, f"{inset:.1f} ± 1 mm", bool(f.numbers) and not bad)


@rule
def turned_page_numbers(f: PdfFacts) -> Outcome:
    """GB/T 9704 §8: a page set across inside an upright document keeps its number where the
    upright pages have it, turned with the sheet, not at the turned page's own foot."""
    if not f.turned:
        return Outcome("横排页页码", "不适用（没有横排页，或整份横排）", "与竖排页同位置，随页转向", True)
    upright = [n.page for n in f.numbers if n.page in f.turned and not n.turned]
    measured = f"{len(f.turned)} 页横排" + (f"；{_pages(upright)}页码在横排页下方" if upright else "，页码随页转向")
    return Outcome("横排页页码", measured, "与竖排页同位置，随页转向（GB/T 9704 §8）", not upright)


@rule
def title_lines(f: PdfFacts) -> Outcome:
    """A title broken by meaning (§7.3.3): no line of one character, three lines at most."""
    titles: list[list[str]] = []
    for lines in f.bodies:
        run: list[str] = []
        for line in lines:
            if within(line.size, f.layout.title_pt, 0.3):
                run.append(line.text.replace(" ", ""))
            elif run:
                titles.append(run)
                run = []
        if run:
            titles.append(run)
    if not titles:
        return Outcome("标题分行", "不适用（没有二号标题）", "每行至少两字，不超过三行", True)
    lone = [t for t in titles if any(len(line) < 2 for line in t)]
    long = [t for t in titles if len(t) > 3]
    measured = "、".join(f"{len(t)} 行" for t in titles)
    if lone:
        measured += f"；「{' / '.join(lone[0])}」有单字行"
    if long:
        measured += f"；「{' / '.join(long[0])}」超过三行"
    return Outcome("标题分行", measured, "每行至少两字，不超过三行", not lone and not long)


@rule
def headings_on_continued_tables(f: PdfFacts) -> Outcome:
    """A table that runs onto another page opens it with its column headings."""
    missing = continuations(f.tables)
    if not missing:
        return Outcome("续页表头", "续页均以列标题开头（或没有跨页的表）", "跨页的表在续页重复列标题", True)
    _, opened, wanted = missing[0]
    measured = f"{_pages([m[0] for m in missing])}以「{opened[:20]}」开头，应为「{wanted[:20]}」"
    return Outcome("续页表头", measured, "跨页的表在续页重复列标题", False)


@rule
def cell_lines(f: PdfFacts) -> Outcome:
    """In a table cell, a figure stays with its sign and unit, and a short label leaves no
    character alone on a line."""
    bad = broken_cells(f.tables)
    cells = sum(len(row.cells) for page in f.tables for table in page.tables for row in table)
    if not cells:
        return Outcome("单元格断行", "不适用（没有表格）", "数字与单位不拆开，短标签无单字行", True)
    measured = f"{cells} 格" + (f"；{_pages(sorted({b[0] for b in bad}))}「{bad[0][1]}」" if bad else "，均无不当断行")
    return Outcome("单元格断行", measured, "数字与单位不拆开，短标签无单字行", not bad)


@rule
def marks_inside_cells(f: PdfFacts) -> Outcome:
    """A closing mark hanging at a cell's line end stays inside the cell's rule."""
    bad = marks_past_rules(f.tables)
    measured = f"{_pages(sorted({b[0] for b in bad}))}{bad[0][1]}越过表格线" if bad else "无标点越过表格线"
    return Outcome("单元格标点不出格", measured, "句读可悬于行末，但不越过表格线", not bad)


_BOLD = re.compile(r"bold|heavy|black|semibold|demi", re.I)


@rule
def regular_weights(f: PdfFacts) -> Outcome:
    """The page number in regular 宋体 and the 一级标题 in regular 黑体: only the title is heavy."""
    numbers = [n.line.font for n in f.numbers if _BOLD.search(n.line.font)]
    heads = [
        ln.font
        for ln in f.body_lines
        if role_of(ln.font, "黑体") and re.match(r"^[一二三四五六七八九十]+、", ln.text) and _BOLD.search(ln.font)
    ]
    wrong = [*(f"页码 {n}" for n in numbers[:1]), *(f"一级标题 {h}" for h in heads[:1])]
    measured = "；".join(wrong) if wrong else "页码、一级标题均为常规字重"
    return Outcome("页码与一级标题字重", measured, "常规（只有标题用粗体）", not wrong)


_LEAD_IN = re.compile(r"(如下表?|见下表|下表)[^。；]*[：:]?$|[：:]$")


@rule
def lead_ins_with_their_tables(f: PdfFacts) -> Outcome:
    """A table's lead-in ("……如下表：") or unit line (单位：万元) is not left at the foot of a page
    whose next page opens with the table."""
    alone = []
    for page in f.tables[1:]:
        lines = f.bodies[page.page - 2] if page.page >= 2 else []
        if not lines or not page.tables or page.tables[0][0].top - page.text_top > 3:
            continue
        last = lines[-1].text.replace(" ", "")
        if _LEAD_IN.search(last) or last.startswith("单位："):
            alone.append((page.page - 1, last))
    measured = f"{_pages([a[0] for a in alone])}末行「{alone[0][1][-16:]}」与表格分在两页" if alone else "无"
    return Outcome("表前引导语不孤悬页末", measured, "引导语、单位行与表格同页", not alone)


@rule
def fonts_embedded(f: PdfFacts) -> Outcome:
    measured = f"{f.font_count - len(f.not_embedded)}/{f.font_count}" + (
        f"（未嵌入：{'、'.join(f.not_embedded)}）" if f.not_embedded else ""
    )
    return Outcome("字体全部嵌入", measured, "全部", not f.not_embedded)


@rule
def no_missing_glyphs(f: PdfFacts) -> Outcome:
    notdef = sorted({c["text"] for c in f.chars if c["text"].startswith("(cid:") or c["text"] == "\ufffd"})
    return Outcome("无缺字（.notdef）", "、".join(notdef[:5]) or "无", "无", not notdef)
