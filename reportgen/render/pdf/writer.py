"""PDF through WeasyPrint, imported only here: it costs half a second to load."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from reportgen.compose.tree import AttachmentNote, Document, Heading, Label, Paragraph, Signature, Table, Title
from reportgen.errors import RenderError
from reportgen.fonts import faces
from reportgen.page import Layout
from reportgen.render import grid
from reportgen.render.grid import Settled
from reportgen.render.layout_memo import LayoutMemo
from reportgen.render.pdf import engine
from reportgen.render.pdf.html import file_faces
from reportgen.render.pdf.html import render as render_html
from reportgen.render.pdf.justify import QUARTER_EM


def text_by_role(document: Document) -> dict[str, str]:
    """Which text each font role must draw, to check glyph coverage before rendering."""
    roles = ("正文", "标题", "一级标题", "二级标题", "附件标签", "页码", "表格")
    uses: dict[str, list[str]] = {role: [] for role in roles}
    uses["页码"].append("—0123456789")
    for node in document.nodes:
        if isinstance(node, Title):
            uses["标题"].extend(node.lines)
        elif isinstance(node, Label):
            uses["附件标签"].append(node.text)
        elif isinstance(node, Heading):
            uses[{1: "一级标题", 2: "二级标题"}.get(node.level, "正文")].append(node.text)
        elif isinstance(node, Paragraph):
            uses["表格" if node.align in ("note", "unit") else "正文"].append(node.text)
        elif isinstance(node, Signature | AttachmentNote):
            uses["正文"].extend(node.lines)
        elif isinstance(node, Table):
            uses["表格"].extend(cell.text for row in node.rows for cell in row)
    return {role: "".join(parts) for role, parts in uses.items()}


def resolve_roles(layout: Layout) -> dict[str, faces.Resolved]:
    return {role: faces.resolve(spec) for role, spec in layout.fonts.items()}


def _fetcher(supplied: list[faces.Face]) -> Any:
    """Documents are self-contained: never read the network, nor any file but the font files the
    stylesheet names (a template's, a scanned folder's), each face as its own font."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {unquote(face.url): face for face in supplied}

    class Fetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            face = allowed.get(unquote(url)) if urlparse(url).scheme == "file" else None
            if face is None:
                raise ValueError(f"外部资源不被允许: {url}")
            return URLFetcherResponse(url, faces.face_data(face.file, face.index))

    return Fetcher()


def lay_out(document: Document, layout: Layout) -> tuple[Any, Settled]:
    """The document laid out in pages with the text after each table on the line grid and merged
    cells cut where a page starts: the engine's laid-out document and what it was laid out with
    (the Word file takes the same)."""
    roles = resolve_roles(layout)
    faces.check_coverage(text_by_role(document), roles)
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    weasyprint = engine.weasyprint()
    from reportgen.render.pdf import justify

    justify.install()
    fetcher = _fetcher(file_faces(roles))
    # one font configuration for every pass: font files are read and registered once
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()

    def one_pass(settled: Settled, only: Sequence[int] | None = None, new_pages: Collection[int] = ()) -> Any:
        html = render_html(document, layout, roles, settled, only=only, new_pages=new_pages)
        if narrow:
            html = _without_cell_autospace(html)
        return weasyprint.HTML(string=html, url_fetcher=fetcher).render(font_config=font_config)

    def html_of(settled: Settled, only: Sequence[int] | None = None, new_pages: Collection[int] = ()) -> str:
        html = render_html(document, layout, roles, settled, only=only, new_pages=new_pages)
        return _without_cell_autospace(html) if narrow else html

    fonts = "\0".join(f"{f.file}:{f.index}" for f in file_faces(roles))
    memo = LayoutMemo(html_of, fonts)
    narrow = False
    try:
        return grid.settle(one_pass, document, layout, memo)
    except AssertionError as exc:
        if "between two lines" not in str(exc):
            raise
    # A table so narrow that a line breaks at the quarter-em space between a Chinese character
    # and a figure, which the engine cannot set: its cells are set without that space.
    narrow = True
    try:
        return grid.settle(one_pass, document, layout, memo)
    except AssertionError as exc:
        raise RenderError("表格列数过多、列宽过窄，PDF 无法排版：请减少列数或拆成两个表格") from exc


def render(document: Document, layout: Layout, target: Path) -> Settled:
    laid, settled = lay_out(document, layout)
    write(laid, document, target)
    return settled


_CELL = re.compile(r"(<t[dh][^>]*>)(.*?)(</t[dh]>)", re.S)


def _without_cell_autospace(html: str) -> str:
    return _CELL.sub(lambda m: m[1] + m[2].replace(QUARTER_EM, "") + m[3], html)


PDF_VARIANT = "pdf/a-3u"  # archival, every font embedded with its text mapping, files attached
SOURCE_MIME = "application/yaml"  # RFC 9512


def write(laid: Any, document: Document, target: Path) -> None:
    """The laid-out pages as PDF/A-3u, with the YAML the document was built from attached as
    its source (AFRelationship /Source), dated like the document so that rebuilds are identical."""
    weasyprint = engine.weasyprint()
    attachments = []
    if document.source is not None:
        attachments.append(
            weasyprint.Attachment(
                string=document.source.data,
                name=document.source.name,
                description="生成本文件的 YAML 源文件（reportgen extract 可取出）",
                created=document.issued,
                modified=document.issued,
                relationship="Source",
            )
        )
    laid.write_pdf(target, pdf_variant=PDF_VARIANT, attachments=attachments, finisher=_finish, uncompressed_pdf=False)


def _finish(_document: Any, pdf: Any) -> None:
    """What WeasyPrint leaves generic: the attachment's media type (it knows none for .yaml), the
    plain-ASCII file name PDF readers without Unicode names show (/UF keeps the real one), and
    the catalogue's list of associated files, where it names each attachment twice."""
    import pydyf

    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))
    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/Filespec":
            continue
        reference = int(obj["EF"]["F"].split()[0])
        pdf.objects[reference].extra["Subtype"] = "/" + SOURCE_MIME.replace("/", "#2f")
        name = getattr(obj.get("UF"), "string", "")
        obj["F"] = pydyf.String(name if isinstance(name, str) and name.isascii() else "source.yaml")
