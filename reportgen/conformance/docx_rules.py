"""GB/T 9704 rules read from a Word file's XML: page, grid, styles as they resolve, footers.

The file is read once into `DocxFacts`; each rule is one small function of those facts, in the
registry (as the PDF's rules are).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from reportgen.conformance.docx_tables import broken_cells, headings_unrepeated, lead_ins_loose
from reportgen.conformance.outcome import (
    A4_ALLOWED,
    CJK_PUNCTUATION,
    EM_DASH,
    Outcome,
    a4,
    expected,
    has_role,
    title_face,
    within,
)
from reportgen.errors import InputError
from reportgen.page import DASH_BELOW_LINE_TOP_EM, Layout

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
TWIP_MM = 25.4 / 1440
PT_MM = 25.4 / 72
_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
CJK_ROLES = ("仿宋", "黑体", "楷体", "宋体", "小标宋")


def _val(el: Any, tag: str, attr: str = "val") -> str | None:
    if el is None:
        return None
    found = el.find(f"{W}{tag}")
    return None if found is None else found.get(f"{W}{attr}")


class Styles:
    """Resolves a paragraph's or run's effective font and size through the style chain."""

    def __init__(self, root: Any) -> None:
        self.by_id = {s.get(f"{W}styleId"): s for s in root.findall(f"{W}style")}
        defaults = root.find(f"{W}docDefaults")
        self.default_rpr = defaults.find(f"{W}rPrDefault/{W}rPr") if defaults is not None else None
        self.default_ppr = defaults.find(f"{W}pPrDefault/{W}pPr") if defaults is not None else None
        default_para = next(
            (s for s in root.findall(f"{W}style") if s.get(f"{W}type") == "paragraph" and s.get(f"{W}default") == "1"),
            None,
        )
        self.default_id = default_para.get(f"{W}styleId") if default_para is not None else None

    def chain(self, style_id: str | None) -> list[Any]:
        out = []
        seen: set[str] = set()
        current = style_id or self.default_id
        while current and current not in seen and current in self.by_id:
            seen.add(current)
            style = self.by_id[current]
            out.append(style)
            current = _val(style, "basedOn")
        return out

    def run_property(self, run: Any, paragraph: Any, tag: str, attr: str = "val") -> str | None:
        candidates = [run.find(f"{W}rPr")] if run is not None else []
        ppr = paragraph.find(f"{W}pPr") if paragraph is not None else None
        style_id = _val(ppr, "pStyle")
        candidates += [s.find(f"{W}rPr") for s in self.chain(style_id)]
        candidates.append(self.default_rpr)
        for rpr in candidates:
            value = _val(rpr, tag, attr)
            if value is not None:
                return value
        return None

    def toggle(self, paragraph: Any, tag: str, run: Any = None) -> bool:
        """A paragraph's (keepNext) or run's (b) on/off setting, as Word resolves it: the nearest
        element that says, present without a value meaning on."""
        ppr = paragraph.find(f"{W}pPr")
        if tag in ("b", "i"):
            own = [run.find(f"{W}rPr") if run is not None else None]
            chain = [st.find(f"{W}rPr") for st in self.chain(_val(ppr, "pStyle"))]
            candidates = [*own, *chain, self.default_rpr]
        else:
            chain = [st.find(f"{W}pPr") for st in self.chain(_val(ppr, "pStyle"))]
            candidates = [ppr, *chain, self.default_ppr]
        for candidate in candidates:
            found = candidate.find(f"{W}{tag}") if candidate is not None else None
            if found is not None:
                return found.get(f"{W}val") not in ("0", "false", "off")
        return False

    def para_property(self, paragraph: Any, tag: str, attr: str = "val") -> str | None:
        ppr = paragraph.find(f"{W}pPr")
        candidates = [ppr] + [s.find(f"{W}pPr") for s in self.chain(_val(ppr, "pStyle"))] + [self.default_ppr]
        for candidate in candidates:
            value = _val(candidate, tag, attr)
            if value is not None:
                return value
        return None


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


MAX_PARAGRAPHS = 50_000
MAX_ELEMENTS = 500_000  # XML elements in one part: a 1,000-page report has fewer; a parsed tree costs ~300 bytes each
MAX_PART_BYTES = 20_000_000  # one XML part unpacked (a 100-page report's document.xml: about 2 MB)


@dataclass
class DocxFacts:
    layout: Layout
    want: dict[str, float]
    doc: Any
    styles: Styles
    settings: Any
    sect: Any
    footers: dict[str, Any]
    width: float  # paper, mm
    height: float
    margins: dict[str, float]  # mm
    body: list[Any]  # the body's own paragraphs (tables aside)

    def style_of(self, p: Any) -> str | None:
        return _val(p.find(f"{W}pPr"), "pStyle") or self.styles.default_id

    @property
    def normal(self) -> Any:
        """A paragraph of running text: the default style, longer than a heading."""
        return next((p for p in self.body if self.style_of(p) == self.styles.default_id and len(_text(p)) > 20), None)

    def run_value(self, p: Any, tag: str, attr: str = "val") -> str | None:
        return self.styles.run_property(p.find(f"{W}r"), p, tag, attr)

    def size_pt(self, p: Any) -> float:
        return int(self.run_value(p, "sz") or 0) / 2

    @property
    def block(self) -> tuple[float, float]:
        m = self.margins
        return self.width - m.get("left", 0) - m.get("right", 0), self.height - m.get("top", 0) - m.get("bottom", 0)

    @property
    def pitch_pt(self) -> float:
        normal = self.normal
        line = self.styles.para_property(normal, "spacing", "line") if normal is not None else None
        rule_ = self.styles.para_property(normal, "spacing", "lineRule") if normal is not None else None
        if line and rule_ == "exact":
            return int(line) / 20
        return int((_val(self.sect, "docGrid", "linePitch") if self.sect is not None else None) or 0) / 20

    @property
    def advance_pt(self) -> float:
        """One body character's width as set: its size plus the character spacing or grid."""
        normal = self.normal
        if normal is None:
            return self.layout.advance_pt
        spacing = int(self.run_value(normal, "spacing") or 0) / 20
        char_space = _val(self.sect, "docGrid", "charSpace") if self.sect is not None else None
        if _val(self.sect, "docGrid", "type") == "linesAndChars" and char_space is not None:
            spacing = int(char_space) / 4096
        return self.size_pt(normal) + spacing


