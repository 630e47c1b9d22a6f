"""Which font each role of the document uses, and whether every character has a glyph.

The official fonts are proprietary: a bureau's PC has them, a Debian server does not.  Each
role has a chain — official names first, then a free substitute, then a wide-coverage fallback —
and the PDF uses the installed members of that chain.  Coverage comes from fontconfig's own
charset cache (one `fc-list` call), which is far faster than opening the font files.
"""

from __future__ import annotations

import bisect
import functools
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field

from reportgen.input.diagnostics import RenderError


@dataclass(frozen=True, eq=False)
class Face:
    family: str
    style: str
    file: str
    charset: str = field(repr=False)  # fontconfig's ranges, parsed only for the faces used
    supplied: bool = False  # a file named by a template, loaded by @font-face

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
        return embedding_allowed(self.file)


@dataclass(frozen=True)
class RoleFonts:
    """A role's font choice: what Word names and what the PDF embeds."""

    role: str
    official: tuple[str, ...]
    substitutes: tuple[str, ...]
    bold_substitute: bool = False
    files: tuple[str, ...] = ()  # font files a bureau supplies (its licensed official fonts)

    @property
    def word_name(self) -> str:
        return self.official[0]


@dataclass
class Resolved:
    role: RoleFonts
    chain: list[Face] = field(default_factory=list)
    official_installed: bool = False

    @property
    def css_families(self) -> list[str]:
        seen: list[str] = []
        for face in self.chain:
            if face.family not in seen:
                seen.append(face.family)
        return seen

    @property
    def bold(self) -> bool:
        return not self.official_installed and self.role.bold_substitute

    def face_for(self, char: str) -> Face | None:
        for face in self.chain:
            if face.has(char):
                return face
        return None


@functools.cache
def installed_faces() -> tuple[Face, ...]:
    """Every font fontconfig knows, with its character coverage."""
    if shutil.which("fc-list") is None:
        raise RenderError("找不到 fontconfig（fc-list）：请运行 scripts/setup.sh 安装字体环境")
    result = subprocess.run(
        ["fc-list", "--format", "%{family}\t%{style}\t%{file}\t%{charset}\n"],
        capture_output=True,
        text=True,
        check=False,
    )
    faces: list[Face] = []
    for line in result.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        families, style, file, charset = parts
        for family in families.split(","):
            faces.append(Face(family.strip(), style.split(",")[0], file, charset))
    return tuple(faces)


RESTRICTED, PREVIEW_AND_PRINT, EDITABLE = 0x0002, 0x0004, 0x0008


@functools.cache
def embedding_allowed(path: str) -> bool:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True)
        fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except Exception:  # unreadable here: WeasyPrint reads it or says why
        return True
    return not (fs_type & RESTRICTED) or bool(fs_type & (PREVIEW_AND_PRINT | EDITABLE))


def _find(family: str, *, bold: bool) -> Face | None:
    matches = [f for f in installed_faces() if f.family == family and f.embeddable]
    if not matches:
        return None
    preferred = [f for f in matches if f.bold == bold]
    regular = [f for f in matches if f.style.lower() in ("regular", "book", "normal", "medium")]
    return (preferred or regular or matches)[0]


def face_from_file(path: str, family: str) -> Face:
    """A font file given by a template, named for the stylesheet, with its coverage read once."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=0, lazy=True)
        codes = sorted(font.getBestCmap() or {})
    except Exception as exc:  # not a font, or a damaged one
        raise RenderError(f"{path}: 错误: 无法读取字体文件（{exc}）") from exc
    ranges: list[str] = []
    start = previous = None
    for code in [*codes, None]:
        if code is not None and previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            ranges.append(f"{start:x}" if start == previous else f"{start:x}-{previous:x}")
        start = previous = code
    return Face(family, "Regular", path, " ".join(ranges), supplied=True)


def resolve(role: RoleFonts) -> Resolved:
    resolved = Resolved(role)
    for index, path in enumerate(role.files):
        # named as the official font it is, so the PDF says so; numbered when a role has several
        name = role.official[0] if role.official and index == 0 else f"{role.role} {index + 1}"
        resolved.chain.append(face_from_file(path, name))
        resolved.official_installed = True
    for name in role.official:
        face = _find(name, bold=False)
        if face:
            resolved.chain.append(face)
            resolved.official_installed = True
    for name in role.substitutes:
        face = _find(name, bold=role.bold_substitute)
        if face:
            resolved.chain.append(face)
    return resolved


def check_coverage(uses: dict[str, Iterable[str]], roles: dict[str, Resolved]) -> None:
    """Raise naming every character that no font of its role's chain can draw."""
    missing: dict[str, set[str]] = {}
    for role_name, text in uses.items():
        resolved = roles[role_name]
        if not resolved.chain:
            raise RenderError(
                f"「{role_name}」没有可用字体（需要 {'、'.join(resolved.role.official + resolved.role.substitutes)}"
                " 之一）：请运行 scripts/setup.sh 安装字体"
            )
        for char in set(text):
            if char.isspace() or ord(char) < 0x20:
                continue
            if resolved.face_for(char) is None:
                missing.setdefault(char, set()).add(role_name)
    if missing:
        listed = "、".join(f"「{c}」(U+{ord(c):04X}，{'/'.join(sorted(r))})" for c, r in sorted(missing.items()))
        raise RenderError(f"以下字符没有任何可用字体能显示：{listed}。请改用常用字，或安装含该字的字体")


def harfbuzz_subset_available() -> bool:
    from reportgen.render.engine import harfbuzz_subset_available as available

    return available()
