"""Word output (python-docx) in the official layout, from the same tree as the PDF.

python-docx alone leaves East Asian text in the theme font and has no page-number field, so the
fonts (`w:eastAsia`), the document grid and the footers are written as WordprocessingML here.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.compose.tree import Cell, Document, Heading, Label, PageBreak, Paragraph, Signature, Table, Title
from reportgen.page import CELL_PADDING, TWIPS_PER_PT, Layout, mm_to_pt
from reportgen.render.columns import fit, turned
from reportgen.render.docx_package import Properties, finish
from reportgen.render.grid import Pads
from reportgen.render.line_breaks import between_figures
from reportgen.render.titles import title_lines

_ALIGN = {
    "body": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
# Word's built-in names where one exists (navigation pane, outline view); ids stay ASCII.
STYLE_NAMES = {
    "正文": "Normal",
    "标题": "Title",
    "一级标题": "Heading 1",
    "二级标题": "Heading 2",
    "三级标题": "Heading 3",
    "附件标签": "Attachment Label",
    "表格": "Table Text",
    "表单": "Form Text",
    "注": "Note Text",
    "页码": "Page Number Line",
}

# Child order of the WordprocessingML schema: Word refuses files whose properties are out of order.
_ORDER = {
    "pPr": (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ),
    "rPr": (
        "rStyle",
        "rFonts",
        "b",
        "bCs",
        "i",
        "iCs",
        "caps",
        "smallCaps",
        "strike",
        "dstrike",
        "outline",
        "shadow",
        "emboss",
        "imprint",
        "noProof",
        "snapToGrid",
        "vanish",
        "webHidden",
        "color",
        "spacing",
        "w",
        "kern",
        "position",
        "sz",
        "szCs",
        "highlight",
        "u",
        "effect",
        "bdr",
        "shd",
        "fitText",
        "vertAlign",
        "rtl",
        "cs",
        "em",
        "lang",
        "eastAsianLayout",
        "specVanish",
        "oMath",
    ),
    "tblPr": (
        "tblStyle",
        "tblpPr",
        "tblOverlap",
        "bidiVisual",
        "tblStyleRowBandSize",
        "tblStyleColBandSize",
        "tblW",
        "jc",
        "tblCellSpacing",
        "tblInd",
        "tblBorders",
        "shd",
        "tblLayout",
        "tblCellMar",
        "tblLook",
        "tblCaption",
        "tblDescription",
        "tblPrChange",
    ),
    "tcPr": (
        "cnfStyle",
        "tcW",
        "gridSpan",
        "hMerge",
        "vMerge",
        "tcBorders",
        "shd",
        "noWrap",
        "tcMar",
        "textDirection",
        "tcFitText",
        "vAlign",
        "hideMark",
    ),
}


def _put(parent: Any, child: Any) -> Any:
    """Replace `parent`'s child of the same tag with `child`, at its place in the schema order."""
    local = child.tag.split("}")[1]
    order = _ORDER[parent.tag.split("}")[1]]
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    later = set(order[order.index(local) + 1 :])
    for i, el in enumerate(parent):
        if isinstance(el.tag, str) and el.tag.split("}")[-1] in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _el(tag: str, **attrs: str) -> Any:
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _set_fonts(element: object, name: str) -> None:
    """Name one font for every script, East Asian included, and drop theme fonts that win over it."""
    rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    _put(rpr, _el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))


def _flag(ppr: Any, tag: str, value: str | None = None) -> None:
    _put(ppr, _el(tag) if value is None else _el(tag, val=value))


