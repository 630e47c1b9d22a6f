"""Word output (python-docx) in the official layout, from the same tree as the PDF.

The document is written node by node into python-docx's body; the writer keeps what it looks up
once (style ids, where the body ends) in its own object.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

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
from reportgen.page import TWIPS_PER_PT, Layout, mm_to_pt
from reportgen.render.columns import Fit, fit_in, turned
from reportgen.render.continued import cut
from reportgen.render.grid import UNSETTLED, Settled
from reportgen.render.keep import keeps_with_next
from reportgen.render.measure import annex_hang_pt, measure_for
from reportgen.render.titles import title_lines
from reportgen.render.word import styles
from reportgen.render.word.oxml import el, put
from reportgen.render.word.package import Properties, finish
from reportgen.render.word.styles import ALIGN, STYLE_NAMES
from reportgen.template.reference import cleaned

SECT_PR = qn("w:sectPr")
PARAGRAPH = qn("w:p")


def _border(tbl_pr: Any) -> None:
    borders = el("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        # sz in eighths of a point: 0.5 pt rules
        borders.append(el(f"w:{side}", val="single", sz="4", space="0", color="000000"))
    put(tbl_pr, borders)


def _cell_margins(tbl_pr: Any, layout: Layout, form: bool) -> None:
    vertical, horizontal = layout.cell_padding("form" if form else "table")
    margins = el("w:tblCellMar")
    for side, pt in (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)):
        margins.append(el(f"w:{side}", w=str(round(pt * TWIPS_PER_PT)), type="dxa"))
    put(tbl_pr, margins)


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


def _hairline(paragraph: DocxParagraph, height: float = 1.0) -> None:
    """An empty paragraph that takes next to no room (it carries a section's end, or keeps two
    tables apart that Word would otherwise join into one)."""
    paragraph.paragraph_format.line_spacing = Pt(height)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(0)


def _hanging_indent(left: float, hanging: float) -> Any:
    """A paragraph indented `left` points, its first line `hanging` points less (no character
    units, which Word would take over the points)."""
    return el(
        "w:ind",
        left=str(round(left * TWIPS_PER_PT)),
        hanging=str(round(hanging * TWIPS_PER_PT)),
        firstLineChars="0",
    )


JOINT_PT = 0.5  # the paragraph between the two tables of one form: as high as a rule is thick


def _open_bottom(tbl: Any) -> None:
    """The table above a joined one leaves its bottom rule to the table below, which is kept on
    the same page: one rule where they meet, as in the PDF."""
    borders = tbl.find(qn("w:tblPr")).find(qn("w:tblBorders"))
    bottom = borders.find(qn("w:bottom"))
    bottom.set(qn("w:val"), "nil")
    for key in ("w:sz", "w:space", "w:color"):
        bottom.attrib.pop(qn(key), None)
    last_row = tbl.findall(qn("w:tr"))[-1]
    for p in last_row.iter(PARAGRAPH):
        p.get_or_add_pPr().keepNext_val = True


class WordWriter:
    """One Word document being written: python-docx's document and what the writer looked up once."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        reference = layout.reference_docx
        # a bureau's reference document as cleaned (template/reference.py): its styles, page setup
        # and footers, never its links, macros, objects or fields that fetch
        self.doc: DocxDocument = new_docx(io.BytesIO(cleaned(Path(reference)).data)) if reference else new_docx()
        self.body = self.doc.element.body
        for child in list(self.body):
            if child.tag != SECT_PR:
                self.body.remove(child)
        self.styles = styles.Styles(self.doc, layout)
        if reference:
            # A bureau's reference document (as in pandoc): its styles, page setup and footers win;
            # only what it lacks is added.
            self.styles.make(keep=set(self.styles.names))
            section = self.doc.sections[0]
            if section._sectPr.find(qn("w:pgSz")) is None:  # a reference without page setup: the layout's
                styles.sheet(section, layout)
            if section._sectPr.find(qn("w:footerReference")) is None:
                styles.footers(self.doc, layout)
        else:
            self.styles.make()
            styles.sheet(self.doc.sections[0], layout)
            styles.footers(self.doc, layout)
        self._style_ids: dict[str, str] = {}
        # python-docx looks for sectPr among all the body's children at every addition (quadratic
        # in a long report): the place where blocks go is found once
        self._end = self.body.find(SECT_PR)
        self._after_label = False
        self._index = 0  # the node being written
        self._nodes: list[Node] = []  # the document's, for a table's neighbours
        self._tables: dict[int, tuple[Any, Table, Fit]] = {}  # node index → its w:tbl, to cut later
        self._opened: set[int] = set()  # tables whose bottom rule the joined table below draws

    def style_id(self, name: str) -> str:
        """Style ids looked up once: python-docx scans every style on each assignment by name."""
        if name not in self._style_ids:
            self._style_ids[name] = self.doc.styles[name].style_id
        return self._style_ids[name]

    def append(self, element: Any) -> None:
        """A block at the end of the body, before its section properties."""
        if self._end is None:
            self.body.append(element)
        else:
            self._end.addprevious(element)

    def paragraph(
        self, parent: Any, text: str, style: str, align: str | None = None, *, in_cell: bool = False
    ) -> DocxParagraph:
        p = cast(CT_P, OxmlElement("w:p"))
        paragraph = DocxParagraph(p, parent)
        p.style = self.style_id(style)
        if text:
            paragraph.add_run(text)
        if align is not None:
            paragraph.paragraph_format.alignment = ALIGN[align]
            if align != "body" and not in_cell:  # table styles have no first-line indent to undo
                paragraph.paragraph_format.first_line_indent = Pt(0)
        return paragraph

    def add(self, text: str, style: str, align: str | None = None) -> DocxParagraph:
        paragraph = self.paragraph(self.doc._body, text, style, align)
        self.append(paragraph._p)
        return paragraph

    # -- one method for each kind of node ------------------------------------------------------

    def label(self, node: Label) -> None:
        self.add(node.text, STYLE_NAMES["附件标签"])

    def title(self, node: Title, after_label: bool) -> None:
        if after_label:
            self.add("", STYLE_NAMES["标题"])  # the blank line 2 that puts the title on line 3
        for line in title_lines(node.lines, self.layout.title_capacity_em, measure_for(self.layout, "标题").width):
            self.add(line, STYLE_NAMES["标题"])
        self.add("", "Normal")  # one blank line under the title

    def heading(self, node: Heading) -> None:
        self.add(node.text, STYLE_NAMES[{1: "一级标题", 2: "二级标题"}.get(node.level, "三级标题")])

    def text(self, node: Paragraph) -> None:
        if node.align in ("note", "unit"):
            paragraph = self.add(node.text, STYLE_NAMES["注"], "right" if node.align == "unit" else None)
        else:
            paragraph = self.add(node.text, "Normal", None if node.align == "body" else node.align)
        if self._nodes and keeps_with_next(self._nodes, self._index):
            paragraph.paragraph_format.keep_with_next = True

    def attachments(self, node: AttachmentNote) -> None:
        """附件说明: a blank line, then each name two characters in, its wrapped lines under its
        first character."""
        self.add("", "Normal")
        hang = annex_hang_pt(self.layout, len(node.names) > 1)
        for n, line in enumerate(node.lines):
            p = self.add(line, "Normal", "left")
            left = self.layout.indent_pt + hang
            if n == 0:
                put(p._p.get_or_add_pPr(), _hanging_indent(left, hang))
            else:
                put(p._p.get_or_add_pPr(), _hanging_indent(left, hang - 3 * self.layout.advance_pt))

    def signature(self, node: Signature) -> None:
        self.add("", "Normal")
        for line in node.lines:
            p = self.add(line, "Normal", "right")
            p.paragraph_format.right_indent = Pt(self.layout.indent_pt)

    def turned_table(self, node: Table) -> None:
        """A table too wide for the upright page on a page of its own across the sheet: the section
        before it ends with the paragraph before it (a hairline one when a table comes first)."""
        before = [child for child in self.body if child.tag != SECT_PR]
        if not before or before[-1].tag != PARAGRAPH:
            _hairline(self.add("", "Normal"))
        last = [child for child in self.body if child.tag == PARAGRAPH][-1]
        styles.section_end(self.doc, last, self.layout)
        self.table(node, self.layout.landscape())
        after = self.add("", "Normal")
        _hairline(after)
        styles.section_end(self.doc, after._p, self.layout.landscape(), upright=self.layout)

    def joint(self) -> None:
        """Between the two tables of one form: a paragraph of half a point, kept with the table
        below (two tables with nothing between them are one table to Word, whose header rows
        would then not be the indicator table's)."""
        before = [child for child in self.body if child.tag != SECT_PR]
        if not before or before[-1].tag != qn("w:tbl"):
            return
        _open_bottom(before[-1])
        self._opened.update(i for i, (tbl, _, _) in self._tables.items() if tbl is before[-1])
        joint = self.add("", STYLE_NAMES["表单"])
        _hairline(joint, JOINT_PT)
        joint.paragraph_format.keep_with_next = True
        joint.paragraph_format.first_line_indent = Pt(0)

    def table(self, node: Table, layout: Layout) -> None:
        setting = fit_in(self._nodes, self._index, layout) if self._nodes else fit_in([node], 0, layout)
        tbl = self._table_element(node, layout, setting)
        self._tables[self._index] = (tbl, node, setting)
        self.append(tbl)

    def cut_tables(self, settled: Settled) -> None:
        """Each table a page starts inside a merged cell of, written again with the cell cut there
        (the PDF's layout found the rows), its label repeated on the page it continues on."""
        for index, (tbl, node, setting) in self._tables.items():
            starts = settled.starts(index)
            if not starts:
                continue
            layout = self.layout.landscape() if turned(node, self.layout) else self.layout
            again = self._table_element(cut(node, starts), layout, setting)
            if index in self._opened:
                _open_bottom(again)
            tbl.addprevious(again)
            tbl.getparent().remove(tbl)

    def _table_element(self, node: Table, layout: Layout, setting: Fit) -> Any:
        """The table as WordprocessingML, written in one pass over its cells: merges as gridSpan and
        vMerge, the column grid WPS needs, header rows repeated, rows never split."""
        widths = [round(w * TWIPS_PER_PT) for w in setting.widths]
        tbl = OxmlElement("w:tbl")
        tbl.append(self._table_properties(node, layout))
        grid_el = OxmlElement("w:tblGrid")  # WPS drops tables without an explicit grid
        for width in widths:
            grid_el.append(el("w:gridCol", w=str(width)))
        tbl.append(grid_el)
        style = STYLE_NAMES["表单" if node.kind == "form" else "表格"]
        own_size = setting.size != (layout.form_pt if node.kind == "form" else layout.table_pt)
        sized = (setting.size, setting.line) if own_size else None  # stepped down to fit the content
        keep = {r for first, last in node.groups for r in range(first, last)}  # a group stays on one page
        for r, row_cells in enumerate(_grid(node)):
            tr = OxmlElement("w:tr")
            tr_pr = OxmlElement("w:trPr")
            tr_pr.append(OxmlElement("w:cantSplit"))
            if r < node.header_rows:
                tr_pr.append(OxmlElement("w:tblHeader"))
            tr.append(tr_pr)
            c = 0
            while c < node.columns:
                owner = row_cells[c]
                span = 1 if owner is None else min(owner[0].colspan, node.columns - owner[2])
                width = sum(widths[c : c + span])
                lines = self._lines(owner, r, setting, sum(setting.widths[c : c + span]))
                tr.append(self._cell(owner, r, width, span, style, r in keep, sized, lines))
                c += span
            tbl.append(tr)
        return tbl

    @staticmethod
    def _table_properties(node: Table, layout: Layout) -> Any:
        tbl_pr = OxmlElement("w:tblPr")
        put(tbl_pr, el("w:tblW", w=str(round(mm_to_pt(layout.text_width_mm) * TWIPS_PER_PT)), type="dxa"))
        put(tbl_pr, el("w:jc", val="center"))
        _border(tbl_pr)
        put(tbl_pr, el("w:tblLayout", type="fixed"))
        _cell_margins(tbl_pr, layout, node.kind == "form")
        return tbl_pr

    @staticmethod
    def _lines(owner: tuple[Cell, int, int] | None, r: int, setting: Fit, width: float) -> list[list[str]]:
        """Each paragraph of the cell that starts in row `r` as the lines the fit sets it in."""
        if owner is None or owner[1] != r:
            return [[""]]  # a cell merged from above: one empty paragraph
        return [setting.lines(text, width) for text in owner[0].paragraphs]

    def _cell(
        self,
        owner: tuple[Cell, int, int] | None,
        r: int,
        width: int,
        span: int,
        style: str,
        keep_next: bool,
        sized: tuple[float, float] | None,
        lines: list[list[str]],
    ) -> Any:
        tc = OxmlElement("w:tc")
        tc_pr = OxmlElement("w:tcPr")
        tc_pr.append(el("w:tcW", w=str(width), type="dxa"))
        if span > 1:
            tc_pr.append(el("w:gridSpan", val=str(span)))
        first_row = owner is None or owner[1] == r
        if owner is not None and owner[0].rowspan > 1:
            tc_pr.append(el("w:vMerge", val="restart") if first_row else OxmlElement("w:vMerge"))
        tc_pr.append(el("w:vAlign", val="center"))
        tc.append(tc_pr)
        cell = owner[0] if owner is not None and first_row else None
        for paragraph_lines in lines:  # a cell holds at least one paragraph
            align = cell.align if cell is not None else "center"
            paragraph = self.paragraph(None, paragraph_lines[0], style, align, in_cell=True)
            for line in paragraph_lines[1:]:  # a label set in balanced lines: the breaks are the PDF's
                run = paragraph.runs[-1]
                run.add_break()
                run.add_text(line)
            if keep_next:
                paragraph.paragraph_format.keep_with_next = True
            if sized is not None:
                paragraph.paragraph_format.line_spacing = Pt(sized[1])
                paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                for run in paragraph.runs:
                    run.font.size = Pt(sized[0])
            tc.append(paragraph._p)
        return tc

    def node(self, node: Node, after_label: bool) -> None:
        if isinstance(node, Label):
            self.label(node)
        elif isinstance(node, Title):
            self.title(node, after_label)
        elif isinstance(node, Heading):
            self.heading(node)
        elif isinstance(node, Paragraph):
            self.text(node)
        elif isinstance(node, Table):
            if turned(node, self.layout):
                self.turned_table(node)
            else:
                if node.joined:
                    self.joint()
                self.table(node, self.layout)
        elif isinstance(node, Signature):
            self.signature(node)
        elif isinstance(node, AttachmentNote):
            self.attachments(node)

    def write(self, document: Document, settled: Settled | Callable[[], Settled] | None) -> DocxDocument:
        body = self.body
        followers: dict[int, Any] = {}  # node index → its first paragraph, given the space later
        after_label = False
        for index, node in enumerate(document.nodes):
            if isinstance(node, PageBreak):
                continue
            first = len(body) - (1 if len(body) and body[-1].tag == SECT_PR else 0)  # where it goes
            self._index, self._nodes = index, document.nodes
            self.node(node, after_label)
            after_label = after_label or isinstance(node, Label)
            if index > 0 and isinstance(document.nodes[index - 1], PageBreak) and body[first].tag == PARAGRAPH:
                DocxParagraph(body[first], self.doc._body).paragraph_format.page_break_before = True
            if body[first].tag == PARAGRAPH:
                followers[index] = body[first]
        found = settled() if callable(settled) else settled or UNSETTLED
        for index, points in found.pads.items():
            if points and index in followers:
                DocxParagraph(followers[index], self.doc._body).paragraph_format.space_before = Pt(points)
        self.cut_tables(found)
        return self.doc


def build(document: Document, layout: Layout, settled: Settled | Callable[[], Settled] | None = None) -> DocxDocument:
    """The Word document; `settled` is what the PDF's layout found (render/grid.py): the space
    before the paragraphs after tables that puts them on the line grid, the rows where a page
    cuts a merged cell; or what gives it once asked: it is asked for when the rest of the
    document is built, so that the layout (in the PDF's process) and the building go on at once."""
    return WordWriter(layout).write(document, settled)


def render(
    document: Document, layout: Layout, target: Path, settled: Settled | Callable[[], Settled] | None = None
) -> None:
    buffer = io.BytesIO()
    build(document, layout, settled).save(buffer)
    properties = Properties(document.title, document.unit, document.year, document.issued)
    target.write_bytes(finish(buffer.getvalue(), properties, own_styles=layout.reference_docx is None))
