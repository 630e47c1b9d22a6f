"""The Word file's styles, page setup and page-number footers, from the layout's numbers.

python-docx alone leaves East Asian text in the theme font and has no page-number field, so the
fonts (`w:eastAsia`), the document grid and the footers are written as WordprocessingML here.
"""

from __future__ import annotations

import copy
from typing import Any

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from reportgen.page import TWIPS_PER_PT, Layout
from reportgen.render.word.oxml import el, flag, put

ALIGN = {
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


def set_fonts(element: Any, name: str) -> None:
    """Name one font for every script, East Asian included, and drop theme fonts that win over it."""
    put(element.get_or_add_rPr(), el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))


class Styles:
    """The document's paragraph styles; their names are listed once (python-docx lists every style
    of the document at each lookup by name)."""

    def __init__(self, doc: DocxDocument, layout: Layout) -> None:
        self.doc = doc
        self.layout = layout
        self.names = {s.name for s in doc.styles}

    def paragraph_style(
        self,
        name: str,
        font: str,
        size: float,
        *,
        indent: bool = True,
        align: str = "body",
        keep_next: bool = False,
        line_pt: float | None = None,
        grid: bool = True,
        condensed: bool = True,
    ) -> ParagraphStyle:
        layout = self.layout
        styles = self.doc.styles
        if name in self.names:
            style = styles[name]
        else:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            self.names.add(name)
        assert isinstance(style, ParagraphStyle)
        if name != "Normal":
            style.base_style = styles["Normal"]
            style.quick_style = True
            style.next_paragraph_style = styles["Normal"]
        style.font.size = Pt(size)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.all_caps = False
        rpr = style.element.get_or_add_rPr()
        for tag in ("w:spacing", "w:kern", "w:u", "w:bCs", "w:szCs"):
            for child in rpr.findall(qn(tag)):
                rpr.remove(child)
        put(rpr, el("w:szCs", val=str(round(size * 2))))
        # Character spacing in twentieths of a point: the body's condensed setting, or none.
        put(rpr, el("w:spacing", val=str(round(layout.letter_spacing_pt * 20)) if condensed else "0"))
        set_fonts(style.element, font)
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line_pt or layout.line_pitch_pt)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.alignment = ALIGN[align]
        fmt.widow_control = False
        fmt.keep_with_next = keep_next
        ppr = style.element.get_or_add_pPr()
        for tag in ("w:pBdr", "w:contextualSpacing"):
            for child in ppr.findall(qn(tag)):
                ppr.remove(child)
        if indent:
            # two characters, as Word and WPS count them; firstLine for readers that count in twips
            put(ppr, el("w:ind", firstLineChars="200", firstLine=str(round(layout.indent_pt * TWIPS_PER_PT))))
        else:
            # firstLineChars (inherited from Normal) would win over firstLine in Word: set no chars.
            put(ppr, el("w:ind", left="0", firstLineChars="0", firstLine="0"))
        flag(ppr, "w:snapToGrid", None if grid else "0")
        # Word's own Chinese typography stays on (autospace between Chinese and Latin text, closing
        # marks hanging past the edge, the document default): the PDF sets its lines the same way.
        return style

    def defaults(self) -> None:
        """Document defaults in the body font and size: LibreOffice and WPS size the character grid
        from them, and the language tags make Chinese punctuation follow Chinese rules."""
        layout = self.layout
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        name = layout.fonts["正文"].word_name
        put(rpr, el("w:rFonts", ascii=name, hAnsi=name, eastAsia=name, cs=name))
        size = str(round(layout.body_pt * 2))
        put(rpr, el("w:sz", val=size))
        put(rpr, el("w:szCs", val=size))
        put(rpr, el("w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA"))
        ppr = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}")
        pitch = str(round(layout.line_pitch_pt * TWIPS_PER_PT))
        put(ppr, el("w:spacing", before="0", after="0", line=pitch, lineRule="exact"))
        # Word's default, written out: closing marks hang past the edge in Word and WPS, as in the
        # PDF.  LibreOffice reads this property the other way round (on means no hanging), and
        # must not hang: its print draws nothing past a paragraph's edge, and a hanging mark,
        # justified to that edge, was dropped from the page and its text (36 marks in 5 examples).
        flag(ppr, "w:overflowPunct", "1")

    def make(self, keep: set[str] | None = None) -> None:
        """Every style the writer uses; with `keep` (a bureau's reference document), those it has
        are left as they are."""
        layout = self.layout
        if keep is None:
            self.defaults()
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
        kept = {k.lower() for k in keep} if keep is not None else set()
        for style, role, size, options in specs:
            if STYLE_NAMES[style].lower() in kept:
                continue
            self.paragraph_style(STYLE_NAMES[style], layout.fonts[role].word_name, size, **options)
        # Outline levels let Word's navigation pane show the headings.
        for level, key in ((0, "一级标题"), (1, "二级标题"), (2, "三级标题")):
            ppr = self.doc.styles[STYLE_NAMES[key]].element.get_or_add_pPr()
            flag(ppr, "w:outlineLvl", str(level))


