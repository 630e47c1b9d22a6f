"""Reading text back out of the outputs, and measuring how much of a seed they reproduce."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WS = re.compile(r"\s+")
_PAGE_NUMBER = re.compile(r"^\s*\u2014\s*\d+\s*\u2014\s*$")
_LIST_MARK = re.compile(r"^\s*- ", re.M)


def squash(text: str) -> str:
    """Whitespace (and so line and page breaks) removed: the extraction's artefacts."""
    return _WS.sub("", text)


def docx_paragraphs(path: Path) -> list[str]:
    """Body text in reading order: paragraphs, and table cells row by row (merged cells once)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    body = root.find(f"{W}body")
    out: list[str] = []

    def para_text(p: etree._Element) -> str:  # without the break opportunities, which print nothing
        return "".join(t.text or "" for t in p.iter(f"{W}t")).replace("\u200b", "")

    for el in body:
        if el.tag == f"{W}p":
            out.append(para_text(el))
        elif el.tag == f"{W}tbl":
            for tr in el.iter(f"{W}tr"):
                for tc in tr.findall(f"{W}tc"):
                    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                    if vmerge is not None and vmerge.get(f"{W}val") != "restart":
                        continue
                    out.append("".join(para_text(p) for p in tc.findall(f"{W}p")))
    return [t for t in out if t.strip()]


def pdf_pages(path: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def pdf_body_text(path: Path) -> str:
    """PDF text without the page-number lines."""
    lines = []
    for page in pdf_pages(path):
        lines.extend(line for line in page.splitlines() if not _PAGE_NUMBER.match(line))
    return "\n".join(lines)


def seed_sentences(seed: Path) -> list[str]:
    """The seed's sentences, extraction artefacts (whitespace, page breaks, list dashes) removed."""
    text = _LIST_MARK.sub("", seed.read_text(encoding="utf-8"))
    flat = squash(text)
    parts = re.split(r"(?<=[。；！？])", flat)
    return [p for p in parts if p]


def missing_sentences(seed: Path, output_text: str) -> list[str]:
    haystack = squash(output_text)
    return [s for s in seed_sentences(seed) if s not in haystack]


def without_repeats(text: str, piece: str) -> str:
    """The text with every occurrence of `piece` after the first removed: a table's header row
    that the PDF repeats at the top of each page it runs onto."""
    first = text.find(piece)
    if first < 0:
        return text
    head = text[: first + len(piece)]
    return head + text[first + len(piece) :].replace(piece, "")


def row_cells(tr: etree._Element) -> list[tuple[str, int, str | None]]:
    """A Word table row's cells: (text, grid columns spanned, vertical merge: restart, continue or None)."""
    out = []
    for tc in tr.findall(f"{W}tc"):
        span = tc.find(f"{W}tcPr/{W}gridSpan")
        merge = tc.find(f"{W}tcPr/{W}vMerge")
        text = "".join(t.text or "" for t in tc.iter(f"{W}t"))
        out.append(
            (
                text,
                int(span.get(f"{W}val")) if span is not None else 1,
                None if merge is None else merge.get(f"{W}val", "continue"),
            )
        )
    return out


def docx_with_body(source: Path, target: Path, inserted: bytes, *, into_paragraph: bool = False) -> Path:
    """A copy of a Word file with `inserted` placed at the start of its body (or, with
    `into_paragraph`, as the attributes of an empty first paragraph)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                head = b"<w:body><w:p " + inserted + b"/>" if into_paragraph else b"<w:body>" + inserted
                data = data.replace(b"<w:body>", head, 1)
            dst.writestr(info, data)
    return target


def form_rows(docx: Path) -> list[list[str]]:
    """Every table row of a Word file, in order, as the texts of the cells that start there
    (a cell merged down from above is left out), with U+200B and the like dropped."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    rows = []
    for tr in root.iter(f"{W}tr"):
        rows.append([squash(text) for text, _, merge in row_cells(tr) if merge != "continue"])
    return rows