def _paragraph_style(
    doc: DocxDocument,
    name: str,
    font: str,
    size: float,
    layout: Layout,
    *,
    indent: bool = True,
    align: str = "body",
    keep_next: bool = False,
    line_pt: float | None = None,
    grid: bool = True,
    condensed: bool = True,
) -> ParagraphStyle:
    styles = doc.styles
    names: set[str] = doc.__dict__.setdefault("_reportgen_style_names", {s.name for s in styles})  # listed once
    if name in names:
        style = styles[name]
    else:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        names.add(name)
    assert isinstance(style, ParagraphStyle)
    if name != "Normal":
        style.base_style = doc.styles["Normal"]
        style.quick_style = True
        style.next_paragraph_style = doc.styles["Normal"]
    style.font.size = Pt(size)
    style.font.bold = False
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    style.font.all_caps = False
    rpr = style.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern", "w:u", "w:bCs", "w:szCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)
    _put(rpr, _el("w:szCs", val=str(round(size * 2))))
    # Character spacing in twentieths of a point: the body's condensed setting, or none.
    _put(rpr, _el("w:spacing", val=str(round(layout.letter_spacing_pt * 20)) if condensed else "0"))
    _set_fonts(style.element, font)
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(line_pt or layout.line_pitch_pt)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.alignment = _ALIGN[align]
    fmt.widow_control = False
    fmt.keep_with_next = keep_next
    ppr = style.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in ppr.findall(qn(tag)):
            ppr.remove(el)
    if indent:
        # two characters, as Word and WPS count them; firstLine for readers that count in twips
        _put(ppr, _el("w:ind", firstLineChars="200", firstLine=str(round(layout.indent_pt * TWIPS_PER_PT))))
    else:
        # firstLineChars (inherited from Normal) would win over firstLine in Word: set no chars.
        _put(ppr, _el("w:ind", left="0", firstLineChars="0", firstLine="0"))
    _flag(ppr, "w:snapToGrid", None if grid else "0")
    # Word's own Chinese typography stays on (autospace between Chinese and Latin text, closing
    # marks hanging past the edge): the PDF sets its lines the same way.
    return style


def _defaults(doc: DocxDocument, layout: Layout) -> None:
    """Document defaults in the body font and size: LibreOffice and WPS size the character grid
    from them, and the language tags make Chinese punctuation follow Chinese rules."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    name = layout.fonts["正文"].word_name
    _put(rpr, _el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))
    size = str(round(layout.body_pt * 2))
    _put(rpr, _el("w:sz", val=size))
    _put(rpr, _el("w:szCs", val=size))
    _put(rpr, _el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
    ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
    _put(
        ppr,
        _el("w:spacing", before="0", after="0", line=str(round(layout.line_pitch_pt * TWIPS_PER_PT)), lineRule="exact"),
    )


def _styles(doc: DocxDocument, layout: Layout, keep: set[str] | None = None) -> None:
    if keep is None:
        _defaults(doc, layout)
    # Body and headings sit on the line grid with the condensed body spacing; the title, label,
    # tables and page numbers keep natural spacing.
    plain: dict[str, Any] = {"indent": False, "grid": False, "condensed": False}
    specs: list[tuple[str, str, float, dict[str, Any]]] = [
        ("正文", "正文", layout.body_pt, {}),
        ("标题", "标题", layout.title_pt, {**plain, "align": "center", "keep_next": True}),
        ("一级标题", "一级标题", layout.heading_pt, {"keep_next": True}),
        ("二级标题", "二级标题", layout.heading_pt, {"keep_next": True}),
        ("三级标题", "正文", layout.heading_pt, {"keep_next": True}),
        ("附件标签", "附件标签", layout.label_pt, {**plain, "align": "left", "grid": True}),
        ("表格", "表格", layout.table_pt, {**plain, "align": "center", "line_pt": layout.table_line_pt}),
        ("表单", "表格", layout.form_pt, {**plain, "align": "center", "line_pt": layout.form_line_pt}),
        ("注", "表格", layout.form_pt, {**plain, "align": "left", "line_pt": layout.form_line_pt}),
        ("页码", "页码", layout.pagenum_pt, {**plain, "align": "right", "line_pt": layout.pagenum_pt}),
    ]
    for style, role, size, options in specs:
        if keep is not None and STYLE_NAMES[style].lower() in {k.lower() for k in keep}:
            continue
        _paragraph_style(doc, STYLE_NAMES[style], layout.fonts[role].word_name, size, layout, **options)
    # Outline levels let Word's navigation pane show the headings.
    for level, key in ((0, "一级标题"), (1, "二级标题"), (2, "三级标题")):
        ppr = doc.styles[STYLE_NAMES[key]].element.get_or_add_pPr()
        _flag(ppr, "w:outlineLvl", str(level))


def _page(doc: DocxDocument, layout: Layout) -> None:
    _sheet(doc.sections[0], layout)
    _footers(doc, layout)


def _sheet(section: Section, layout: Layout) -> None:
    """A section's paper, margins, footer distance and line grid, as the layout has them."""
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(layout.page_width_mm)
    section.page_height = Mm(layout.page_height_mm)
    if layout.page_width_mm > layout.page_height_mm:  # printers turn the sheet only when told
        section.orientation = WD_ORIENT.LANDSCAPE
    section.top_margin = Mm(layout.margin_top_mm)
    section.bottom_margin = Mm(layout.margin_bottom_mm)
    section.left_margin = Mm(layout.margin_left_mm)
    section.right_margin = Mm(layout.margin_right_mm)
    section.header_distance = Mm(15)
    # Word measures the footer from the paper's bottom edge to the bottom of its line.
    number_top = layout.pagenum_line_top_mm("docx")
    section.footer_distance = Mm(layout.page_height_mm - number_top - layout.pagenum_pt * 25.4 / 72)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(layout.line_pitch_pt * TWIPS_PER_PT)))
    grid.attrib.pop(qn("w:charSpace"), None)


