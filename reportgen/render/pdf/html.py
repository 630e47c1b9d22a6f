"""The document tree as HTML with the official layout in CSS: the PDF's input, and `--format html`."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from html import escape

from reportgen.compose.tree import (
    AttachmentNote,
    Cell,
    Document,
    Heading,
    Label,
    Node,
    PageBreak,
    Paragraph,
    Signature,
    Table,
    Title,
)
from reportgen.fonts.faces import Face, Resolved
from reportgen.page import Layout
from reportgen.render.columns import Fit, fit_in, turned
from reportgen.render.continued import cut, merges_rows, placed
from reportgen.render.grid import Settled, anchor, followers, row_anchor
from reportgen.render.keep import keeps_with_next
from reportgen.render.line_breaks import around_quotes, figure_lists
from reportgen.render.measure import annex_hang_pt, measure_for
from reportgen.render.pdf.justify import QUARTER_EM
from reportgen.render.titles import title_lines


def file_faces(roles: dict[str, Resolved]) -> list[Face]:
    """The faces the engine loads from their files (a template's, a scanned folder's), once each."""
    faces: dict[tuple[str, str, int], Face] = {}
    for resolved in roles.values():
        for face in resolved.chain:
            if face.supplied or face.alias:
                faces.setdefault((face.css_family, face.file, face.index), face)
    return list(faces.values())


_CSS_ESCAPED = frozenset("\"\\'<>&\u2028\u2029")


def css_string(value: str) -> str:
    """`value` as a quoted CSS string.  Font names come from a template's settings and from the
    name table of a template's font files: a quote, a backslash, a line break, or a `<` that
    could close the <style> element are written as CSS escapes, so a name stays a name."""
    escaped = "".join(f"\\{ord(c):x} " if c in _CSS_ESCAPED or ord(c) < 0x20 or ord(c) == 0x7F else c for c in value)
    return f'"{escaped}"'


def _font_face(face: Face) -> str:
    """An @font-face rule; a bold face says so, so that a bold role takes it, not a thickened regular."""
    weight = " font-weight: bold;" if face.bold else ""
    return f"@font-face {{ font-family: {css_string(face.css_family)}; src: url({css_string(face.url)});{weight} }}\n"


def _family(resolved: Resolved | None, fallback: list[str]) -> str:
    names = resolved.css_families if resolved and resolved.chain else fallback
    return ", ".join(css_string(n) for n in names)


def _pages(L: Layout, name: str, family: str) -> str:
    """A page type with the page number 7 mm below its text block, outside edge, one character in:
    the upright page, and (named `turned`) the same page set across the sheet."""
    area_bottom = L.margin_top_mm + L.text_height_mm
    pad = L.pagenum_line_top_mm("pdf") - area_bottom
    inset = L.pagenum_inset_chars * L.pagenum_pt
    number = f"""content: "\\2014\\00a0" counter(page) "\\00a0\\2014";
    font-family: {family}; font-size: {L.pagenum_pt}pt; line-height: {L.pagenum_pt}pt;
    vertical-align: top; padding-top: {pad:.2f}mm; letter-spacing: 0;"""
    named = f" {name}" if name else ""
    return f"""@page{named} {{
  size: {L.page_width_mm}mm {L.page_height_mm}mm;
  margin: {L.margin_top_mm:.3f}mm {L.margin_right_mm:.3f}mm {L.margin_bottom_mm:.3f}mm {L.margin_left_mm:.3f}mm;
}}
@page{named}:right {{ @bottom-right {{ {number} text-align: right; margin-right: {inset}pt; }} }}
@page{named}:left {{ @bottom-left {{ {number} text-align: left; margin-left: {inset}pt; }} }}"""


def _turned_pages(L: Layout, family: str) -> str:
    """The page set across the sheet inside an upright document (GB/T 9704 §8): its page number
    stays where the upright pages have it (7 mm below the text block, one character in from the
    outside edge), turned with the sheet, which puts it in the left margin of the turned page —
    low on an odd page, high on an even one, the table's head toward the 订口 and the 切口."""
    across = L.landscape()
    left, top = across.margin_left_mm, across.margin_top_mm
    middle = top + across.text_height_mm / 2  # the left margin box's centre, where the number is set
    line = L.page_height_mm - L.pagenum_dash_mm  # the upright page's number line, turned
    inset = L.pagenum_inset_chars * L.pagenum_pt * 25.4 / 72
    odd_end = L.margin_left_mm + L.text_width_mm - inset  # right-aligned on an odd upright page
    even_start = L.margin_left_mm + inset
    number = f"""content: "\\2014\\00a0" counter(page) "\\00a0\\2014"; font-family: {family};
    font-size: {L.pagenum_pt}pt; line-height: {L.pagenum_pt}pt; letter-spacing: 0; vertical-align: middle;"""
    dx = line - left / 2
    return f"""@page turned {{
  size: {across.page_width_mm}mm {across.page_height_mm}mm;
  margin: {across.margin_top_mm:.3f}mm {across.margin_right_mm:.3f}mm {across.margin_bottom_mm:.3f}mm {left:.3f}mm;
}}
@page turned:right {{ @bottom-right {{ content: none; }} @left-middle {{ {number} text-align: right;
  transform: translate({dx:.2f}mm, {odd_end - (middle + left / 2):.2f}mm) rotate(90deg); }} }}
@page turned:left {{ @bottom-left {{ content: none; }} @left-middle {{ {number} text-align: left;
  transform: translate({dx:.2f}mm, {even_start - (middle - left / 2):.2f}mm) rotate(90deg); }} }}"""


