"""What a bureau hands `collect`: PDFs that carry their YAML, YAML files, and folders of both.

Each input becomes an Entry with the YAML's bytes, or the reason it has none; a folder is walked
for *.pdf, *.yaml and *.yml (hidden files, reportgen's own staging files and template folders
— those with a settings.yaml — skipped).  A YAML and
the PDF built from it (the same bytes) count once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import ReportgenError

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


def files_in(inputs: Iterable[Path]) -> list[Path]:
    """Every file the inputs name, folders walked in name order, each file once."""
    found: list[Path] = []
    for given in inputs:
        if given.is_dir():
            templates = {p.parent for p in given.rglob("settings.yaml")}  # a bureau's template folder
            found.extend(
                sorted(
                    p
                    for p in given.rglob("*")
                    if p.suffix.lower() in SUFFIXES
                    and p.is_file()
                    and not _hidden(p.relative_to(given))
                    and not any(folder in p.parents for folder in templates)
                )
            )
        else:
            found.append(given)
        if len(found) > MAX_FILES:
            raise ReportgenError(f"错误: 文件过多（超过 {MAX_FILES} 个），请分批汇总")
    return list(dict.fromkeys(found))


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def read(path: Path) -> Entry:
    """The YAML an input holds, or why it holds none; never raises."""
    from reportgen.input.embedded import source_in
    from reportgen.input.loader import MAX_BYTES

    if path.suffix.lower() == ".pdf":
        try:
            embedded = source_in(path)
        except ReportgenError as exc:
            return Entry(path, path, failure=_reason(exc.message, path))
        return Entry(path, path.parent / embedded.name, embedded.data)
    if path.suffix.lower() not in SUFFIXES:
        return Entry(path, path, failure="不是 PDF 或 YAML 文件")
    try:
        if path.stat().st_size > MAX_BYTES:
            return Entry(path, path, failure=f"文件过大（上限 {MAX_BYTES} 字节）")
        return Entry(path, path, path.read_bytes())
    except FileNotFoundError:
        return Entry(path, path, failure="文件不存在")
    except OSError as exc:
        return Entry(path, path, failure=f"无法读取（{exc.strerror or exc}）")


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