def _section_end(doc: DocxDocument, paragraph: Any, layout: Layout) -> None:
    """End a section at `paragraph` (Word keeps a section's settings in its last paragraph):
    the document's own page settings and footers, set for `layout`."""
    own = copy.deepcopy(doc.sections[-1]._sectPr)
    _sheet(Section(own, doc.part), layout)
    paragraph.get_or_add_pPr().append(own)


def _turned_table(doc: DocxDocument, node: Table, layout: Layout) -> None:
    """A table too wide for the upright page on a page of its own across the sheet: the section
    before it ends with the paragraph before it (a hairline one when a table comes first)."""
    body = doc.element.body
    before = [child for child in body if child.tag != qn("w:sectPr")]
    if not before or before[-1].tag != qn("w:p"):
        _hairline(_add(doc, "", "Normal"))
    last = [child for child in body if child.tag == qn("w:p")][-1]
    _section_end(doc, last, layout)
    _table(doc, node, layout.landscape())
    after = _add(doc, "", "Normal")
    _hairline(after)
    _section_end(doc, after._p, layout.landscape())


def _hairline(paragraph: DocxParagraph) -> None:
    """An empty paragraph that takes next to no room (it only carries a section's end)."""
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)


def _footers(doc: DocxDocument, layout: Layout) -> None:
    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    _footer(doc, section.footer.paragraphs[0], layout, odd=True)
    _footer(doc, section.even_page_footer.paragraphs[0], layout, odd=False)


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == instruction:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
            run._r.append(el)
        else:
            el = OxmlElement("w:t")
            el.text = text
            run._r.append(el)


def _footer(doc: DocxDocument, paragraph: DocxParagraph, layout: Layout, *, odd: bool) -> None:
    """ "— N —" with U+2014, odd pages right and even pages left, one character in."""
    paragraph.style = doc.styles[STYLE_NAMES["页码"]]
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    inset = Pt(layout.pagenum_inset_chars * layout.pagenum_pt)
    if odd:
        fmt.right_indent = inset
    else:
        fmt.left_indent = inset
    paragraph.add_run("\u2014\u00a0")
    _field(paragraph, "PAGE")
    paragraph.add_run("\u00a0\u2014")


def _style_id(doc: DocxDocument, name: str) -> str:
    """Style ids looked up once: python-docx scans every style on each assignment by name."""
    cache: dict[str, str] = doc.__dict__.setdefault("_reportgen_style_ids", {})
    if name not in cache:
        cache[name] = doc.styles[name].style_id
    return cache[name]


def _append(doc: DocxDocument, element: Any) -> None:
    """Add a block at the end of the body, before its section properties.  python-docx looks
    for sectPr among all the body's children at every addition (quadratic in a long report);
    the anchor is found once."""
    anchor = doc.__dict__.get("_reportgen_anchor")
    if anchor is None:
        anchor = doc.element.body.find(qn("w:sectPr"))
        doc.__dict__["_reportgen_anchor"] = anchor
    if anchor is None:
        doc.element.body.append(element)
    else:
        anchor.addprevious(element)


