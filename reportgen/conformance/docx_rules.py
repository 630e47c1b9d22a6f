"""GB/T 9704 rules read from a Word file's XML: page, grid, styles as they resolve, footers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from reportgen.conformance.outcome import CJK_PUNCTUATION, EM_DASH, Outcome, expected, has_role, within
from reportgen.input.diagnostics import InputError
from reportgen.render.layout import Layout

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


def check(path: Path, layout: Layout | None = None) -> list[Outcome]:
    layout = layout or Layout()
    want = expected(layout)
    with zipfile.ZipFile(path) as archive:
        doc = etree.fromstring(archive.read("word/document.xml"))
        paragraphs = sum(1 for _ in doc.iter(f"{W}p"))
        if paragraphs > MAX_PARAGRAPHS:
            raise InputError(f"{path}: 错误: 段落过多（{paragraphs} 段，上限 {MAX_PARAGRAPHS}），不像一份报告，未检查")
        styles = Styles(etree.fromstring(archive.read("word/styles.xml")))
        settings = etree.fromstring(archive.read("word/settings.xml"))
        rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        sect = doc.find(f".//{W}body/{W}sectPr")
        footers = {
            ref.get(f"{W}type"): etree.fromstring(archive.read("word/" + targets[ref.get(f"{R}id")]))
            for ref in (sect.findall(f"{W}footerReference") if sect is not None else [])
        }
    out: list[Outcome] = []
    size = sect.find(f"{W}pgSz") if sect is not None else None
    width = int(size.get(f"{W}w")) * TWIP_MM if size is not None else 0
    height = int(size.get(f"{W}h")) * TWIP_MM if size is not None else 0
    out.append(
        Outcome(
            "纸张 A4",
            f"{width:.1f}×{height:.1f} mm",
            "210×297 mm ± 1",
            within(width, 210, 1) and within(height, 297, 1),
        )
    )
    margins = sect.find(f"{W}pgMar") if sect is not None else None
    m = (
        {k: int(margins.get(f"{W}{k}", "0")) * TWIP_MM for k in ("top", "bottom", "left", "right")}
        if margins is not None
        else {}
    )
    out.append(
        Outcome(
            "左白边（订口）",
            f"{m.get('left', 0):.1f} mm",
            f"{want['left']:.0f} ± 1 mm",
            within(m.get("left", 0), want["left"], 1),
        )
    )
    block_w = width - m.get("left", 0) - m.get("right", 0)
    block_h = height - m.get("top", 0) - m.get("bottom", 0)
    out.append(
        Outcome(
            "版心尺寸",
            f"{block_w:.1f}×{block_h:.1f} mm",
            f"{layout.text_width_mm:g}×{layout.text_height_mm:g} mm ± 1",
            within(block_w, layout.text_width_mm, 1) and within(block_h, layout.text_height_mm, 1),
        )
    )

    body = [p for p in doc.iter(f"{W}p") if p.getparent().tag == f"{W}body"]

    def style_of(p: Any) -> str | None:
        return _val(p.find(f"{W}pPr"), "pStyle") or styles.default_id

    normal = next((p for p in body if style_of(p) == styles.default_id and len(_text(p)) > 20), None)
    pitch_twips = int((_val(sect, "docGrid", "linePitch") if sect is not None else None) or 0)
    line = styles.para_property(normal, "spacing", "line") if normal is not None else None
    rule = styles.para_property(normal, "spacing", "lineRule") if normal is not None else None
    pitch = int(line) / 20 if line and rule == "exact" else pitch_twips / 20
    out.append(
        Outcome(
            "行距（固定值）",
            f"{pitch:.2f} pt（{rule or '网格'}）",
            f"{layout.line_pitch_pt} ± 0.5 pt",
            within(pitch, layout.line_pitch_pt, 0.5),
        )
    )
    first_glyph = m.get("top", 0) + (pitch - layout.body_pt) / 2 * PT_MM
    out.append(
        Outcome(
            "首行字顶距纸边", f"{first_glyph:.1f} mm", f"{want['top']:.0f} ± 1 mm", within(first_glyph, want["top"], 1)
        )
    )

    if normal is None:
        out.append(Outcome("正文 三号仿宋", "不适用（无正文段落）", "16 pt 仿宋", True))
    else:
        font = styles.run_property(normal.find(f"{W}r"), normal, "rFonts", "eastAsia") or ""
        size_pt = int(styles.run_property(normal.find(f"{W}r"), normal, "sz") or 0) / 2
        out.append(
            Outcome(
                "正文 三号仿宋",
                f"{size_pt:g} pt {font}",
                f"{layout.body_pt:g} pt 仿宋",
                within(size_pt, layout.body_pt, 0.1) and has_role(font, "仿宋"),
            )
        )
        spacing = int(styles.run_property(normal.find(f"{W}r"), normal, "spacing") or 0) / 20
        char_space = _val(sect, "docGrid", "charSpace") if sect is not None else None
        grid_type = _val(sect, "docGrid", "type") if sect is not None else None
        if grid_type == "linesAndChars" and char_space is not None:
            spacing = int(char_space) / 4096
        advance = size_pt + spacing
        per_line = int((block_w / PT_MM + 0.5) // advance) if advance > 0 else 0
        out.append(
            Outcome(
                "每行字数",
                f"{per_line} 字（字距 {spacing:+.2f} pt）",
                f"{layout.chars_per_line} 字",
                per_line == layout.chars_per_line,
            )
        )
        first = styles.para_property(normal, "ind", "firstLine")
        first_chars = styles.para_property(normal, "ind", "firstLineChars")
        indent_mm = (
            int(first_chars) / 100 * advance * PT_MM
            if first_chars and first_chars != "0"
            else (int(first or 0) * TWIP_MM)
        )
        out.append(
            Outcome(
                "首行缩进两字",
                f"{indent_mm:.1f} mm",
                f"{want['indent']:.1f} ± 1 mm",
                within(indent_mm, want["indent"], 1),
            )
        )
        out.append(
            Outcome(
                "正文两端对齐",
                styles.para_property(normal, "jc") or "left",
                "both",
                styles.para_property(normal, "jc") == "both",
            )
        )

    outlined = any(styles.para_property(p, "outlineLvl") is not None for p in body)

    def is_heading(p: Any, outline: str, pattern: re.Pattern[str]) -> bool:
        """By outline level where the document uses them (Word's heading styles); else a short
        numbered line."""
        if outlined:
            return styles.para_property(p, "outlineLvl") == outline
        text = _text(p)
        return bool(pattern.match(text)) and len(text) <= 30 and "。" not in text[:-1]

    def level(pattern: re.Pattern[str], outline: str, role: str, name: str) -> None:
        heads = [p for p in body if is_heading(p, outline, pattern)]
        wrong = []
        for p in heads:
            run = p.find(f"{W}r")
            font = styles.run_property(run, p, "rFonts", "eastAsia") or ""
            size_pt = int(styles.run_property(run, p, "sz") or 0) / 2
            if not (has_role(font, role) and within(size_pt, layout.heading_pt, 0.1)):
                wrong.append(f"{_text(p)[:8]}：{font} {size_pt:g} pt")
        out.append(
            Outcome(
                name,
                "；".join(wrong[:2]) or f"{len(heads)} 个，{layout.heading_pt:g} pt {role}",
                f"{layout.heading_pt:g} pt {role}",
                not wrong,
            )
        )

    level(_LEVEL1, "0", "黑体", "一级标题 黑体")
    level(_LEVEL2, "1", "楷体", "二级标题 楷体")
    titles = [p for p in body if _val(p.find(f"{W}pPr"), "pStyle") == "Title" and _text(p)]
    if titles:
        font = styles.run_property(titles[0].find(f"{W}r"), titles[0], "rFonts", "eastAsia") or ""
        size_pt = int(styles.run_property(titles[0].find(f"{W}r"), titles[0], "sz") or 0) / 2
        out.append(
            Outcome(
                "标题 二号小标宋",
                f"{size_pt:g} pt {font}",
                f"{layout.title_pt:g} pt 小标宋",
                within(size_pt, layout.title_pt, 0.1) and has_role(font, "小标宋"),
            )
        )

    latin = []
    for p in doc.iter(f"{W}p"):
        for run in p.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if any(c in CJK_PUNCTUATION for c in text.replace(EM_DASH, "")):
                font = styles.run_property(run, p, "rFonts", "eastAsia") or ""
                if not any(has_role(font, role) for role in CJK_ROLES):
                    latin.append(f"「{text[:6]}」{font or '未指定'}")
    out.append(Outcome("中文标点用中文字体", "；".join(latin[:2]) or "全部用中文字体", "中文字体", not latin))

    odd_even = settings.find(f"{W}evenAndOddHeaders") is not None
    footer_ok = odd_even
    notes = [] if odd_even else ["未设奇偶页不同"]
    for kind, align in (("default", "right"), ("even", "left")):
        footer = footers.get(kind)
        if footer is None:
            footer_ok = False
            notes.append(f"缺{'单' if kind == 'default' else '双'}页页脚")
            continue
        p = footer.find(f"{W}p")
        text = "".join(t.text or "" for t in footer.iter(f"{W}t"))
        instr = "".join(t.text or "" for t in footer.iter(f"{W}instrText"))
        dashes = text.count(EM_DASH) == 2 and "PAGE" in instr and "-" not in text
        jc = styles.para_property(p, "jc") if p is not None else None
        size_pt = int(styles.run_property(p.find(f"{W}r"), p, "sz") or 0) / 2 if p is not None else 0
        font = styles.run_property(p.find(f"{W}r"), p, "rFonts", "eastAsia") if p is not None else ""
        if not dashes:
            notes.append(f"{kind} 页脚为「{text.strip()}」")
        if jc != align:
            notes.append(f"{kind} 页脚对齐 {jc}")
        if not within(size_pt, layout.pagenum_pt, 0.1) or not has_role(font or "", "宋体"):
            notes.append(f"{kind} 页脚 {font} {size_pt:g} pt")
        footer_ok = footer_ok and dashes and jc == align and within(size_pt, layout.pagenum_pt, 0.1)
    out.append(
        Outcome(
            "页码“— N —” 四号、单右双左",
            "；".join(notes) or "PAGE 域，U+2014，单页右、双页左",
            "奇偶页页脚，— PAGE —",
            footer_ok,
        )
    )
    return out
