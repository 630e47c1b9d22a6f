"""GB/T 9704 rules measured on a PDF, from the positions, sizes and fonts of its characters."""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.conformance.outcome import CJK_PUNCTUATION, EM_DASH, Outcome, expected, has_role, within
from reportgen.render.justify import HANGING
from reportgen.render.layout import Layout

MM = 25.4 / 72
_PAGE_NUMBER = re.compile(rf"^{EM_DASH}[\s\u00a0]*(\d+)[\s\u00a0]*{EM_DASH}$")
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
NA = "不适用（无正文段落）"
_FULL_WIDTH = re.compile(r"^[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…—]+$")


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


MAX_CHARS = 2_000_000


def check(path: Path, layout: Layout | None = None, max_pages: int | None = None) -> list[Outcome]:
    import pdfplumber

    from reportgen.input.diagnostics import InputError

    layout = layout or Layout()
    want = expected(layout)
    out: list[Outcome] = []
    with pdfplumber.open(path) as pdf:
        if max_pages is not None and len(pdf.pages) > max_pages:
            raise InputError(f"{path}: 错误: 页数过多（{len(pdf.pages)} 页，上限 {max_pages} 页）")
        counted = 0
        for page in pdf.pages:
            counted += len(page.chars)
            if counted > MAX_CHARS:
                raise InputError(f"{path}: 错误: 文字过多（超过 {MAX_CHARS} 个字符），不像一份报告，未检查")
        pages = [_lines(page) for page in pdf.pages]
        sizes = [(p.width * MM, p.height * MM) for p in pdf.pages]
        font_count, not_embedded = _embedded(pdf)
        all_chars = [c for page in pdf.pages for c in page.chars]

    bad_pages = [i + 1 for i, (w, h) in enumerate(sizes) if not (within(w, 210, 1) and within(h, 297, 1))]
    out.append(
        Outcome(
            "纸张 A4",
            f"{sizes[0][0]:.1f}×{sizes[0][1]:.1f} mm" if sizes else "无页面",
            "210×297 mm ± 1",
            bool(sizes) and not bad_pages,
        )
    )

    numbers: list[tuple[int, Line]] = []
    bodies: list[list[Line]] = []
    for lines in pages:
        last = lines[-1] if lines else None
        match = _PAGE_NUMBER.match(last.text) if last else None
        if match and last is not None:
            numbers.append((int(match.group(1)), last))
            lines = lines[:-1]
        bodies.append(lines)

    # first line of each page set at body size (pages opening with a title or a table aside)
    tops = [lines[0].top for lines in bodies if lines and within(lines[0].size, layout.body_pt, 0.3)]
    worst = max(tops, key=lambda t: abs(t - want["top"])) if tops else None
    measured = f"{worst:.1f} mm（{len(tops)} 页）" if worst is not None else NA
    ok = worst is None or within(worst, want["top"], 1)
    out.append(Outcome("首行字顶距纸边", measured, f"{want['top']:.0f} ± 1 mm", ok))

    body_lines = [ln for lines in bodies for ln in lines if within(ln.size, layout.body_pt, 0.3)]
    lefts = sorted(round(ln.x0, 1) for ln in body_lines)
    left = lefts[0] if lefts else None
    ok = left is None or within(left, want["left"], 1)
    out.append(
        Outcome("版心左边（订口）", f"{left:.1f} mm" if left is not None else NA, f"{want['left']:.0f} ± 1 mm", ok)
    )
    indents = [x for x in lefts if x > want["left"] + 3]
    indent = statistics.median(indents) - want["left"] if indents else None
    measured = f"{indent:.1f} mm" if indent is not None else NA
    ok = indent is None or within(indent, want["indent"], 1)
    out.append(Outcome("首行缩进", measured, f"两字 {want['indent']:.1f} ± 1 mm", ok))

    # a full line: a body line followed on its page by a line that continues it at the left edge
    full: list[Line] = []
    for lines in bodies:
        for line, following in itertools.pairwise(lines):
            if (
                within(line.size, layout.body_pt, 0.3)
                and within(following.size, layout.body_pt, 0.3)
                and within(following.x0, want["left"], 1)
                and len(line.chars) >= 20
                and line.font == following.font
            ):
                full.append(line)

    def text_end(line: Line) -> float:
        """Where the line's text ends; a closing mark hanging past the edge (as Word and
        LibreOffice set it) does not count."""
        last = line.chars[-1]
        if last["text"] in HANGING and len(line.chars) > 1 and last["x0"] * MM >= want["right_edge"] - 1:
            return line.chars[-2]["x1"] * MM
        return line.x1

    edge = max((text_end(ln) for ln in full), key=lambda x: abs(x - want["right_edge"])) if full else None
    measured = f"{edge:.1f} mm（{len(full)} 行）" if edge is not None else NA
    ok = edge is None or within(edge, want["right_edge"], 1)
    out.append(Outcome("满行右端对齐版心", measured, f"{want['right_edge']:.0f} ± 1 mm（句读可悬于版心外）", ok))
    counts = Counter(len(ln.chars) for ln in full if _FULL_WIDTH.match(ln.text) and within(ln.x0, want["left"], 1))
    common = counts.most_common(1)[0][0] if counts else None
    ok = common is None or common == layout.chars_per_line
    out.append(Outcome("每行字数", f"{common} 字" if common else NA, f"{layout.chars_per_line} 字", ok))

    # Only a page of body text that runs to the foot of the text block shows the grid: a page
    # ended early by a heading kept with its text, a table or the end of a part is not full.  On a
    # full page every body line sits in one of the grid's slots and the last one is used (a title
    # page keeps its title lines and the blank line under them in slots of their own).
    pitch_mm = layout.line_pitch_pt * MM
    checked_pages = 0
    wrong: list[str] = []
    for number, lines in enumerate(bodies, 1):
        body = [ln for ln in lines if within(ln.size, layout.body_pt, 0.3)]
        others = [ln for ln in lines if ln not in body and not within(ln.size, layout.title_pt, 0.3)]
        if not body or others:
            continue
        slots = [(ln.top - want["top"]) / pitch_mm for ln in body]
        if slots[-1] < layout.lines_per_page - 1.5:
            continue
        checked_pages += 1
        off = [k for k in slots if abs(k - round(k)) > 0.2]
        if off:
            wrong.append(f"第 {number} 页 {len(lines)} 行，不在 {layout.line_pitch_pt} pt 的行网格上")
        elif round(slots[-1]) != layout.lines_per_page - 1:
            wrong.append(f"第 {number} 页 {round(slots[-1]) + 1} 行")
    measured = "、".join(wrong) if wrong else f"{checked_pages} 个排满的页均为 {layout.lines_per_page} 行"
    out.append(
        Outcome(
            "每页行数",
            measured if checked_pages else "不适用（没有排满正文的页）",
            f"排满正文的页 {layout.lines_per_page} 行",
            not wrong,
        )
    )
    body_pages = [lines for lines in bodies if lines and all(within(ln.size, layout.body_pt, 0.3) for ln in lines)]
    pitches = [b.top - a.top for lines in body_pages for a, b in itertools.pairwise(lines)]
    pitch = statistics.median(pitches) / MM if pitches else None
    ok = pitch is None or within(pitch, layout.line_pitch_pt, 0.2)
    out.append(Outcome("行距", f"{pitch:.2f} pt" if pitch else NA, f"{layout.line_pitch_pt} ± 0.2 pt", ok))

    # running text, tables aside (their type is smaller by design)
    running = [ln for ln in body_lines if not (has_role(ln.font, "黑体") or has_role(ln.font, "楷体"))]
    prose = Counter(c["fontname"] for ln in running for c in ln.chars if _IDEOGRAPH.match(c["text"]))
    body_font = prose.most_common(1)[0][0] if prose else None
    measured = f"{layout.body_pt:g} pt {body_font}" if body_font else NA
    ok = body_font is None or has_role(body_font, "仿宋")
    out.append(Outcome("正文 三号仿宋", measured, f"{layout.body_pt:g} pt 仿宋", ok))
    title = [ln for lines in bodies[:1] for ln in lines if within(ln.size, layout.title_pt, 0.3)]
    title_font = title[0].font if title else ""
    out.append(
        Outcome(
            "标题 二号小标宋",
            f"{title[0].size} pt {title_font}" if title else "无标题",
            f"{layout.title_pt:g} pt 小标宋",
            bool(title) and has_role(title_font, "小标宋"),
        )
    )
    for role, name in (("黑体", "一级标题 黑体"), ("楷体", "二级标题 楷体")):
        heads = [
            ln
            for ln in body_lines
            if has_role(ln.font, role) and re.match(r"^[一二三四五六七八九十]+、|^[（(]", ln.text)
        ]
        wrong = [ln for ln in heads if not within(ln.size, layout.heading_pt, 0.3)]
        out.append(
            Outcome(
                name, f"{len(heads)} 个，{heads[0].size if heads else '—'} pt", f"{layout.heading_pt:g} pt", not wrong
            )
        )

    cjk_fonts = {c["fontname"] for c in all_chars if _IDEOGRAPH.match(c["text"])}
    latin_punct = sorted(
        {
            (c["text"], c["fontname"])
            for c in all_chars
            if c["text"] in CJK_PUNCTUATION and c["fontname"] not in cjk_fonts and c["text"] != EM_DASH
        }
    )
    out.append(
        Outcome(
            "中文标点用中文字体",
            "、".join(f"「{t}」{f}" for t, f in latin_punct[:3]) or "全部用中文字体",
            "中文字体",
            not latin_punct,
        )
    )

    found = [n for n, _ in numbers]
    continuous = found == list(range(1, len(pages) + 1))
    out.append(
        Outcome(
            "页码“— N —”且连续",
            f"{len(found)}/{len(pages)} 页，{found[:3]}…" if found else "无页码",
            "每页，U+2014，1 起连续",
            continuous,
        )
    )
    if numbers:
        sizes_ok = all(within(line.size, layout.pagenum_pt, 0.3) for _, line in numbers)
        out.append(Outcome("页码 四号", f"{numbers[0][1].size} pt", f"{layout.pagenum_pt:g} pt", sizes_ok))
        worst_top = max((line.top for _, line in numbers), key=lambda t: abs(t - want["pagenum_top"]))
        out.append(
            Outcome(
                "页码位置（版心下）",
                f"{worst_top:.1f} mm",
                f"{want['pagenum_top']:.0f} ± 1 mm",
                within(worst_top, want["pagenum_top"], 1),
            )
        )
        odd_x = [want["right_edge"] - line.x1 for n, line in numbers if n % 2]
        even_x = [line.x0 - want["left"] for n, line in numbers if not n % 2]
        inset = want["pagenum_inset"]
        sides_ok = all(within(x, inset, 1) for x in odd_x + even_x)
        measured = f"单页距右 {max(odd_x, default=0):.1f} mm，双页距左 {max(even_x, default=0):.1f} mm"
        out.append(Outcome("页码单右双左、空一字", measured, f"{inset:.1f} ± 1 mm", sides_ok))

    out.append(
        Outcome(
            "字体全部嵌入",
            f"{font_count - len(not_embedded)}/{font_count}"
            + (f"（未嵌入：{'、'.join(not_embedded)}）" if not_embedded else ""),
            "全部",
            not not_embedded,
        )
    )
    notdef = sorted({c["text"] for c in all_chars if c["text"].startswith("(cid:") or c["text"] == "\ufffd"})
    out.append(Outcome("无缺字（.notdef）", "、".join(notdef[:5]) or "无", "无", not notdef))
    return out
