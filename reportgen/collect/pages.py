"""Whether a PDF's pages say what its attached YAML says.

The bureau's workbook is made from the attached YAML, so a PDF whose visible text was made from
another file (or edited after it was built) would enter the summary with figures the reader of
the pages never saw.  The YAML is composed again as the build composed it (report and 自评表),
and each of its sentences and figure cells is looked for in the pages' text (spaces, line ends
and the marks a PDF's text layer adds left out): a PDF reportgen built from that YAML holds all
of them; one that holds few was not built from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.compose.tree import Document, Heading, Paragraph, Table, Title

ENOUGH = 0.95  # of the YAML's sentences found on the pages; every title and figure must be
MAX_PAGES = 300
_DROP = re.compile(r"[\s\u200b\u2005\u2060\u00ad\ufeff]")
_PAGE_NUMBER = re.compile(r"—\d{1,4}—")  # "— 2 —", once its spaces are gone
_SENTENCE = re.compile(r"(?<=[。；！？])")


@dataclass(frozen=True)
class Agreement:
    found: int
    wanted: int
    missing: list[str]  # a few of the pieces the pages lack, the titles and figures first
    figures_missing: int = 0  # of the pieces that hold the title or a figure: what the workbook takes

    @property
    def share(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0

    @property
    def agrees(self) -> bool:
        return self.figures_missing == 0 and self.share >= ENOUGH


def page_text(pdf: Path) -> str | None:
    """The pages' text, squashed; None when its pages cannot be read within bounds."""
    import pypdfium2 as pdfium

    from reportgen.errors import InputError
    from reportgen.input.pdf_bounds import check_pdf

    try:
        check_pdf(pdf)
    except InputError:
        return None

    try:
        document = pdfium.PdfDocument(str(pdf))
    except Exception:
        return ""
    try:
        parts = []
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            text = page.get_textpage().get_text_range()
            parts.append(text)
            page.close()
        return _squash("".join(parts))
    finally:
        document.close()


def _squash(text: str) -> str:
    return _PAGE_NUMBER.sub("", _DROP.sub("", text))


def pieces(documents: list[Document]) -> tuple[list[str], set[str]]:
    """What a reader of the pages would read of the documents: each sentence of the text, and
    each table cell that holds a figure; and those of them that are a title or hold a figure."""
    found: list[str] = []
    key: set[str] = set()
    for document in documents:
        for node in document.nodes:
            parts = [p for p in _node_pieces(node) if len(p) >= 4]
            found += parts
            key.update(p for p in parts if isinstance(node, Title) or re.search(r"\d", p))
    return list(dict.fromkeys(found)), key


def _node_pieces(node: Any) -> list[str]:
    if isinstance(node, Title):
        return [_squash("".join(node.lines))]
    if isinstance(node, Heading):
        return [_squash(node.text)]
    if isinstance(node, Paragraph):
        return [_squash(s) for s in _SENTENCE.split(node.text) if s.strip()]
    if isinstance(node, Table):
        return [_squash(cell.text) for row in node.rows for cell in row if re.search(r"\d", cell.text)]
    return []


def agreement(pdf: Path, documents: list[Document], text: str | None = None) -> Agreement:
    text = (page_text(pdf) or "") if text is None else text
    wanted, key = pieces(documents)
    missing = sorted((p for p in wanted if p not in text), key=lambda p: p not in key)
    return Agreement(len(wanted) - len(missing), len(wanted), missing[:3], sum(p in key for p in missing))
