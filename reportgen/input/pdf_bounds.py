"""A PDF from outside measured before its pages are parsed: how many pages, whether each page's
size is a size, how much its content streams inflate to and how many runs of text they draw —
so that a small file that would take minutes or gigabytes to lay out is one message at once.

The streams are inflated here in pieces, with a cap, never by the size they declare.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

MAX_PAGES = 2_000
MAX_INFLATED = 64_000_000  # bytes of page content, all pages together (a 100-page report: ~2 MB)
MAX_RUNS = 100_000  # text-showing operators, all pages together (a 100-page report: ~20,000)
CHUNK = 1 << 16


def check_pdf(path: Path, what: str = "PDF") -> None:
    """Raise InputError unless `path` is a readable PDF of bounded pages and content."""
    import pikepdf

    try:
        document = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise InputError(f"{path}: 错误: {what}有密码保护，无法读取：请提供未加密的文件") from exc
    except Exception as exc:
        raise InputError(f"{path}: 错误: 无法读取，文件可能已损坏或不是 PDF") from exc
    with document:
        try:
            pages = list(document.pages)
        except Exception as exc:
            raise InputError(f"{path}: 错误: {what}的页面结构已损坏，无法读取") from exc
        if len(pages) > MAX_PAGES:
            raise InputError(f"{path}: 错误: 页数过多（{len(pages)} 页，上限 {MAX_PAGES} 页）")
        inflated = runs = 0
        for number, page in enumerate(pages, 1):
            _size(path, number, page)
            for data in _contents(page, MAX_INFLATED - inflated):
                inflated += len(data)
                runs += data.count(b"Tj") + data.count(b"TJ") + data.count(b"'") + data.count(b'"')
            if inflated >= MAX_INFLATED:
                limit = MAX_INFLATED // 1_000_000
                raise InputError(f"{path}: 错误: {what}的页面内容解压后过大（超过 {limit} MB），不予读取")
            if runs > MAX_RUNS:
                raise InputError(f"{path}: 错误: {what}的文字片段过多（超过 {MAX_RUNS} 段），不像一份报告，不予读取")


def _size(path: Path, number: int, page: Any) -> None:
    import pikepdf

    try:
        box = page.obj.get("/MediaBox") or page.mediabox
        values = [float(v) for v in box]
    except (TypeError, ValueError, pikepdf.PdfError, AttributeError) as exc:
        raise InputError(f"{path}: 错误: 第 {number} 页的页面尺寸（MediaBox）不是数字，文件已损坏") from exc
    if len(values) != 4 or any(abs(v) > 1e6 for v in values):
        raise InputError(f"{path}: 错误: 第 {number} 页的页面尺寸（MediaBox）无效，文件已损坏")


def _contents(page: Any, budget: int) -> list[bytes]:
    """The page's content streams, inflated up to `budget` bytes in all."""
    import pikepdf

    contents = page.obj.get("/Contents")
    streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents] if contents is not None else []
    out: list[bytes] = []
    for stream in streams:
        if not isinstance(stream, pikepdf.Stream):
            continue
        try:
            raw = stream.read_raw_bytes()
            filters = stream.get("/Filter")
        except pikepdf.PdfError:
            continue
        names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else [str(filters)] if filters else []
        data = _inflate(raw, budget) if names == ["/FlateDecode"] else raw if not names else b""
        out.append(data)
        budget -= len(data)
        if budget <= 0:
            out.append(b"")
            break
    return out


def _inflate(raw: bytes, budget: int) -> bytes:
    """Deflate data inflated piece by piece, stopping one byte past `budget`."""
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    total = 0
    pending = raw
    try:
        while pending and total <= budget:
            part = inflater.decompress(pending, CHUNK)
            pending = inflater.unconsumed_tail
            parts.append(part)
            total += len(part)
            if not part and not pending:
                break
    except zlib.error:
        pass  # damaged data: what inflated so far is what the page draws
    return b"".join(parts)[: budget + 1]