def _part(archive: zipfile.ZipFile, name: str, path: Path) -> etree._Element:
    """One XML part, counted before it is parsed: millions of tiny elements fit in a few
    megabytes of zip and would take gigabytes as a tree."""
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        size = f"{info.file_size // 1_000_000} MB，上限 {MAX_PART_BYTES // 1_000_000} MB"
        raise InputError(f"{path}: 错误: {name} 解压后过大（{size}），未检查")
    data = archive.read(name)
    elements = data.count(b"<") - data.count(b"</")
    if elements > MAX_ELEMENTS:
        size = f"约 {elements} 个 XML 元素，上限 {MAX_ELEMENTS}"
        raise InputError(f"{path}: 错误: {name} 过于庞大（{size}），不像一份报告，未检查")
    return etree.fromstring(data)


def read(path: Path, layout: Layout) -> DocxFacts:
    with zipfile.ZipFile(path) as archive:
        doc = _part(archive, "word/document.xml", path)
        paragraphs = sum(1 for _ in doc.iter(f"{W}p"))
        if paragraphs > MAX_PARAGRAPHS:
            raise InputError(f"{path}: 错误: 段落过多（{paragraphs} 段，上限 {MAX_PARAGRAPHS}），不像一份报告，未检查")
        styles = Styles(_part(archive, "word/styles.xml", path))
        settings = _part(archive, "word/settings.xml", path)
        rels = _part(archive, "word/_rels/document.xml.rels", path)
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = doc.find(f".//{W}body/{W}sectPr")
        footers: dict[str, Any] = {}
        for ref in sect.findall(f"{W}footerReference") if sect is not None else []:
            kind, target = ref.get(f"{W}type"), targets.get(ref.get(f"{R}id"))
            if kind and target:  # a reference to no part: the page-number rules say so
                footers[kind] = _part(archive, "word/" + target, path)
    size = sect.find(f"{W}pgSz") if sect is not None else None
    width = int(size.get(f"{W}w") or 0) * TWIP_MM if size is not None else 0
    height = int(size.get(f"{W}h") or 0) * TWIP_MM if size is not None else 0
    margins_el = sect.find(f"{W}pgMar") if sect is not None else None
    margins = (
        {k: int(margins_el.get(f"{W}{k}", "0")) * TWIP_MM for k in ("top", "bottom", "left", "right", "footer")}
        if margins_el is not None
        else {}
    )
    body = [p for p in doc.iter(f"{W}p") if (parent := p.getparent()) is not None and parent.tag == f"{W}body"]
    return DocxFacts(layout, expected(layout), doc, styles, settings, sect, footers, width, height, margins, body)


