"""Which font each role of the document uses, and whether every character has a glyph.

The official fonts are proprietary: a bureau's PC has them, a Debian server does not.  Each
role has a chain — official names first, then a free substitute, then a wide-coverage fallback —
and the PDF uses the installed members of that chain.  The installed fonts come from fontconfig's
own list (one `fc-list` call, with its charset cache: far faster than opening the font files);
where there is no `fc-list` (Windows, some desktops) from a scan of the system's font folders
(fonts/scan.py), and the folders named in REPORTGEN_FONT_DIRS are scanned either way.
A scanned face is handed to the PDF engine as its file (@font-face), like a template's own font.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import os
import shutil
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.errors import RenderError
from reportgen.fonts import scan as font_scan
from reportgen.page import RoleFonts


@dataclass(frozen=True, eq=False)
class Face:
    family: str
    style: str
    file: str
    charset: str = field(repr=False)  # fontconfig's ranges, parsed only for the faces used
    supplied: bool = False  # handed to the engine as its file (@font-face): a template's, a scanned folder's
    index: int = 0  # the face's number in a collection (.ttc)
    fs_type: int | None = None  # the licence bits, when the scan has read them
    alias: str = ""  # the name the stylesheet gives this face alone (its family has several)

    @property
    def css_family(self) -> str:
        return self.alias or self.family

    @functools.cached_property
    def _ranges(self) -> tuple[list[int], list[int]]:
        starts: list[int] = []
        ends: list[int] = []
        for token in self.charset.split():
            lo, _, hi = token.partition("-")
            starts.append(int(lo, 16))
            ends.append(int(hi or lo, 16))
        return starts, ends

    def has(self, char: str) -> bool:
        starts, ends = self._ranges
        code = ord(char)
        i = bisect.bisect_right(starts, code) - 1
        return i >= 0 and code <= ends[i]

    @property
    def bold(self) -> bool:
        return "bold" in self.style.lower()

    @functools.cached_property
    def embeddable(self) -> bool:
        """Whether the font's licence lets a PDF carry it (OpenType OS/2 fsType): a face marked
        "restricted licence" only, with no print-and-preview or editable permission, may not be
        embedded, and a PDF/A must embed every font it uses."""
        if self.fs_type is not None:
            return allows_embedding(self.fs_type)
        return embedding_allowed(self.file, self.index)

    @property
    def url(self) -> str:
        """The file as the stylesheet names it; a collection's face by its number after '#'."""
        return Path(self.file).as_uri() + (f"#{self.index}" if self.index else "")


@dataclass
class Resolved:
    role: RoleFonts
    chain: list[Face] = field(default_factory=list)
    official_installed: bool = False

    @property
    def css_families(self) -> list[str]:
        seen: list[str] = []
        for face in self.chain:
            if face.css_family not in seen:
                seen.append(face.css_family)
        return seen

    @property
    def bold(self) -> bool:
        return not self.official_installed and self.role.bold_substitute

    def face_for(self, char: str) -> Face | None:
        for face in self.chain:
            if face.has(char):
                return face
        return None


@dataclass(frozen=True)
class Discovery:
    """How the installed fonts were found, for `reportgen fonts` and `reportgen doctor`."""

    method: str  # "fontconfig" or "scan"
    folders: tuple[str, ...] = ()  # the folders scanned (REPORTGEN_FONT_DIRS always among them)
    files: int = 0  # font files read by the scan
    notes: tuple[str, ...] = ()  # the scan's bounds reached


FC_LIST_SECONDS = 60


@functools.cache
def discovered() -> tuple[Discovery, tuple[Face, ...]]:
    """Every installed font with its character coverage, and how they were found: fontconfig's
    list where `fc-list` runs, else a scan of the system's font folders; the folders named in
    REPORTGEN_FONT_DIRS come first either way."""
    named = font_scan.named_folders()
    system = _fontconfig_faces()
    folders = named if system is not None else named + font_scan.standard_folders()
    scan = font_scan.scan(folders) if folders else font_scan.Scan([])
    faces = [
        Face(family, face.style, face.file, face.charset, supplied=True, index=face.index, fs_type=face.fs_type)
        for face in scan.faces
        for family in face.families
    ]
    discovery = Discovery(
        "fontconfig" if system is not None else "scan",
        tuple(str(f) for f in scan.folders),
        scan.files,
        tuple(dict.fromkeys(scan.notes)),
    )
    return discovery, tuple(faces + list(system or ()))


