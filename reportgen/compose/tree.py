"""The composed document: one tree that both the Word and the PDF writer walk.

A template emits a small semantic HTML (h1–h4, p, table with rowspan/colspan, a label, a
signature); it is parsed once into these nodes, and every output is written from them, so the
Word file and the PDF can never say different things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from reportgen.errors import TemplateError


@dataclass
class Label:
    """附件 label, first line of the text block, flush left."""

    text: str


@dataclass
class Title:
    lines: list[str]


@dataclass
class Heading:
    level: int  # 1 一、  2 （一）  3 1.  4 （1）
    text: str


@dataclass
class Paragraph:
    text: str
    align: str = "body"  # body (indented, justified), left, center, right; note, unit (a table's small print)


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    align: str = "center"
    lines: list[str] = field(default_factory=list)  # paragraphs inside the cell, when more than one

    @property
    def paragraphs(self) -> list[str]:
        return self.lines or [self.text]


@dataclass
class Table:
    rows: list[list[Cell]]
    header_rows: int = 0
    widths: list[float] = field(default_factory=list)  # relative column widths
    kind: str = ""  # "form" for the self-evaluation table's smaller type
    groups: list[tuple[int, int]] = field(default_factory=list)  # row ranges kept on one page
    joined: bool = False  # printed as the continuation of the table above it: one form of two tables

    @property
    def columns(self) -> int:
        first = self.rows[0] if self.rows else []
        return sum(c.colspan for c in first)


@dataclass
class Signature:
    lines: list[str]


@dataclass
class AttachmentNote:
    """附件说明 under the body of a document that carries attachments (GB/T 9704 §7.3.4): one line
    down, two characters in, "附件：名称", numbered 1. 2. when there are several."""

    names: list[str]

    @property
    def lines(self) -> list[str]:
        """Each attachment's line: the first opens with 附件：, the others stand under its name."""
        if len(self.names) == 1:
            return [f"附件：{self.names[0]}"]
        return [("附件：" if n == 1 else "") + f"{n}.{name}" for n, name in enumerate(self.names, 1)]


@dataclass
class PageBreak:
    """The next node starts a page: between the documents of a bundle.  `turned`: what follows,
    up to the next break, is set across the sheet (a wide 自评表)."""

    turned: bool = False


Node = Label | Title | Heading | Paragraph | Table | Signature | AttachmentNote | PageBreak


@dataclass(frozen=True)
class Source:
    """The YAML a document was built from, embedded in its PDF as it was read."""

    name: str
    data: bytes


@dataclass
class Document:
    title: str
    nodes: list[Node]
    unit: str = ""  # the department, for the files' properties
    year: int | None = None
    issued: datetime = datetime(2000, 1, 1)  # the files' date (compose/dates.py)
    source: Source | None = None
    landscape: bool = False  # set across the sheet: a 自评表 whose columns need the width


def bundle(documents: list[Document]) -> Document:
    """One document of several (the report, then its 自评表), each from a new page, numbered on:
    what a department submits as one file.  The first names the others in its 附件说明; each
    after the first is labelled 附件N unless its template labels it; the whole carries the first
    one's title, date and source."""
    first = documents[0]
    nodes: list[Node] = list(first.nodes)
    signed = next((i for i, node in enumerate(nodes) if isinstance(node, Signature)), len(nodes))
    nodes.insert(signed, AttachmentNote([document.title for document in documents[1:]]))  # above the signature
    for number, document in enumerate(documents[1:], 1):
        nodes.append(PageBreak(turned=document.landscape))
        if not (document.nodes and isinstance(document.nodes[0], Label)):
            nodes.append(Label(f"附件{number}"))  # what follows the report is its attachment
        nodes.extend(document.nodes)
    return Document(first.title, nodes, first.unit, first.year, first.issued, first.source)


_HEADINGS = {"h2": 1, "h3": 2, "h4": 3, "h5": 4}


class MarkupError(TemplateError):
    """Output a document cannot hold, with the attribute (name, value) that was wrong, so that the
    line of the template that wrote it can be found (compose/sandbox.py: locate)."""

    def __init__(self, source: str, message: str, attribute: tuple[str, str]) -> None:
        super().__init__(f"{source}: 错误: {message}")
        self.bare, self.attribute = message, attribute


MAX_NODES = 6_000  # paragraphs, headings and tables of one document
MAX_CHARS = 400_000  # its text: a 160-page report has about 100,000
MAX_SPAN = {"colspan": 60, "rowspan": 2_000}  # columns or rows one cell may cover
MAX_CELLS = 20_000  # cells of one table


_SPAN = re.compile(r"[0-9]{1,6}")
_LAYOUT_BREAK = re.compile(r"\s*\n\s*")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def _clean(text: str) -> str:
    """Drop the template's own line breaks (Chinese joins lines without a space) and collapse
    runs of spaces, so a template may wrap its markup freely."""
    return _SPACES.sub(" ", _LAYOUT_BREAK.sub("", text)).strip()


def _text(element: etree._Element) -> str:
    return _clean("".join(str(piece) for piece in element.itertext()))