def sheet(section: Section, layout: Layout) -> None:
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
    if qn("w:charSpace") in grid.attrib:
        del grid.attrib[qn("w:charSpace")]


def section_end(doc: DocxDocument, paragraph: Any, layout: Layout, upright: Layout | None = None) -> None:
    """End a section at `paragraph` (Word keeps a section's settings in its last paragraph):
    the document's own page settings and footers, set for `layout`; a section turned across an
    `upright` document gets footers of its own that keep the page number in its upright place."""
    own = copy.deepcopy(doc.sections[-1]._sectPr)
    section = Section(own, doc.part)
    sheet(section, layout)
    if upright is not None:
        turned_footers(doc, section, upright)
    paragraph.get_or_add_pPr().append(own)


def turned_footers(doc: DocxDocument, section: Section, upright: Layout) -> None:
    """GB/T 9704 §8: on a page turned for a wide table the page number stays where the upright
    pages have it, turned with the sheet: in the turned page's left margin, low on odd pages and
    high on even ones, set by a floating one-cell table whose text runs top to bottom."""
    for reference in section._sectPr.findall(qn("w:footerReference")):
        section._sectPr.remove(reference)
    length = 60.0  # mm along the sheet's edge: room for "— 123 —"
    line = upright.page_height_mm - upright.pagenum_dash_mm  # the upright number line, turned
    inset = upright.pagenum_inset_chars * upright.pagenum_pt * 25.4 / 72
    odd_end = upright.margin_left_mm + upright.text_width_mm - inset
    even_start = upright.margin_left_mm + inset
    for footer, top, align in (
        (section.footer, odd_end - length, "right"),
        (section.even_page_footer, even_start, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.style = doc.styles[STYLE_NAMES["页码"]]
        paragraph._p.addprevious(_turned_number(line, top, length, align, upright))


def _turned_number(line: float, top: float, length: float, align: str, upright: Layout) -> Any:
    """A floating table of one cell (positions in mm on the turned page) holding "— PAGE —"."""

    def tw(mm: float) -> str:
        return str(round(mm * 1440 / 25.4))

    width = upright.pagenum_pt * 2 * 25.4 / 72
    size = str(round(upright.pagenum_pt * 2))
    name = upright.fonts["页码"].word_name
    font = f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}"/><w:sz w:val="{size}"/>'

    def run(inner: str) -> str:
        return f"<w:r><w:rPr>{font}</w:rPr>{inner}</w:r>"

    field = (
        run('<w:fldChar w:fldCharType="begin"/>')
        + run('<w:instrText xml:space="preserve"> PAGE </w:instrText>')
        + run('<w:fldChar w:fldCharType="separate"/>')
        + run("<w:t>1</w:t>")
        + run('<w:fldChar w:fldCharType="end"/>')
    )
    zero = "".join(f'<w:{side} w:w="0" w:type="dxa"/>' for side in ("top", "left", "bottom", "right"))
    pitch = str(round(upright.pagenum_pt * TWIPS_PER_PT))
    return parse_xml(
        f"<w:tbl {nsdecls('w')}><w:tblPr>"
        f'<w:tblpPr w:leftFromText="0" w:rightFromText="0" w:horzAnchor="page" w:vertAnchor="page"'
        f' w:tblpX="{tw(line - width / 2)}" w:tblpY="{tw(top)}"/>'
        f'<w:tblW w:w="{tw(width)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f"<w:tblCellMar>{zero}</w:tblCellMar></w:tblPr>"
        f'<w:tblGrid><w:gridCol w:w="{tw(width)}"/></w:tblGrid>'
        f'<w:tr><w:trPr><w:trHeight w:val="{tw(length)}" w:hRule="exact"/></w:trPr>'
        f'<w:tc><w:tcPr><w:tcW w:w="{tw(width)}" w:type="dxa"/><w:textDirection w:val="tbRl"/>'
        f'<w:vAlign w:val="center"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{pitch}" w:lineRule="exact"/>'
        f'<w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="{align}"/></w:pPr>'
        + run('<w:t xml:space="preserve">\u2014\u00a0</w:t>')
        + field
        + run('<w:t xml:space="preserve">\u00a0\u2014</w:t>')
        + "</w:p></w:tc></w:tr></w:tbl>"
    )


def footers(doc: DocxDocument, layout: Layout) -> None:
    section = doc.sections[0]
    doc.settings.odd_and_even_pages_header_footer = True
    _footer(doc, section.footer.paragraphs[0], layout, odd=True)
    _footer(doc, section.even_page_footer.paragraphs[0], layout, odd=False)


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            child = OxmlElement("w:fldChar")
            child.set(qn("w:fldCharType"), kind)
            run._r.append(child)
        elif text == instruction:
            child = OxmlElement("w:instrText")
            child.set(qn("xml:space"), "preserve")
            child.text = f" {instruction} "
            run._r.append(child)
        else:
            child = OxmlElement("w:t")
            child.text = text
            run._r.append(child)


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
