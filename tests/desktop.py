"""A desktop made on this machine: a Windows-like Fonts folder (the Fandol fonts copied under the
official faces' Windows file names), a PATH without fontconfig's fc-list, a PDF engine that
cannot load, and reading back which fonts a PDF embeds."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import sys
from pathlib import Path

import pikepdf

# official file name → the Fandol font standing in for it
STAND_INS = {
    "simfang.ttf": "FandolFang",
    "simhei.ttf": "FandolHei",
    "simkai.ttf": "FandolKai",
    "FZXBSJW.TTF": "FandolSong Bold",
    "FS_GB2312.ttf": "FandolFang",
    "KT_GB2312.ttf": "FandolKai",
}
# simsun.ttc: 宋体 first and, like 新宋体 in the real one, another face second
COLLECTION = ("FandolSong", "FandolHei Bold")


def fandol(name: str) -> Path:
    """The file of a Fandol font that scripts/setup.sh installed ("FandolSong Bold")."""
    family, _, style = name.partition(" ")
    found = sorted(Path("/usr/local/share/fonts/reportgen-fandol").glob(f"{family}-{style or 'Regular'}.otf"))
    assert found, f"{name} is not installed: run scripts/setup.sh"
    return found[0]


def collection(fonts: list[bytes]) -> bytes:
    """Font files joined into one collection (.ttc), each face with its own copy of its tables."""
    counts = [struct.unpack(">H", f[4:6])[0] for f in fonts]
    header = 12 + 4 * len(fonts)
    directories = [12 + 16 * n for n in counts]
    where = header + sum(directories)
    offsets, heads, bodies = [], [], []
    start = header
    for font, count, size in zip(fonts, counts, directories, strict=True):
        offsets.append(start)
        start += size
        records = [font[:12]]
        for i in range(count):
            record = font[12 + 16 * i : 28 + 16 * i]
            offset, length = struct.unpack(">II", record[8:16])
            body = font[offset : offset + length] + b"\0" * (-length % 4)
            records.append(record[:8] + struct.pack(">I", where) + record[12:16])
            bodies.append(body)
            where += len(body)
        heads.append(b"".join(records))
    top = b"ttcf" + struct.pack(">HHI", 1, 0, len(fonts)) + b"".join(struct.pack(">I", o) for o in offsets)
    return top + b"".join(heads) + b"".join(bodies)


def windows_fonts(folder: Path) -> Path:
    """A folder laid out like C:\\Windows\\Fonts with the official faces in it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, stand_in in STAND_INS.items():
        shutil.copyfile(fandol(stand_in), folder / name)
    (folder / "simsun.ttc").write_bytes(collection([fandol(n).read_bytes() for n in COLLECTION]))
    return folder


def path_without_fc_list(folder: Path) -> str:
    """A PATH whose only program is this Python: no fc-list, no shell, nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "python3"
    if not link.exists():
        link.symlink_to(os.path.realpath(sys.executable))
    return str(folder)


def broken_engine(folder: Path) -> Path:
    """A `weasyprint` package that fails to load as the real one does without Pango."""
    package = folder / "weasyprint"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(
        "raise OSError(\"cannot load library 'libpango-1.0-0': libpango-1.0-0: "
        'cannot open shared object file: No such file or directory")\n',
        encoding="utf-8",
    )
    return folder


def embedded_fonts(pdf: Path) -> dict[str, str]:
    """Each font the PDF embeds, by its name without the subset prefix, with the family name
    inside the embedded font program (which file, or which face of a collection, it came from)."""
    from fontTools.ttLib import TTFont

    found: dict[str, str] = {}
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            for font in page.Resources.get("/Font", {}).values():
                name = bytes(font.BaseFont)[1:].decode("utf-8").split("+", 1)[-1]
                described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = described.FontDescriptor
                program = next(descriptor[k] for k in ("/FontFile3", "/FontFile2", "/FontFile") if k in descriptor)
                inner = TTFont(io.BytesIO(program.read_bytes()))
                found[name] = inner["name"].getDebugName(1) if "name" in inner else ""
    return found


NAMED = re.compile(r"^\s+PDF：(.+?)(?:（粗体）)?，(?:官方字体|替代字体)|^\s+由 (.+?) 补字：", re.M)


def fonts_named(listing: str) -> set[str]:
    """The fonts `reportgen fonts 文件.yaml` says the PDF uses: each role's first font, and the
    fallbacks that draw some of its characters."""
    return {first or fallback for first, fallback in NAMED.findall(listing)}


def as_named(embedded: str) -> str:
    """A PDF font name as `reportgen fonts` writes it: the style the engine appends taken off and
    the spaces it turned into hyphens put back ("Noto-Serif-CJK-SC" is "Noto Serif CJK SC")."""
    base = re.sub(r"-(Bold|Regular)$", "", embedded)
    return base.replace("-", " ") if base.startswith("Noto") else base