def stylesheet(layout: Layout, roles: dict[str, Resolved] | None = None) -> str:
    roles = roles or {}
    L = layout

    def fam(role: str) -> str:
        return _family(roles.get(role), list(L.fonts[role].official + L.fonts[role].substitutes))

    def weight(role: str) -> str:
        resolved = roles.get(role)
        return "bold" if resolved is not None and resolved.bold else "normal"

    pitch = L.line_pitch_pt
    cell_pad, form_pad = L.cell_padding("table"), L.cell_padding("form")
    font_faces = "".join(_font_face(face) for face in file_faces(roles))
    return (
        font_faces
        + f"""
{_pages(L, "", fam("页码"))}
{_turned_pages(L, fam("页码")) if L.page_width_mm < L.page_height_mm else ""}
html {{ color: #000; }}
body {{
  margin: 0; font-family: {fam("正文")}; font-size: {L.body_pt}pt; line-height: {pitch}pt;
  letter-spacing: {L.letter_spacing_pt:.3f}pt; text-align: justify; orphans: 1; widows: 1;
  font-kerning: none; overflow-wrap: anywhere;
}}
p, h1, h2, h3, h4, h5, div {{ margin: 0; padding: 0; font-size: {L.body_pt}pt; font-weight: normal; }}
p {{ text-indent: {L.indent_pt:.3f}pt; }}
p.left {{ text-indent: 0; text-align: left; }}
p.center {{ text-indent: 0; text-align: center; }}
p.right {{ text-indent: 0; text-align: right; }}
.label {{
  font-family: {fam("附件标签")}; font-size: {L.label_pt}pt; text-align: left; text-indent: 0; letter-spacing: 0;
}}
h1 {{
  font-family: {fam("标题")}; font-weight: {weight("标题")}; font-size: {L.title_pt}pt;
  line-height: {pitch}pt; text-align: center; text-indent: 0; letter-spacing: 0;
  margin-bottom: {pitch}pt; break-after: avoid;
}}
.label + h1 {{ margin-top: {pitch}pt; }}
h1 > span {{ display: block; }}
h2, h3, h4, h5 {{ text-indent: {L.indent_pt:.3f}pt; break-after: avoid; line-height: {pitch}pt; }}
h2 {{ font-family: {fam("一级标题")}; font-size: {L.heading_pt}pt; }}
h3 {{ font-family: {fam("二级标题")}; font-size: {L.heading_pt}pt; }}
h4, h5 {{ font-family: {fam("正文")}; font-size: {L.heading_pt}pt; }}
table {{
  width: 100%; table-layout: fixed; border-collapse: collapse; font-family: {fam("表格")}; font-size: {L.table_pt}pt;
  line-height: {L.table_line_pt}pt; letter-spacing: 0; text-indent: 0;
}}
thead {{ display: table-header-group; }}
tr {{ break-inside: avoid; }}
th, td {{
  border: 0.5pt solid #000; padding: {cell_pad[0]}pt {cell_pad[1]}pt; text-align: center; vertical-align: middle;
  font-weight: normal; font-size: inherit; line-height: inherit; text-indent: 0;
}}
td.left, th.left {{ text-align: left; }}
td p, th p {{
  text-indent: 0; margin: 0; font-size: inherit; line-height: inherit; letter-spacing: 0; text-align: inherit;
}}
table.form {{ font-size: {L.form_pt}pt; line-height: {L.form_line_pt}pt; }}
table.form th, table.form td {{ padding: {form_pad[0]}pt {form_pad[1]}pt; }}
tbody.keep > tr:not(:last-child) {{ break-after: avoid; }}
p.unit {{
  text-indent: 0; text-align: right; font-family: {fam("表格")}; font-size: {L.form_pt}pt;
  line-height: {L.form_line_pt}pt; letter-spacing: 0;
}}
p.note {{
  text-indent: 0; text-align: left; font-family: {fam("表格")}; font-size: {L.form_pt}pt;
  line-height: {L.form_line_pt}pt; letter-spacing: 0;
}}
span.fb {{ line-height: 0; }}
.signature p {{ text-indent: 0; text-align: right; padding-right: {L.indent_pt:.3f}pt; }}
.signature {{ margin-top: {pitch}pt; }}
.annex {{ margin-top: {pitch}pt; }}
.annex p {{ text-align: left; }}
"""
    )