Rule = Callable[[DocxFacts], Outcome]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def check(path: Path, layout: Layout | None = None) -> list[Outcome]:
    facts = read(path, layout or Layout())
    if facts.width > facts.height:  # a form set across the sheet (§8)
        facts = read(path, (layout or Layout()).landscape())
    return [measure(facts) for measure in RULES]


@rule
def paper(f: DocxFacts) -> Outcome:
    return Outcome("纸张 A4", f"{f.width:.1f}×{f.height:.1f} mm", A4_ALLOWED, a4(f.width, f.height))


@rule
def left_margin(f: DocxFacts) -> Outcome:
    left = f.margins.get("left", 0)
    return Outcome("左白边（订口）", f"{left:.1f} mm", f"{f.want['left']:.0f} ± 1 mm", within(left, f.want["left"], 1))


@rule
def text_block(f: DocxFacts) -> Outcome:
    w, h = f.block
    ok = within(w, f.layout.text_width_mm, 1) and within(h, f.layout.text_height_mm, 1)
    return Outcome(
        "版心尺寸", f"{w:.1f}×{h:.1f} mm", f"{f.layout.text_width_mm:g}×{f.layout.text_height_mm:g} mm ± 1", ok
    )


@rule
def line_pitch(f: DocxFacts) -> Outcome:
    normal = f.normal
    rule_ = f.styles.para_property(normal, "spacing", "lineRule") if normal is not None else None
    pitch = f.pitch_pt
    ok = within(pitch, f.layout.line_pitch_pt, 0.5)
    return Outcome("行距（固定值）", f"{pitch:.2f} pt（{rule_ or '网格'}）", f"{f.layout.line_pitch_pt} ± 0.5 pt", ok)


@rule
def first_line_top(f: DocxFacts) -> Outcome:
    first_glyph = f.margins.get("top", 0) + (f.pitch_pt - f.layout.body_pt) / 2 * PT_MM
    ok = within(first_glyph, f.want["top"], 1)
    return Outcome("首行字顶距纸边", f"{first_glyph:.1f} mm", f"{f.want['top']:.0f} ± 1 mm", ok)


@rule
def body_face(f: DocxFacts) -> Outcome:
    normal, size = f.normal, f.layout.body_pt
    if normal is None:
        return Outcome("正文 三号仿宋", NA_BODY, f"{size:g} pt 仿宋", True)
    font = f.run_value(normal, "rFonts", "eastAsia") or ""
    ok = within(f.size_pt(normal), size, 0.1) and has_role(font, "仿宋")
    return Outcome("正文 三号仿宋", f"{f.size_pt(normal):g} pt {font}", f"{size:g} pt 仿宋", ok)


