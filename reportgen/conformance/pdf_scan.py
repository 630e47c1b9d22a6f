"""A PDF looked over before it is read: a file of a few kilobytes can unpack into gigabytes of
page content or draw millions of characters, and reading it would take hours.  Pages, their
size, their unpacked content and the text they draw are counted first, each against a bound far
beyond any report's (a GB/T 9704 page draws about 600 characters)."""

from __future__ import annotations

import re
import zlib
from pathlib import Path
from typing import Any

from reportgen.errors import InputError

MAX_PAGES = 200
MAX_PAGE_CONTENT = 2_000_000  # bytes of one page's unpacked content (a report page: 20 KB)
MAX_TEXT_BYTES = 40_000  # string bytes one page draws (10,000 glyphs)
MAX_TOTAL_TEXT = 1_500_000
MAX_SIDE_PT = 2_000  # a page side (A3's long side is 1191 pt)
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>")


def scan(path: Path) -> None:
    """InputError (exit 2) naming the first bound a PDF exceeds."""
    import pikepdf

    name = str(path)
    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise InputError(f"{name}: 错误: 页数过多（{len(pdf.pages)} 页，上限 {MAX_PAGES}），未检查")
            total = 0
            for number, page in enumerate(pdf.pages, 1):
                box = [float(v) for v in page.mediabox]
                if max(abs(box[2] - box[0]), abs(box[3] - box[1])) > MAX_SIDE_PT:
                    raise InputError(
                        f"{name}: 错误: 第 {number} 页尺寸异常（超过 {MAX_SIDE_PT} pt），不像一份报告，未检查"
                    )
                content = _content(page.obj, name, number)
                text = sum(len(m) for m in _STRING.findall(content))
                if text > MAX_TEXT_BYTES:
                    raise InputError(f"{name}: 错误: 第 {number} 页的文字过多，不像一份报告，未检查")
                total += text
                if total > MAX_TOTAL_TEXT:
                    raise InputError(f"{name}: 错误: 全文文字过多，不像一份报告，未检查")
    except pikepdf.PasswordError as exc:
        raise InputError(f"{name}: 错误: PDF 文件有密码保护，请先去掉密码再检查") from exc
    except pikepdf.PdfError as exc:
        raise InputError(f"{name}: 错误: 无法读取，文件可能已损坏或不是 PDF") from exc


def _content(page: Any, name: str, number: int) -> bytes:
    """The page's content streams (and the forms it draws), unpacked no further than the bound."""
    import pikepdf

    streams = page.get("/Contents")
    if streams is None:
        return b""
    listed = list(streams) if isinstance(streams, pikepdf.Array) else [streams]
    resources = page.get("/Resources")
    forms = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    if isinstance(forms, pikepdf.Dictionary):
        listed += [x for x in forms.values() if isinstance(x, pikepdf.Stream) and x.get("/Subtype") == "/Form"]
    out = bytearray()
    for stream in listed:
        if not isinstance(stream, pikepdf.Stream):
            continue
        out += _bounded(stream, MAX_PAGE_CONTENT - len(out), name, number)
    return bytes(out)


def _bounded(stream: Any, room: int, name: str, number: int) -> bytes:
    import pikepdf

    too_big = InputError(f"{name}: 错误: 第 {number} 页的内容解压后过大（可能是“压缩炸弹”），未检查")
    data = stream.read_raw_bytes()
    filters = stream.get("/Filter")
    chain = list(filters) if isinstance(filters, pikepdf.Array) else [filters] if filters is not None else []
    for method in chain:
        if str(method) != "/FlateDecode":
            if len(data) > room // 10:
                raise too_big
            return bytes(stream.read_bytes())[: room + 1]
        try:
            inflater = zlib.decompressobj()
            data = inflater.decompress(data, room + 1)
        except zlib.error:
            return b""  # damaged: the reader says so
        if len(data) > room or inflater.unconsumed_tail:
            raise too_big
    if len(data) > room:
        raise too_big
    return data