_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%+\-/:]*")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def spaced(text: str) -> str:
    """Escaped text with a quarter-em space between Chinese characters and Latin letters or
    digits, as Word and LibreOffice set it by default (autospace), so that lines break alike.
    Only the PDF gets it: Word adds it itself."""
    text = figure_lists(around_quotes(text))
    out: list[str] = []
    last = 0
    for match in _LATIN.finditer(text):
        start, end = match.span()
        before = QUARTER_EM if start > 0 and _IDEOGRAPH.match(text[start - 1]) else ""
        after = QUARTER_EM if end < len(text) and _IDEOGRAPH.match(text[end]) else ""
        out.append(escape(text[last:start]) + before + escape(match.group()) + after)
        last = end
    out.append(escape(text[last:]))
    return "".join(out)


def _cell(cell: Cell, width: float, setting: Fit) -> str:
    """A cell `width` points wide; each paragraph in the lines the fit sets it in."""
    tag = "th" if cell.header else "td"
    attrs = ""
    if cell.rowspan > 1:
        attrs += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        attrs += f' colspan="{cell.colspan}"'
    if cell.align != "center":
        attrs += f' class="{cell.align}"'

    def paragraph(text: str) -> str:
        return "<br>".join(spaced(line) for line in setting.lines(text, width))

    inner = "".join(f"<p>{paragraph(line)}</p>" for line in cell.lines) if cell.lines else paragraph(cell.text)
    return f"<{tag}{attrs}>{inner}</{tag}>"