def parse(markup: str, source: str) -> Document:
    """Parse the template's output; anything outside the small vocabulary is a template error."""
    try:
        root = etree.fromstring(f"<doc>{markup}</doc>".encode(), etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(f"{source}: 错误: 模板输出的 HTML 不完整（{exc.msg}）") from exc
    body = root.find("body")
    container = body if body is not None else root
    nodes: list[Node] = []
    for element in container:
        if not isinstance(element.tag, str):
            continue
        tag = element.tag
        css = (element.get("class") or "").split()
        if tag == "div" and "label" in css:
            nodes.append(Label(_text(element)))
        elif tag == "h1":
            spans = element.findall("span")
            lines = [_text(s) for s in spans] if spans else [_text(element)]
            nodes.append(Title([line for line in lines if line]))
        elif tag in _HEADINGS:
            nodes.append(Heading(_HEADINGS[tag], _text(element)))
        elif tag == "p":
            align = next((a for a in ("left", "center", "right", "note", "unit") if a in css), "body")
            nodes.append(Paragraph(_text(element), align))
        elif tag == "table":
            nodes.append(_table(element, source))
        elif tag == "div" and "signature" in css:
            nodes.append(Signature([_text(p) for p in element.findall("p")]))
        else:
            raise TemplateError(f"{source}: 错误: 模板输出了不支持的元素 <{tag}>")
    _bounded(nodes, source)
    title_node = next((n for n in nodes if isinstance(n, Title)), None)
    return Document("".join(title_node.lines) if title_node else "", nodes)


def _bounded(nodes: list[Node], source: str) -> None:
    """A template writes what the report says; output far beyond any report is a template that
    loops, and is stopped before it is laid out."""
    if len(nodes) > MAX_NODES:
        raise TemplateError(f"{source}: 错误: 模板输出的段落和表格过多（{len(nodes)} 个，上限 {MAX_NODES}）")
    chars = 0
    for node in nodes:
        if isinstance(node, Table):
            chars += sum(len(c.text) for row in node.rows for c in row)
        else:
            chars += len(getattr(node, "text", "") or "".join(getattr(node, "lines", [])))
    if chars > MAX_CHARS:
        raise TemplateError(f"{source}: 错误: 模板输出的文字过长（{chars} 字，上限 {MAX_CHARS}）")


def _table(element: etree._Element, source: str) -> Table:
    rows: list[list[Cell]] = []
    header_rows = 0
    groups: list[tuple[int, int]] = []
    widths = _widths(element.get("data-widths") or "", source)
    for section in element:
        if not isinstance(section.tag, str):
            continue
        if section.tag not in ("thead", "tbody", "tr"):
            raise TemplateError(f"{source}: 错误: 表格中不支持 <{section.tag}>")
        trs = [section] if section.tag == "tr" else section.findall("tr")
        first = len(rows)
        for tr in trs:
            cells = [_cell(td, source) for td in tr if isinstance(td.tag, str)]
            rows.append(cells)
            if section.tag == "thead":
                header_rows += 1
        if section.tag == "tbody" and "keep" in (section.get("class") or "").split() and len(rows) - first > 1:
            groups.append((first, len(rows) - 1))
    if sum(c.colspan for row in rows for c in row) > MAX_CELLS:
        raise TemplateError(f"{source}: 错误: 模板输出的表格过大（超过 {MAX_CELLS} 格）")
    joined = (element.get("data-joined") or "") == "above"
    return Table(rows, header_rows, widths, element.get("class") or "", groups, joined)


def _cell(td: etree._Element, source: str) -> Cell:
    if td.tag not in ("td", "th"):
        raise TemplateError(f"{source}: 错误: 表格行中不支持 <{td.tag}>")
    css = (td.get("class") or "").split()
    paragraphs = [_text(p) for p in td.findall("p")]
    return Cell(
        "".join(paragraphs) if paragraphs else _text(td),
        rowspan=_span(td, "rowspan", source),
        colspan=_span(td, "colspan", source),
        header=td.tag == "th",
        align=next((a for a in ("left", "center", "right") if a in css), "center"),
        lines=paragraphs if len(paragraphs) > 1 else [],
    )


def _span(td: etree._Element, name: str, source: str) -> int:
    value = (td.get(name) or "1").strip()
    # ASCII digits only: "²" and "١" are digits to str.isdigit() but not to int()
    if not _SPAN.fullmatch(value) or not 1 <= int(value) <= MAX_SPAN[name]:
        limit, shown = MAX_SPAN[name], value if len(value) <= 20 else value[:20] + "…"
        message = f'模板输出的表格中 {name}="{shown}" 无效（应为 1 到 {limit} 的整数）'
        raise MarkupError(source, message, (name, value))
    return int(value)


def _widths(value: str, source: str) -> list[float]:
    try:
        widths = [float(w) for w in value.split()]
    except ValueError:
        widths = [-1.0]
    if any(not 0 < w <= 1000 for w in widths):
        raise TemplateError(f'{source}: 错误: 模板输出的表格 data-widths="{value}" 无效（应为正数，以空格分隔）')
    return widths