def _paragraph(
    doc: DocxDocument, parent: Any, text: str, style: str, align: str | None = None, *, in_cell: bool = False
) -> DocxParagraph:
    p = OxmlElement("w:p")
    paragraph = DocxParagraph(p, parent)
    p.style = _style_id(doc, style)
    if text:
        paragraph.add_run(between_figures(text))
    if align is not None:
        paragraph.paragraph_format.alignment = _ALIGN[align]
        if align != "body" and not in_cell:  # table styles have no first-line indent to undo
            paragraph.paragraph_format.first_line_indent = Pt(0)
    return paragraph


def _add(doc: DocxDocument, text: str, style: str, align: str | None = None) -> DocxParagraph:
    paragraph = _paragraph(doc, doc._body, text, style, align)
    _append(doc, paragraph._p)
    return paragraph


def _border(tbl_pr: Any) -> None:
    borders = _el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        # sz in eighths of a point: 0.5 pt rules
        borders.append(_el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    _put(tbl_pr, borders)


def _cell_margins(tbl_pr: Any, form: bool) -> None:
    vertical, horizontal = CELL_PADDING["form" if form else "table"]
    margins = _el("w:tblCellMar")
    for side, pt in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        margins.append(_el(f"w:{side}", w=str(round(pt * TWIPS_PER_PT)), type="dxa"))
    _put(tbl_pr, margins)


def _grid(node: Table) -> list[list[tuple[Cell, int, int] | None]]:
    """Which cell covers each (row, column) of the table: (cell, its first row, its first column)."""
    columns = node.columns
    grid: list[list[tuple[Cell, int, int] | None]] = [[None] * columns for _ in node.rows]
    for r, row in enumerate(node.rows):
        c = 0
        for cell in row:
            while c < columns and grid[r][c] is not None:
                c += 1
            if c >= columns:
                break
            for dr in range(min(cell.rowspan, len(node.rows) - r)):
                for dc in range(min(cell.colspan, columns - c)):
                    grid[r + dr][c + dc] = (cell, r, c)
            c += cell.colspan
    return grid


def _table(doc: DocxDocument, node: Table, layout: Layout) -> None:
    """The table as WordprocessingML, written in one pass over its cells: merges as gridSpan and
    vMerge, the column grid WPS needs, header rows repeated, rows never split."""
    columns = node.columns
    width_twips = round(mm_to_pt(layout.text_width_mm) * TWIPS_PER_PT)
    setting = fit(node, layout)
    widths = [round(w * TWIPS_PER_PT) for w in setting.widths]
    own_size = setting.size != (layout.form_pt if node.kind == "form" else layout.table_pt)
    tbl = OxmlElement("w:tbl")
    tbl_pr = OxmlElement("w:tblPr")
    tbl.append(tbl_pr)
    _put(tbl_pr, _el("w:tblW", w=str(width_twips), type="dxa"))
    _put(tbl_pr, _el("w:jc", val="center"))
    _border(tbl_pr)
    _put(tbl_pr, _el("w:tblLayout", type="fixed"))
    _cell_margins(tbl_pr, node.kind == "form")
    grid_el = OxmlElement("w:tblGrid")  # WPS drops tables without an explicit grid
    for width in widths:
        grid_el.append(_el("w:gridCol", w=str(width)))
    tbl.append(grid_el)
    style = STYLE_NAMES["表单" if node.kind == "form" else "表格"]
    keep = {r for first, last in node.groups for r in range(first, last)}  # a group stays on one page
    for r, row_cells in enumerate(_grid(node)):
        tr = OxmlElement("w:tr")
        tr_pr = OxmlElement("w:trPr")
        tr_pr.append(OxmlElement("w:cantSplit"))
        if r < node.header_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))
        tr.append(tr_pr)
        c = 0
        while c < columns:
            owner = row_cells[c]
            span = 1 if owner is None else min(owner[0].colspan, columns - owner[2])
            tc = OxmlElement("w:tc")
            tc_pr = OxmlElement("w:tcPr")
            tc_pr.append(_el("w:tcW", w=str(sum(widths[c : c + span])), type="dxa"))
            if span > 1:
                tc_pr.append(_el("w:gridSpan", val=str(span)))
            first_row = owner is None or owner[1] == r
            if owner is not None and owner[0].rowspan > 1:
                tc_pr.append(_el("w:vMerge", val="restart") if first_row else OxmlElement("w:vMerge"))
            tc_pr.append(_el("w:vAlign", val="center"))
            tc.append(tc_pr)
            cell = owner[0] if owner is not None and first_row else None
            for text in cell.paragraphs if cell is not None else [""]:  # a cell holds at least one paragraph
                align = cell.align if cell is not None else "center"
                paragraph = _paragraph(doc, None, text, style, align, in_cell=True)
                if r in keep:
                    paragraph.paragraph_format.keep_with_next = True
                if own_size:  # stepped down from the style's size to fit the content
                    paragraph.paragraph_format.line_spacing = Pt(setting.line)
                    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                    for run in paragraph.runs:
                        run.font.size = Pt(setting.size)
                tc.append(paragraph._p)
            tr.append(tc)
            c += span
        tbl.append(tr)
    _append(doc, tbl)


