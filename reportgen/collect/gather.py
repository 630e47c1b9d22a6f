"""What a bureau hands `collect`: PDFs that carry their YAML, YAML files, and folders of both.

Each input becomes an Entry with the YAML's bytes, or the reason it has none; a folder is walked
for *.pdf, *.yaml and *.yml (hidden files, reportgen's own staging files and template folders
— those with a settings.yaml — skipped).  A YAML and the PDF built from it (the same bytes)
count once.  No one file stops the others: a pipe, a device, a link that loops, a folder that
cannot be listed is an entry that says why.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError
from reportgen.filekinds import not_regular, printable

__all__ = ["Entry", "distinct", "files_in", "printable", "read"]

SUFFIXES = (".pdf", ".yaml", ".yml")
MAX_FILES = 10_000


@dataclass
class Entry:
    path: Path  # the file handed in
    source: Path  # where its YAML stands (beside a PDF, the name it was built from)
    raw: bytes | None = None
    failure: str = ""  # why there is no YAML to read

    @property
    def kind(self) -> str:
        return "PDF" if self.path.suffix.lower() == ".pdf" else "YAML"

    @property
    def shown(self) -> str:
        """The path as the workbook and the terminal print it."""
        return printable(str(self.path))


def files_in(inputs: Iterable[Path]) -> list[Path | Entry]:
    """Every file the inputs name, folders walked in name order, each file once; a folder that
    cannot be listed is an Entry that says why."""
    found: list[Path | Entry] = []
    for given in inputs:
        found.extend(_walk(given) if given.is_dir() else [given])
        if len(found) > MAX_FILES:
            raise ReportgenError(f"错误: 文件过多（超过 {MAX_FILES} 个），请分批汇总")
    unique: dict[Path, Path | Entry] = {}
    for item in found:
        unique.setdefault(item.path if isinstance(item, Entry) else item, item)
    return list(unique.values())


def _walk(folder: Path) -> list[Path | Entry]:
    """The PDF and YAML files under `folder` in name order: hidden files and folders, and template
    folders (those with a settings.yaml), left out; links to folders not followed.  Whatever
    is there under such a name is listed (a pipe, a device, a link that loops), for `read` to say
    why it is not read."""
    found: list[Path | Entry] = []

    def unlisted(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        found.append(Entry(where, where, failure=f"无法打开文件夹（{exc.strerror or exc}）"))

    for top, folders, names in os.walk(folder, onerror=unlisted):
        here = Path(top)
        if "settings.yaml" in names:  # a bureau's template folder
            folders[:] = []
            continue
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        found.extend(here / n for n in names if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES)
        if len(found) > MAX_FILES:
            break
    return sorted(found, key=lambda item: item.path if isinstance(item, Entry) else item)


def read(path: Path) -> Entry:
    """The YAML an input holds, or why it holds none; never raises, and never waits on a pipe or
    reads a device."""
    from reportgen.input.embedded import source_in
    from reportgen.input.loader import MAX_BYTES

    unusual = not_regular(path)
    if unusual:
        return Entry(path, path, failure=f"文件{unusual}")
    if path.suffix.lower() == ".pdf":
        try:
            embedded = source_in(path)
        except ReportgenError as exc:
            return Entry(path, path, failure=_reason(exc.message, path))
        return Entry(path, path.parent / embedded.name, embedded.data)
    if path.suffix.lower() not in SUFFIXES:
        return Entry(path, path, failure="不是 PDF 或 YAML 文件")
    try:
        data = _read_regular(path, MAX_BYTES)
    except OSError as exc:
        return Entry(path, path, failure=f"无法读取（{exc.strerror or exc}）")
    if data is None:
        return Entry(path, path, failure="文件不是普通文件")
    if len(data) > MAX_BYTES:
        return Entry(path, path, failure=f"文件过大（上限 {MAX_BYTES} 字节）")
    return Entry(path, path, data)


def _read_regular(path: Path, limit: int) -> bytes | None:
    """At most `limit` + 1 bytes of `path`, opened without waiting (a pipe put in its place since
    it was looked at); None when it is not a regular file after all."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return file.read(limit + 1)


def _reason(message: str, path: Path) -> str:
    """The message without the file name that starts it: the sheet names the file already."""
    prefix = f"{path}: 错误: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def distinct(entries: list[Entry]) -> list[Entry]:
    """A department's YAML and its PDF handed in together count once (the PDF's row)."""
    by_content: dict[str, Entry] = {}
    kept: list[Entry] = []
    for entry in sorted(entries, key=lambda e: e.kind != "PDF"):
        if entry.raw is None:
            kept.append(entry)
            continue
        digest = hashlib.sha256(entry.raw).hexdigest()
        if digest in by_content:
            continue
        by_content[digest] = entry
        kept.append(entry)
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(kept, key=lambda e: order[id(e)])