@rule
def characters_per_line(f: DocxFacts) -> Outcome:
    if f.normal is None:
        return Outcome("每行字数", NA_BODY, f"{f.layout.chars_per_line} 字", True)
    advance = f.advance_pt
    per_line = int((f.block[0] / PT_MM + 0.5) // advance) if advance > 0 else 0
    spacing = advance - f.size_pt(f.normal)
    measured = f"{per_line} 字（字距 {spacing:+.2f} pt）"
    return Outcome("每行字数", measured, f"{f.layout.chars_per_line} 字", per_line == f.layout.chars_per_line)


@rule
def first_line_indent(f: DocxFacts) -> Outcome:
    normal = f.normal
    if normal is None:
        return Outcome("首行缩进两字", NA_BODY, f"{f.want['indent']:.1f} ± 1 mm", True)
    first = f.styles.para_property(normal, "ind", "firstLine")
    chars = f.styles.para_property(normal, "ind", "firstLineChars")
    if chars and chars != "0":
        indent_mm = int(chars) / 100 * f.advance_pt * PT_MM
        how = f"（{int(chars) / 100:g} 字）"
    else:
        indent_mm, how = int(first or 0) * TWIP_MM, ""
    ok = within(indent_mm, f.want["indent"], 1)
    return Outcome("首行缩进两字", f"{indent_mm:.1f} mm{how}", f"{f.want['indent']:.1f} ± 1 mm", ok)


@rule
def justified(f: DocxFacts) -> Outcome:
    if f.normal is None:
        return Outcome("正文两端对齐", NA_BODY, "both", True)
    jc = f.styles.para_property(f.normal, "jc") or "left"
    return Outcome("正文两端对齐", jc, "both", jc == "both")


def _heading_rule(pattern: re.Pattern[str], outline: str, role: str, name: str) -> Rule:
    def measure(f: DocxFacts) -> Outcome:
        outlined = any(f.styles.para_property(p, "outlineLvl") is not None for p in f.body)

        def is_heading(p: Any) -> bool:
            """By outline level where the document uses them (Word's heading styles); else a
            short numbered line."""
            if outlined:
                return f.styles.para_property(p, "outlineLvl") == outline
            text = _text(p)
            return bool(pattern.match(text)) and len(text) <= 30 and "。" not in text[:-1]

        heads = [p for p in f.body if is_heading(p)]
        wrong = []
        for p in heads:
            font = f.run_value(p, "rFonts", "eastAsia") or ""
            if not (has_role(font, role) and within(f.size_pt(p), f.layout.heading_pt, 0.1)):
                wrong.append(f"{_text(p)[:8]}：{font} {f.size_pt(p):g} pt")
        if not heads:
            return Outcome(name, f"不适用（没有{name[:4]}）", f"{f.layout.heading_pt:g} pt {role}", True)
        measured = "；".join(wrong[:2]) or f"{len(heads)} 个，{f.layout.heading_pt:g} pt {role}"
        return Outcome(name, measured, f"{f.layout.heading_pt:g} pt {role}", not wrong)

    measure.__name__ = f"heading_{role}"
    return rule(measure)


_heading_rule(_LEVEL1, "0", "黑体", "一级标题 黑体")
_heading_rule(_LEVEL2, "1", "楷体", "二级标题 楷体")


@rule
def title_face_and_size(f: DocxFacts) -> Outcome:
    titles = [p for p in f.body if _val(p.find(f"{W}pPr"), "pStyle") == "Title" and _text(p)]
    allowed = f"{f.layout.title_pt:g} pt 小标宋"
    if not titles:
        return Outcome("标题 二号小标宋", "无标题样式的段落", allowed, False)
    font = f.run_value(titles[0], "rFonts", "eastAsia") or ""
    kind = title_face(font)
    ok = within(f.size_pt(titles[0]), f.layout.title_pt, 0.1) and kind is not None
    return Outcome("标题 二号小标宋", f"{f.size_pt(titles[0]):g} pt {font}（{kind or '不是小标宋'}）", allowed, ok)


@rule
def chinese_punctuation_face(f: DocxFacts) -> Outcome:
    latin = []
    for p in f.doc.iter(f"{W}p"):
        for run in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if any(c in CJK_PUNCTUATION for c in text.replace(EM_DASH, "")):
                font = f.styles.run_property(run, p, "rFonts", "eastAsia") or ""
                if not any(has_role(font, role) for role in CJK_ROLES):
                    latin.append(f"「{text[:6]}」{font or '未指定'}")
    return Outcome("中文标点用中文字体", "；".join(latin[:2]) or "全部用中文字体", "中文字体", not latin)


@rule
def page_numbers(f: DocxFacts) -> Outcome:
    odd_even = f.settings.find(f"{W}evenAndOddHeaders") is not None
    ok = odd_even
    notes = [] if odd_even else ["未设奇偶页不同"]
    for kind, align in (("default", "right"), ("even", "left")):
        footer = f.footers.get(kind)
        if footer is None:
            ok = False
            notes.append(f"缺{'单' if kind == 'default' else '双'}页页脚")
            continue
        p = footer.find(f"{W}p")
        text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
        instr = "".join(t.text or "" for t in footer.iter(f"{W}instrText"))
        dashes = text.count(EM_DASH) == 2 and "PAGE" in instr and "-" not in text
        jc = f.styles.para_property(p, "jc") if p is not None else None
        size_pt = f.size_pt(p) if p is not None else 0
        font = f.run_value(p, "rFonts", "eastAsia") if p is not None else ""
        if not dashes:
            notes.append(f"{kind} 页脚为「{text.strip()}」")
        if jc != align:
            notes.append(f"{kind} 页脚对齐 {jc}")
        if not within(size_pt, f.layout.pagenum_pt, 0.1) or not has_role(font or "", "宋体"):
            notes.append(f"{kind} 页脚 {font} {size_pt:g} pt")
        ok = ok and dashes and jc == align and within(size_pt, f.layout.pagenum_pt, 0.1)
    measured = "；".join(notes) or "PAGE 域，U+2014，单页右、双页左"
    return Outcome("页码“— N —” 四号、单右双左", measured, "奇偶页页脚，— PAGE —", ok)


@rule
def page_number_dash(f: DocxFacts) -> Outcome:
    """Where the dash will stand: Word sets the footer line's bottom at the footer distance above
    the paper's edge; the dash is drawn that far below the line's top (measured on prints)."""
    footer = f.footers.get("default")
    p = footer.find(f"{W}p") if footer is not None else None
    target = f.want["pagenum_dash"]
    if p is None or "footer" not in f.margins:
        return Outcome("页码一字线位置", "无页脚", f"{target:.0f} ± 1 mm", False)
    size = f.size_pt(p)
    line = f.styles.para_property(p, "spacing", "line")
    height = int(line) / 20 if line and f.styles.para_property(p, "spacing", "lineRule") == "exact" else size
    top = f.height - f.margins["footer"] - height * PT_MM
    dash = top + DASH_BELOW_LINE_TOP_EM["docx"] * size * PT_MM
    return Outcome(
        "页码一字线位置",
        f"{dash:.1f} mm（由页脚距离推算）",
        f"版心下 7 mm：{target:.0f} ± 1 mm",
        within(dash, target, 1),
    )


NA_BODY = "不适用（无正文段落）"


@rule
def docx_headings_repeat(f: DocxFacts) -> Outcome:
    """A long table's column headings are marked to repeat on each page it reaches."""
    missing = headings_unrepeated(f.doc)
    measured = "；".join(f"「{m}」未设为重复标题行" for m in missing[:2]) or "长表的列标题行均设为重复"
    return Outcome("续页表头", measured, "跨页的表在续页重复列标题（标题行重复）", not missing)


@rule
def docx_cell_lines(f: DocxFacts) -> Outcome:
    bad = broken_cells(f.doc)
    measured = "；".join(f"「{b}」" for b in bad[:2]) or "无拆开的数字或单字行"
    return Outcome("单元格断行", measured, "数字与单位不拆开，短标签无单字行", not bad)


@rule
def docx_lead_ins(f: DocxFacts) -> Outcome:
    body = f.doc.find(f"{W}body")
    loose = lead_ins_loose(body, lambda p: f.styles.toggle(p, "keepNext")) if body is not None else []
    measured = "；".join(f"「…{t}」未设与下段同页" for t in loose[:2]) or "引导语、单位行均与表格同页"
    return Outcome("表前引导语不孤悬页末", measured, "引导语、单位行与表格同页（与下段同页）", not loose)


@rule
def docx_regular_weights(f: DocxFacts) -> Outcome:
    """Page numbers and 一级标题 in the regular face; only the title may be heavy (its face is)."""
    wrong = []
    for kind, footer in f.footers.items():
        for p in footer.iter(f"{W}p"):
            if any(f.styles.toggle(p, "b", run) for run in p.iter(f"{W}r") if run.find(f"{W}fldChar") is None):
                wrong.append(f"{kind} 页脚加粗")
    outlined = [p for p in f.body if f.styles.para_property(p, "outlineLvl") == "0"]
    wrong += [f"「{_text(p)[:8]}」加粗" for p in outlined if f.styles.toggle(p, "b", p.find(f"{W}r"))]
    measured = "；".join(wrong[:2]) or "页码、一级标题均为常规字重"
    return Outcome("页码与一级标题字重", measured, "常规（只有标题用粗体）", not wrong)


@rule
def docx_title_lines(f: DocxFacts) -> Outcome:
    """The title's lines (one paragraph each): none of one character, three at most."""
    lines = [_text(p).strip() for p in f.body if _val(p.find(f"{W}pPr"), "pStyle") == "Title" and _text(p).strip()]
    if not lines:
        return Outcome("标题分行", "不适用（没有标题）", "每行至少两字，不超过三行", True)
    lone = [line for line in lines if len(line) < 2]
    measured = f"{len(lines)} 行" + (f"；「{' / '.join(lines)}」有单字行" if lone else "")
    return Outcome("标题分行", measured, "每行至少两字，不超过三行", not lone and len(lines) <= 3)
