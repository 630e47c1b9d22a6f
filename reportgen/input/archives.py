"""Word files read from outside (a bureau's reference.docx, a file given to check-layout) are zip
archives: their size once unpacked is checked before anything unpacks them, so that a small file
that inflates to gigabytes is refused at once."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from reportgen.errors import InputError

MAX_MEMBERS = 2_000
MAX_UNPACKED = 200_000_000  # bytes, all members together
MAX_RATIO = 200  # unpacked ÷ packed, for any member over 1 MB unpacked


def check_archive(path: Path, what: str, max_unpacked: int = MAX_UNPACKED) -> None:
    """Raise InputError unless `path` is a zip archive of bounded unpacked size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError(f"{path}: 错误: {what}不是有效的 Word 文件（.docx 应是 zip 压缩包）") from exc
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{path}: 错误: {what}包含的部件过多（{len(members)} 个，上限 {MAX_MEMBERS}）")
    total = sum(m.file_size for m in members)
    if total > max_unpacked:
        limit = max_unpacked // 1_000_000
        raise InputError(f"{path}: 错误: {what}解压后过大（{total // 1_000_000} MB，上限 {limit} MB）")
    for member in members:
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise InputError(f"{path}: 错误: {what}中的 {member.filename} 压缩比异常（可能是“压缩炸弹”），不予读取")


_CELL_REF = re.compile(rb'<(?:c|dimension)\b[^>]*?\br(?:ef)?="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"')
_STRINGS = re.compile(rb'<sst\b[^>]*?\buniqueCount="(\d{1,12})"')
CHUNK = 1 << 16


def sheet_extents(path: Path, max_unpacked: int = MAX_UNPACKED) -> dict[str, tuple[int, int]]:
    """The rows and columns each worksheet of an .xlsx reaches, read from its cells' references
    while inflating (never from the sizes the archive declares), and the shared strings it
    declares: what a reader would allocate before it reads a cell."""
    extents: dict[str, tuple[int, int]] = {}
    inflated = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = info.filename
                sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                if not sheet and name != "xl/sharedStrings.xml":
                    continue
                rows = columns = 0
                tail = b""
                with archive.open(info) as stream:
                    while chunk := stream.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > max_unpacked:
                            limit = max_unpacked // 1_000_000
                            raise InputError(f"{path}: 错误: 工作簿解压后过大（超过 {limit} MB），不予读取")
                        window = tail + chunk
                        for letters, number in _CELL_REF.findall(window):
                            rows = max(rows, int(number))
                            columns = max(columns, _column(letters))
                        found = _STRINGS.search(window)
                        if found:
                            rows = max(rows, int(found[1]))
                        tail = window[-256:]
                extents[name] = (rows, columns)
            names = _sheet_names(archive)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"{path}: 错误: 工作簿已损坏，无法读取（{exc}）") from exc
    return {names.get(part, part.rsplit("/", 1)[-1]): extent for part, extent in extents.items()}


_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]{1,100})"[^>]*?\br:id="([^"]{1,50})"')
_TARGET = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]{1,50})"[^>]*?\bTarget="([^"]{1,200})"')


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's name as the workbook shows it on its tab («公开01表»)."""
    try:
        book = archive.read("xl/workbook.xml")[:1_000_000]
        rels = archive.read("xl/_rels/workbook.xml.rels")[:1_000_000]
    except KeyError:
        return {}
    targets = {rid: target.decode("utf-8", "replace").lstrip("/") for rid, target in _TARGET.findall(rels)}
    found = {}
    for name, rid in _SHEET.findall(book):
        target = targets.get(rid, "")
        part = target if target.startswith("xl/") else f"xl/{target}"
        found[part] = name.decode("utf-8", "replace")
    return found


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