def _table(table: Table, setting: Fit, layout: Layout, style: str = "", index: int | None = None) -> str:
    """The table; with `index`, its body rows carry anchors (r{index}-{row}) by which the grid
    finds the rows that open a page, where a merged cell is cut."""
    css = f' class="{escape(table.kind)}"' if table.kind else ""  # the template's own class names
    styles = [style] if style else []
    if setting.size != (layout.form_pt if table.kind == "form" else layout.table_pt):
        styles.append(f"font-size: {setting.size}pt; line-height: {setting.line}pt")
    if styles:
        css += f' style="{"; ".join(styles)}"'
    parts = [f"<table{css}>", "<colgroup>"]
    parts.extend(f'<col style="width:{w:.3f}pt">' for w in setting.widths)
    parts.append("</colgroup>")
    html_rows: list[list[str]] = [[] for _ in table.rows]
    for r, c, cell in placed(table):
        html_rows[r].append(_cell(cell, sum(setting.widths[c : c + cell.colspan]), setting))

    def row_html(r: int, name: str | None) -> str:
        attrs = f' id="{name}"' if name else ""
        return f"<tr{attrs}>" + "".join(html_rows[r]) + "</tr>"

    if table.header_rows:
        parts.append("<thead>")
        parts.extend(row_html(r, None) for r in range(table.header_rows))
        parts.append("</thead>")
    # Row groups kept on one page become their own <tbody class="keep">; the rows between them
    # share one <tbody>, so that their rowspans can reach across them.
    starts = {first: last for first, last in table.groups}
    sections: list[tuple[bool, list[int]]] = []
    row = table.header_rows
    while row < len(table.rows):
        if row in starts:
            sections.append((True, list(range(row, starts[row] + 1))))
            row = starts[row] + 1
            continue
        if not sections or sections[-1][0]:
            sections.append((False, []))
        sections[-1][1].append(row)
        row += 1
    for keep, rows in sections:
        parts.append('<tbody class="keep">' if keep else "<tbody>")
        parts.extend(row_html(r, row_anchor(index, r) if index is not None else None) for r in rows)
        parts.append("</tbody>")
    parts.append("</table>")
    return "".join(parts)


def _node_html(
    node: Node, layout: Layout, attrs: str, styles: list[str], setting: Fit | None = None, index: int | None = None
) -> str:
    """One node of the tree as HTML; `attrs` its anchor and style, `styles` the same for a table,
    `setting` how a table is set, `index` (a table whose merged cells a page may cut) the name
    its rows' anchors take."""
    if isinstance(node, Label):
        return f'<div class="label"{attrs}>{spaced(node.text)}</div>'
    if isinstance(node, Title):
        lines = title_lines(node.lines, layout.title_capacity_em, measure_for(layout, "标题").width)
        return f"<h1{attrs}>" + "".join(f"<span>{spaced(line)}</span>" for line in lines) + "</h1>"
    if isinstance(node, Heading):
        return f"<h{node.level + 1}{attrs}>{spaced(node.text)}</h{node.level + 1}>"
    if isinstance(node, Paragraph):
        css = "" if node.align == "body" else f' class="{escape(node.align)}"'
        return f"<p{css}{attrs}>{spaced(node.text)}</p>"
    if isinstance(node, Table):
        assert setting is not None
        return _table(node, setting, layout, "; ".join(styles), index)
    if isinstance(node, Signature):
        signed = "".join(f"<p>{spaced(x)}</p>" for x in node.lines)
        return f'<div class="signature"{attrs}>{signed}</div>'
    if isinstance(node, AttachmentNote):
        hang = annex_hang_pt(layout, len(node.names) > 1)
        left = layout.indent_pt + hang
        lines = []
        for n, line in enumerate(node.lines):
            first = hang if n == 0 else hang - 3 * layout.advance_pt
            lines.append(f'<p style="padding-left: {left:.3f}pt; text-indent: {-first:.3f}pt">{spaced(line)}</p>')
        return f'<div class="annex"{attrs}>{"".join(lines)}</div>'
    return ""


