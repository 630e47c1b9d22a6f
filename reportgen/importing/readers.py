"""Reading a narrative report into paragraphs and tables: a Word file, a PDF, or text.

Every reader returns the 附件 label, the title lines and the items after them.  Input is
untrusted: sizes are bounded before a file is opened and a damaged file is one message.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.importing.items import Grid, Item, Para
from reportgen.importing.lines import clean, is_page_artefact, paragraphs, split_head, title_complete

MAX_BYTES = 50_000_000
MAX_PAGES = 300
TEXT_SUFFIXES = (".txt", ".text", ".md")


def read(path: Path) -> tuple[str, list[str], list[Item]]:
    name = str(path)
    if not path.is_file():
        raise InputError(f"{name}: 错误: 文件不存在" if not path.exists() else f"{name}: 错误: 不是文件")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{name}: 错误: 文件过大（{size // 1_000_000} MB，上限 {MAX_BYTES // 1_000_000} MB）")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix in TEXT_SUFFIXES:
        return _text(path)
    raise InputError(f"{name}: 错误: 只能导入 .docx、.pdf 或 .txt 文件（旧的 .doc 请先在 Word 或 WPS 中另存为 .docx）")


def _text(path: Path) -> tuple[str, list[str], list[Item]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path}: 错误: 文本文件的编码无法识别（请另存为 UTF-8）")
    label, title, rest = split_head(text.splitlines())
    return label, title, list(paragraphs(rest))


# ---------------------------------------------------------------- Word

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path: Path) -> tuple[str, list[str], list[Item]]:
    from reportgen.input.archives import check_archive

    check_archive(path, "该文件")
    try:
        from docx import Document

        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"{path}: 错误: 无法读取，文件可能已损坏或不是 Word 文件") from exc
    from reportgen.importing.word_numbering import Numbering

    styles = {s.style_id: (s.name or "") for s in document.styles}
    numbering = Numbering.of(document)
    items: list[Item] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{W}p":
            text = clean("".join(t.text or "" for t in element.iter(f"{W}t")))
            text = numbering.prefix(element) + text if text else text  # 一、 drawn by Word's numbering
            if text and not is_page_artefact(text):
                style = element.find(f"{W}pPr/{W}pStyle")
                items.append(Para(text, styles.get(style.get(f"{W}val"), "") if style is not None else ""))
        elif element.tag == f"{W}tbl":
            items.append(_word_table(element))
    return _head(items)


MAX_SPAN = 64  # columns one cell of a report's table may span; Word itself allows 63


def _span(value: str) -> int:
    """A cell's gridSpan as Word would take it: a small whole number, else 1."""
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_SPAN else 1