def installed_faces() -> tuple[Face, ...]:
    return discovered()[1]


def discovery() -> Discovery:
    return discovered()[0]


def _fontconfig_faces() -> list[Face] | None:
    """The fonts fontconfig lists; None where `fc-list` is missing, fails or lists nothing."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    try:
        result = subprocess.run(
            [program, "--format", "%{family}\t%{style}\t%{file}\t%{index}\t%{charset}\n"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
            timeout=FC_LIST_SECONDS,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    faces: list[Face] = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[3].isdigit():
            continue
        families, style, file, index, charset = parts
        if not font_scan.CHARSET.fullmatch(charset):
            continue
        for family in families.split(","):  # a collection's face by its number: SC, not the JP face 0
            faces.append(Face(family.strip(), style.split(",")[0], file, charset, index=int(index)))
    return faces or None


RESTRICTED, PREVIEW_AND_PRINT, EDITABLE = 0x0002, 0x0004, 0x0008


def allows_embedding(fs_type: int) -> bool:
    return not (fs_type & RESTRICTED) or bool(fs_type & (PREVIEW_AND_PRINT | EDITABLE))


@functools.cache
def embedding_allowed(path: str, index: int = 0) -> bool:
    fs_type = os2_fs_type(path, index)
    return True if fs_type is None else allows_embedding(fs_type)


def os2_fs_type(path: str, index: int = 0) -> int | None:
    """The OS/2 table's embedding bits, read from the table directory alone: a font library's
    import and parse cost more than the rest of `validate`.  None for a file that is not a font
    (the engine reads it or says why); 0 (installable) for a font without an OS/2 table."""
    try:
        with open(path, "rb") as file:
            head = file.read(12)
            if head[:4] == b"ttcf":
                count = int.from_bytes(head[8:12], "big")
                if not 0 <= index < count:
                    return None
                file.seek(12 + 4 * index)
                start = int.from_bytes(file.read(4), "big")
                file.seek(start)
                head = file.read(12)
            tables = int.from_bytes(head[4:6], "big") if len(head) == 12 else 0
            if not 0 < tables <= 200:
                return None
            directory = file.read(16 * tables)
            for i in range(0, len(directory) - 15, 16):
                if directory[i : i + 4] == b"OS/2":
                    file.seek(int.from_bytes(directory[i + 8 : i + 12], "big") + 8)
                    field = file.read(2)
                    return int.from_bytes(field, "big") if len(field) == 2 else None
            return 0
    except OSError:
        return None


MAX_EXTRACTED = 4  # collections' faces kept in memory: a CJK face is some 20 MB


def face_data(path: str, index: int = 0) -> bytes:
    """A font file's bytes as the engine is to load them: a collection (.ttc) cut down to the one
    face wanted, since the engine would otherwise take any face of it under the family name."""
    stat = os.stat(path)
    return _face_data(path, index, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=MAX_EXTRACTED)
def _face_data(path: str, index: int, _mtime: int, _size: int) -> bytes:
    data = Path(path).read_bytes()
    if data[:4] != b"ttcf":
        return data
    try:
        return collection_face(data, index)
    except ValueError as exc:  # a damaged collection: the engine is given nothing it cannot read
        raise RenderError(f"{path}: 错误: 无法读取字体集中的第 {index + 1} 个字体（{exc}）") from exc


def collection_face(data: bytes, index: int) -> bytes:
    """One face of a font collection as a font file of its own: its table directory, each table
    copied after it (tables shared between faces are copied too).  The tables' checksums carry
    over unchanged: they are of the same bytes."""
    count = int.from_bytes(data[8:12], "big")
    if not 0 <= index < count or len(data) < 12 + 4 * count:
        raise ValueError(f"字体集只有 {count} 个字体")
    start = int.from_bytes(data[12 + 4 * index : 16 + 4 * index], "big")
    header = data[start : start + 12]
    tables = int.from_bytes(header[4:6], "big") if len(header) == 12 else 0
    if not 0 < tables <= 200 or start + 12 + 16 * tables > len(data):
        raise ValueError("表目录不完整")
    records = [data[start + 12 + 16 * i : start + 28 + 16 * i] for i in range(tables)]
    offset = 12 + 16 * tables
    directory = [header]
    bodies: list[bytes] = []
    for record in records:
        where, length = int.from_bytes(record[8:12], "big"), int.from_bytes(record[12:16], "big")
        if where + length > len(data):
            raise ValueError(f"表 {record[:4]!r} 超出文件")
        body = data[where : where + length]
        directory.append(record[:8] + offset.to_bytes(4, "big") + record[12:16])
        padded = body + b"\0" * (-length % 4)
        bodies.append(padded)
        offset += len(padded)
    return b"".join(directory + bodies)


def _find(family: str, *, bold: bool) -> Face | None:
    matches = [f for f in installed_faces() if f.family == family and f.embeddable]
    if not matches:
        return None
    preferred = [f for f in matches if f.bold == bold]
    regular = [f for f in matches if f.style.lower() in ("regular", "book", "normal", "medium")]
    chosen = (preferred or regular or matches)[0]
    if len(matches) > 1 and not chosen.index and not chosen.file.lower().endswith((".ttc", ".otc")):
        # Fandol's Bold files declare a normal weight: by the family's name the engine may take
        # either face, whatever this one is.  The stylesheet names this face's own file instead.
        return dataclasses.replace(chosen, alias=f"{family} {chosen.style}")
    return chosen


def face_from_file(path: str, family: str) -> Face:
    """A font file given by a template, named for the stylesheet, with its coverage read once."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True)
        codes = font.getBestCmap() or {}
    except Exception as exc:  # not a font, or a damaged one
        raise RenderError(f"{path}: 错误: 无法读取字体文件（{exc}）") from exc
    return Face(family, "Regular", path, font_scan.charset_of(codes), supplied=True)


