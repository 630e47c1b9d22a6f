"""The YAML a reportgen PDF carries: found among the PDF's attached files, taken out as it was.

A PDF is untrusted input like any other: its size is bounded before it is opened, a damaged
or password-protected file is one message, and only an attachment marked as the document's
source (PDF/A-3 AFRelationship /Source) with a YAML name or media type is taken, and only when
its bytes read as a report's YAML.  The attachment's name is whatever the PDF's maker wrote
(`../x`, `.bash_profile`, a right-to-left override): it is shown, escaped, never used as a path.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.errors import InputError
from reportgen.input.loader import MAX_BYTES, load

MAX_SHOWN_NAME = 60  # characters of an attachment's name a message quotes
REPORT_KEYS = ("部门名称", "年度")  # every report has them: a YAML without is not one
# Characters that would hide or reorder what a message says: controls, format characters (the
# bidi overrides U+202A–U+202E, U+2066–U+2069), separators of lines, surrogates, unassigned.
_HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")

MAX_PDF_BYTES = 200_000_000
MAX_TREE_NODES = 1_000  # nodes of the attachments' name tree read (reportgen writes one)
MAX_TREE_DEPTH = 20
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


@dataclass(frozen=True)
class Embedded:
    name: str  # the attachment's name, escaped and without folders: for messages, never a path to write
    data: bytes
    shown: str = ""  # the attachment's whole name as the PDF gives it, escaped


def shown_name(name: str) -> str:
    """`name` as a message may quote it: each control or bidi character as [U+XXXX], cut short."""
    text = "".join(f"[U+{ord(c):04X}]" if unicodedata.category(c) in _HIDDEN else c for c in name)
    return text if len(text) <= MAX_SHOWN_NAME else text[: MAX_SHOWN_NAME - 1] + "…"


def _plain_name(name: str) -> str:
    """The last part of `name` (either slash), escaped; never empty, `.` or `..`."""
    last = shown_name(name.replace("\\", "/").rsplit("/", 1)[-1])
    return last if last not in ("", ".", "..") else "source.yaml"


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
    for key, spec in _file_specs(document):
        try:
            filename = str(spec.get("/UF") or spec.get("/F") or key)
            relationship = str(spec.get("/AFRelationship", ""))
            files = spec.EF
            stream = files.get("/UF") or files.F
            mime = str(stream.get("/Subtype", "")).removeprefix("/")
            is_yaml = mime in YAML_TYPES or filename.lower().endswith((".yaml", ".yml"))
            if is_yaml and isinstance(stream, pikepdf.Stream):
                candidates.append((relationship != "/Source", filename, stream))
        except (pikepdf.PdfError, KeyError, AttributeError, ValueError, TypeError):
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
    shown = shown_name(filename)
    _require_report(name, shown, data)
    return Embedded(_plain_name(filename), data, shown)


def _file_specs(document: Any) -> Iterator[tuple[str, Any]]:
    """Each attached file's name and file specification, read from the PDF's name tree itself:
    pikepdf's own mapping cuts a name at a NUL and then cannot find it.  The tree is the
    PDF maker's, so its depth and size are bounded (a loop in it ends too)."""
    import pikepdf

    names = document.Root.get("/Names")
    tree = names.get("/EmbeddedFiles") if isinstance(names, pikepdf.Dictionary) else None
    pending, visited = [(tree, 0)], 0
    while pending and visited < MAX_TREE_NODES:
        node, depth = pending.pop()
        visited += 1
        if not isinstance(node, pikepdf.Dictionary) or depth > MAX_TREE_DEPTH:
            continue
        pairs = node.get("/Names")
        if isinstance(pairs, pikepdf.Array):
            for i in range(0, min(len(pairs), 2 * MAX_TREE_NODES) - 1, 2):
                yield str(pairs[i]), pairs[i + 1]
        kids = node.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            pending.extend((kid, depth + 1) for kid in list(kids)[:MAX_TREE_NODES])


def _require_report(name: str, shown: str, data: bytes) -> None:
    """Refuse an attachment whose bytes are not a report's YAML (a script, a program, another
    YAML): what extract writes must be what build reads."""
    try:
        keys = load(Path(shown), data).data.keys()
    except InputError as exc:
        reason = exc.message.splitlines()[0].partition("错误: ")[2] or "无法读取"
        raise InputError(f"{name}: 错误: 附带的文件「{shown}」不是报告的 YAML（{reason}），未取出") from exc
    missing = [key for key in REPORT_KEYS if key not in keys]
    if missing:
        raise InputError(
            f"{name}: 错误: 附带的文件「{shown}」不是报告的 YAML（没有「{'」「'.join(missing)}」），未取出"
        )


def _bounded(stream: Any) -> bytes | None:
    """The attachment's bytes, decompressed no further than the size a YAML may have (a small
    stream can unpack to gigabytes, and a chain of filters can do it twice); None when larger."""
    import pikepdf

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