def _word_table(tbl: object) -> Grid:
    """Rows of cell texts; a horizontally or vertically merged cell repeated over its span."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}
    for tr in tbl.iter(f"{W}tr"):  # type: ignore[attr-defined]
        row: list[str] = []
        column = 0
        for tc in tr.findall(f"{W}tc"):
            span_el = tc.find(f"{W}tcPr/{W}gridSpan")
            span = _span(span_el.get(f"{W}val", "1")) if span_el is not None else 1
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            text = "".join(clean("".join(t.text or "" for t in p.iter(f"{W}t"))) for p in tc.findall(f"{W}p"))
            if merge is not None and merge.get(f"{W}val") != "restart":
                text = above.get(column, "")
            for offset in range(span):
                above[column + offset] = text
            row.extend([text] * span)
            column += span
        rows.append(row)
    return Grid(rows)


def _head(items: list[Item]) -> tuple[str, list[str], list[Item]]:
    """The label and title lines at the top of a Word or PDF document."""
    from reportgen.importing.outline import heading_level

    label = ""
    title: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, Grid) or heading_level(item) == 1 or title_complete(title, item.text):
            return label, title, items[index:]  # the lines under the title stay: the importer places them
        if not title and re.fullmatch(r"附件\s*\d*", item.text):
            label = item.text.replace(" ", "")
        else:
            title.append(item.text)
    return label, title, []


# ---------------------------------------------------------------- PDF


def _pdf(path: Path) -> tuple[str, list[str], list[Item]]:
    import pdfplumber

    from reportgen.input.pdf_bounds import check_pdf

    check_pdf(path)  # pages, sizes, inflated content and runs of text measured first

    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise InputError(f"{path}: 错误: 无法读取，文件可能已损坏或不是 PDF") from exc
    flow: list[PdfLine | Grid] = []  # the page's lines and tables, from the top
    try:
        with pdf:  # (closing reads the pages again: it may fail as they do)
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"{path}: 错误: 页数过多（{len(pdf.pages)} 页，上限 {MAX_PAGES}）")
            for page in pdf.pages:
                flow.extend(_page(page))
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: 错误: PDF 的页面已损坏，无法读取（{type(exc).__name__}）") from exc
    return _head(_pdf_paragraphs(flow))


@dataclass(frozen=True)
class PdfLine:
    """A printed line: its text, where it starts and ends, its type size."""

    text: str
    x0: float
    x1: float
    size: float


def _page(page: Any) -> list[PdfLine | Grid]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]
    placed: list[tuple[float, PdfLine | Grid]] = []
    for table in tables:
        placed.append((table.bbox[1], _pdf_table(page, table)))
    height = page.height
    for line in page.extract_text_lines(return_chars=True):
        top = line["top"]
        if any(b[1] - 1 <= top <= b[3] + 1 for b in boxes):
            continue
        text = clean(line["text"])
        if not text or is_page_artefact(text) or (top > height * 0.9 and len(text) <= 8):
            continue
        size = max((c.get("size", 0) for c in line["chars"]), default=0)
        placed.append((top, PdfLine(text, line["x0"], line["x1"], size)))
    placed.sort(key=lambda p: p[0])
    return [value for _, value in placed]


def _cell_text(text: str) -> str:
    """A cell's lines joined as Chinese joins them, without a space."""
    return "".join(clean(line) for line in text.splitlines())


def _pdf_table(page: Any, table: Any) -> Grid:
    """The table's cells on a grid of its rows and columns: a merged cell (one box over several
    rows or columns) repeated in each position it covers, as a Word table is read."""
    cells = table.cells
    tops = sorted({round(c[1], 1) for c in cells})
    lefts = sorted({round(c[0], 1) for c in cells})
    grid = [["" for _ in lefts] for _ in tops]
    for x0, y0, x1, y1 in cells:
        text = _cell_text(page.crop((x0, y0, x1, y1)).extract_text() or "")
        rows = [i for i, t in enumerate(tops) if round(y0, 1) <= t < y1 - 0.5]
        columns = [j for j, left in enumerate(lefts) if round(x0, 1) <= left < x1 - 0.5]
        for i in rows:
            for j in columns:
                grid[i][j] = text
    return Grid(grid)


def _pdf_paragraphs(flow: list[PdfLine | Grid]) -> list[Item]:
    """Lines into paragraphs by their geometry: a paragraph's first line is indented and its
    last stops short of the right edge; a line in another type size is its own item."""
    lines = [v for v in flow if isinstance(v, PdfLine)]
    if not lines:
        return [v for v in flow if isinstance(v, Grid)]
    left = min(line.x0 for line in lines)
    # the text block's right edge: where most lines end (a closing mark may hang beyond it)
    ends = Counter(round(line.x1) for line in lines)
    right = max(ends, key=lambda x: (ends[x] + ends.get(x - 1, 0) + ends.get(x + 1, 0), x))
    items: list[Item] = []
    current: list[str] = []
    current_size = 0.0

    def flush() -> None:
        if current:
            items.append(Para("".join(current)))
            current.clear()

    for value in flow:
        if isinstance(value, Grid):
            flush()
            previous = items[-1] if items else None
            if isinstance(previous, Grid) and value.rows[:1] == previous.rows[:1]:
                previous.rows.extend(value.rows[1:])  # a table run onto the next page, its header repeated
            else:
                items.append(value)
            continue
        text, x0, x1, size = value.text, value.x0, value.x1, value.size
        em = size or 16
        indented = x0 - left >= 1.5 * em
        centred = x0 - left >= 2.5 * em and right - x1 >= 2.5 * em
        if indented or centred or abs(size - current_size) > 0.5:
            flush()
        current.append(text)
        current_size = size
        if right - x1 >= 0.8 * em or centred:
            flush()
    flush()
    return items