def build(document: Document, layout: Layout, pads: Pads | Callable[[], Pads] | None = None) -> DocxDocument:
    """The Word document; `pads` is the space before the paragraphs after tables that the PDF's
    layout found to put them on the line grid (render/grid.py), or what gives it once asked: it
    is asked for when the rest of the document is built, so that the layout (in the PDF's
    process) and the building go on at once."""
    reference = layout.reference_docx
    doc = new_docx(reference) if reference else new_docx()
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if reference:
        # A bureau's reference document (as in pandoc): its styles, page setup and footers win;
        # only what it lacks is added.
        keep = {s.name for s in doc.styles}
        _styles(doc, layout, keep=keep)
        if doc.sections[0]._sectPr.find(qn("w:footerReference")) is None:
            _footers(doc, layout)
    else:
        _styles(doc, layout)
        _page(doc, layout)
    previous_label = False
    followers: dict[int, Any] = {}  # node index → its first paragraph, given the space later
    for index, node in enumerate(document.nodes):
        first = len(body) - (1 if len(body) and body[-1].tag == qn("w:sectPr") else 0)  # where it goes
        if isinstance(node, Label):
            _add(doc, node.text, STYLE_NAMES["附件标签"])
            previous_label = True
        elif isinstance(node, Title):
            if previous_label:
                _add(doc, "", STYLE_NAMES["标题"])  # the blank line 2 that puts the title on line 3
            for line in title_lines(node.lines, layout.title_capacity_em):
                _add(doc, line, STYLE_NAMES["标题"])
            _add(doc, "", "Normal")  # one blank line under the title
        elif isinstance(node, Heading):
            style = {1: "一级标题", 2: "二级标题"}.get(node.level, "三级标题")
            _add(doc, node.text, STYLE_NAMES[style])
        elif isinstance(node, Paragraph) and node.align in ("note", "unit"):
            _add(doc, node.text, STYLE_NAMES["注"], "right" if node.align == "unit" else None)
        elif isinstance(node, Paragraph):
            _add(doc, node.text, "Normal", None if node.align == "body" else node.align)
        elif isinstance(node, Table) and turned(node, layout):
            _turned_table(doc, node, layout)
        elif isinstance(node, Table):
            _table(doc, node, layout)
        elif isinstance(node, Signature):
            _add(doc, "", "Normal")
            for line in node.lines:
                p = _add(doc, line, "Normal", "right")
                p.paragraph_format.right_indent = Pt(layout.indent_pt)
        elif isinstance(node, PageBreak):
            continue
        if index > 0 and isinstance(document.nodes[index - 1], PageBreak) and body[first].tag == qn("w:p"):
            DocxParagraph(body[first], doc._body).paragraph_format.page_break_before = True
        if body[first].tag == qn("w:p"):
            followers[index] = body[first]
    space = pads() if callable(pads) else pads or {}
    for index, points in space.items():
        if points and index in followers:
            DocxParagraph(followers[index], doc._body).paragraph_format.space_before = Pt(points)
    return doc


def render(document: Document, layout: Layout, target: Path, pads: Pads | Callable[[], Pads] | None = None) -> None:
    buffer = io.BytesIO()
    build(document, layout, pads).save(buffer)
    properties = Properties(document.title, document.unit, document.year, document.issued)
    target.write_bytes(finish(buffer.getvalue(), properties, own_styles=layout.reference_docx is None))