def body_html(
    document: Document,
    layout: Layout,
    settled: Settled | None = None,
    *,
    only: Sequence[int] | None = None,
    new_pages: Collection[int] = (),
) -> str:
    """With `settled`, the lines after tables carry an anchor (for the grid to find them) and the
    space that puts them back on the line grid, and tables are cut where the layout found a page
    to start inside a merged cell.  `only` some nodes, each of `new_pages` on a new page: the
    grid's first measurement of its tables (render/grid.py)."""
    marked = set(followers(document)) if settled is not None else set()
    out: list[str] = []
    upright = layout
    turned_here = _turned_nodes(document, upright)
    nodes = document.nodes
    for index in range(len(nodes)) if only is None else only:
        node = nodes[index]
        if isinstance(node, PageBreak):
            continue
        layout = upright.landscape() if index in turned_here else upright
        new_page = index > 0 and (
            isinstance(nodes[index - 1], PageBreak) or (index - 1 in turned_here) != (index in turned_here)
        )  # after a break; back upright, or across
        styles: list[str] = ["break-before: page"] if new_page or index in new_pages else []
        if keeps_with_next(nodes, index):
            styles.append("break-after: avoid")
        if index in turned_here:
            styles.append("page: turned")
        attrs = ""
        if index in marked:
            assert settled is not None
            blank = layout.line_pitch_pt if isinstance(node, Signature | AttachmentNote) else 0.0  # 下空一行
            space = blank + settled.pads.get(index, 0.0)
            attrs = f' id="{anchor(index)}"'
            if space:
                styles.append(f"margin-top: {space:.2f}pt")
        if styles:
            attrs += f' style="{"; ".join(styles)}"'
        named: int | None = None
        setting = fit_in(nodes, index, layout) if isinstance(node, Table) else None
        if isinstance(node, Table) and settled is not None and merges_rows(node):
            node, named = cut(node, settled.starts(index)), index
        out.append(_node_html(node, layout, attrs, styles, setting, named))
    return "\n".join(out)


def _turned_nodes(document: Document, layout: Layout) -> set[int]:
    """The nodes set across the sheet: from a turned page break to the next break, and a table
    too wide for the upright page."""
    found: set[int] = set()
    across = False
    for index, node in enumerate(document.nodes):
        if isinstance(node, PageBreak):
            across = node.turned
        elif across or (isinstance(node, Table) and turned(node, layout)):
            found.add(index)
    return found


def _fallbacks(html: str, roles: dict[str, Resolved] | None) -> str:
    """A character drawn by a fallback font (漖 in Noto) brings that font's taller ascent into its
    line, which would push the line off the grid; set in a zero line-height span, it does not."""
    body = (roles or {}).get("正文")
    if body is None or not body.chain:
        return html
    first = body.chain[0]
    rare = {c for c in set(html) if ord(c) > 0x2E7F and not first.has(c) and body.face_for(c) is not None}
    for char in rare:
        html = html.replace(char, f'<span class="fb">{char}</span>')
    return html


def _metadata(document: Document) -> str:
    """The PDF's document information and XMP: the unit as author, the subject, a fixed date."""
    when = document.issued.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = f"{document.year}年度部门整体支出绩效自评" if document.year else "部门整体支出绩效自评"
    fields = {
        "author": document.unit,
        "description": subject,
        "keywords": "绩效自评",
        "generator": "reportgen",
        "dcterms.created": when,
        "dcterms.modified": when,
    }
    return "".join(f'<meta name="{k}" content="{escape(v)}">' for k, v in fields.items() if v)


def render(
    document: Document,
    layout: Layout,
    roles: dict[str, Resolved] | None = None,
    settled: Settled | None = None,
    *,
    only: Sequence[int] | None = None,
    new_pages: Collection[int] = (),
) -> str:
    body = body_html(document, layout, settled, only=only, new_pages=new_pages)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(document.title)}</title>{_metadata(document)}"
        f"<style>{stylesheet(layout, roles)}</style></head>\n<body>\n{_fallbacks(body, roles)}\n"
        "</body></html>\n"
    )
