"""The YAML a reportgen PDF carries: found among the PDF's attached files, taken out as it was.

A PDF is untrusted input like any other: its size is bounded before it is opened, a damaged
or password-protected file is one message, and only an attachment marked as the document's
source (PDF/A-3 AFRelationship /Source) with a YAML name or media type is taken.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.input.loader import MAX_BYTES

MAX_PDF_BYTES = 200_000_000
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


@dataclass(frozen=True)
class Embedded:
    name: str  # the file name it was built from
    data: bytes


def source_in(pdf: Path) -> Embedded:
    """The embedded source of `pdf`; InputError (exit 2) when there is none or the file cannot
    be read."""
    import pikepdf

    name = str(pdf)
    if not pdf.is_file():
        raise InputError(f"{name}: 错误: 文件不存在" if not pdf.exists() else f"{name}: 错误: 不是文件")
    size = pdf.stat().st_size
    if size > MAX_PDF_BYTES:
        raise InputError(f"{name}: 错误: 文件过大（{size // 1_000_000} MB，上限 {MAX_PDF_BYTES // 1_000_000} MB）")
    try:
        with pikepdf.open(pdf) as document:
            return _pick(name, document)
    except pikepdf.PasswordError as exc:
        raise InputError(f"{name}: 错误: PDF 设有打开密码，无法读取") from exc
    except pikepdf.PdfError as exc:
        raise InputError(f"{name}: 错误: 无法读取，文件可能已损坏或不是 PDF") from exc


def _pick(name: str, document: Any) -> Embedded:
    import pikepdf

    candidates = []
    for key, spec in document.attachments.items():
        try:
            filename = spec.filename or key
            relationship = str(spec.obj.get("/AFRelationship", ""))
            stream = spec.get_file()
            mime = stream.mime_type or ""
            is_yaml = mime in YAML_TYPES or filename.lower().endswith((".yaml", ".yml"))
            if is_yaml:
                candidates.append((relationship != "/Source", filename, stream))
        except (pikepdf.PdfError, KeyError, AttributeError, ValueError):
            continue  # a damaged attachment is not the source
    if not candidates:
        raise InputError(
            f"{name}: 错误: 这个 PDF 中没有附带 YAML 源文件（可能不是 reportgen 生成的，或生成时关闭了附带）"
        )
    candidates.sort(key=lambda c: c[0])  # the one marked as the source first
    _, filename, stream = candidates[0]
    try:
        data = _bounded(stream)
    except (pikepdf.PdfError, zlib.error) as exc:
        raise InputError(f"{name}: 错误: 附带的 YAML 已损坏，无法取出") from exc
    if data is None:
        raise InputError(f"{name}: 错误: 附带的 YAML 过大（上限 {MAX_BYTES} 字节）")
    return Embedded(Path(filename).name or "source.yaml", data)


def _bounded(attached: Any) -> bytes | None:
    """The attachment's bytes, decompressed no further than the size a YAML may have (a small
    stream can unpack to gigabytes, and a chain of filters can do it twice); None when larger."""
    import pikepdf

    stream = attached.obj
    data = stream.read_raw_bytes()
    method = stream.get("/Filter")
    chain = list(method) if isinstance(method, pikepdf.Array) else [method] if method is not None else []
    for step in chain:
        if str(step) != "/FlateDecode":
            return None  # reportgen writes Flate only; another filter is not worth the risk
        inflater = zlib.decompressobj()
        data = inflater.decompress(data, MAX_BYTES + 1)
        if len(data) > MAX_BYTES or inflater.unconsumed_tail:
            return None
    return None if len(data) > MAX_BYTES else data