def resolve(role: RoleFonts) -> Resolved:
    resolved = Resolved(role)
    for index, path in enumerate(role.files):
        # named as the official font it is, so the PDF says so; numbered when a role has several
        name = role.official[0] if role.official and index == 0 else f"{role.role} {index + 1}"
        resolved.chain.append(face_from_file(path, name))
        resolved.official_installed = True
    for name in role.official:
        if _add(resolved, _find(name, bold=False)):
            resolved.official_installed = True
    for name in role.substitutes:
        _add(resolved, _find(name, bold=role.bold_substitute))
    return resolved


def _add(resolved: Resolved, face: Face | None) -> bool:
    """Append a face unless the chain has it already under another of its names (simfang.ttf is
    both 仿宋 and FangSong)."""
    if face is None:
        return False
    if any(f.file == face.file and f.index == face.index for f in resolved.chain):
        return True
    resolved.chain.append(face)
    return True


def check_coverage(uses: Mapping[str, Iterable[str]], roles: Mapping[str, Resolved]) -> None:
    """Raise naming every character that no font of its role's chain can draw."""
    missing: dict[str, set[str]] = {}
    for role_name, text in uses.items():
        resolved = roles[role_name]
        if not resolved.chain:
            raise RenderError(
                f"「{role_name}」没有可用字体（需要 {'、'.join(resolved.role.official + resolved.role.substitutes)}"
                " 之一）：请安装字体（reportgen doctor 说明如何安装），"
                "或把字体所在的文件夹写入环境变量 REPORTGEN_FONT_DIRS"
            )
        for char in set(text):
            if char.isspace() or ord(char) < 0x20:
                continue
            if resolved.face_for(char) is None:
                missing.setdefault(char, set()).add(role_name)
    if missing:
        listed = "、".join(f"「{c}」(U+{ord(c):04X}，{'/'.join(sorted(r))})" for c, r in sorted(missing.items()))
        raise RenderError(f"以下字符没有任何可用字体能显示：{listed}。请改用常用字，或安装含该字的字体")
