"""Fonts found by reading the folders where each system keeps them.

A Windows PC or a 信创 desktop may have the official fonts but no fontconfig `fc-list` program,
and an officer may keep licensed fonts in a folder of their own (REPORTGEN_FONT_DIRS).  Each font
file is read with fontTools for its family names (the Chinese ones too), style, licence bits and
character coverage, once: the result is cached by path, size and modification time.  The scan is
bounded in files, folder entries, depth, file size and time, so that no folder makes it hang.
"""

from __future__ import annotations

import itertools
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.fonts import cache as font_cache

ENV_FOLDERS = "REPORTGEN_FONT_DIRS"
SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
MAX_FILES = 10_000  # font files looked at: a PC has hundreds, a TeX installation a few thousand
MAX_ENTRIES = 300_000  # folder entries walked, fonts or not
MAX_DEPTH = 8
MAX_FONT_BYTES = 120_000_000  # a whole CJK super collection is about 100 MB
MAX_FACES = 64  # faces read from one collection
SCAN_SECONDS = 40.0  # reading new files stops here; what was read is kept and cached

# The official faces under the file names Windows and font vendors give them: the name records of
# some of these files carry only a romanised or a vendor's name.
WINDOWS_FILES = {
    "simfang": "仿宋",
    "simhei": "黑体",
    "simkai": "楷体",
    "simsun": "宋体",
    "fs_gb2312": "仿宋_GB2312",
    "kt_gb2312": "楷体_GB2312",
    "fzxbsjw": "方正小标宋简体",
}
OFFICIAL_STEMS = ("方正小标宋简体", "方正小标宋_GBK", "仿宋_GB2312", "楷体_GB2312", "仿宋", "楷体", "黑体", "宋体")
UNSAFE_IN_NAME = set("\"\\<>{};'")  # a family name goes into a stylesheet: nothing that could end it


@dataclass(frozen=True)
class ScannedFace:
    """One face of a font file as the scan read it."""

    file: str
    index: int
    families: tuple[str, ...]
    style: str
    fs_type: int
    charset: str  # hexadecimal ranges, as fontconfig writes them


@dataclass
class Scan:
    folders: list[Path]  # the folders that exist and were read
    files: int = 0
    faces: list[ScannedFace] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the bounds reached, in the officer's words


def standard_folders(platform: str = sys.platform, env: Mapping[str, str] = os.environ) -> list[Path]:
    """The folders where this system keeps fonts, system-wide and the user's own."""
    home = env.get("HOME") or env.get("USERPROFILE")
    found: list[Path] = []
    if platform == "win32":
        windows = env.get("WINDIR") or env.get("SystemRoot") or r"C:\Windows"
        found.append(Path(windows) / "Fonts")
        if env.get("LOCALAPPDATA"):
            found.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    elif platform == "darwin":
        found += [Path("/Library/Fonts"), Path("/System/Library/Fonts")]
        if home:
            found.append(Path(home) / "Library" / "Fonts")
    else:
        data_home = env.get("XDG_DATA_HOME") or (str(Path(home) / ".local" / "share") if home else "")
        data_dirs = (env.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
        found += [Path(d) / "fonts" for d in [data_home, *data_dirs] if d and os.path.isabs(d)]
        if home:
            found.append(Path(home) / ".fonts")
        found += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return found


def named_folders() -> list[Path]:
    """The folders named in REPORTGEN_FONT_DIRS (separated as PATH is on this system)."""
    value = os.environ.get(ENV_FOLDERS, "")
    return [Path(part) for part in value.split(os.pathsep) if part.strip()]


def scan(folders: list[Path]) -> Scan:
    """Every face in the font files under `folders`, from the cache where a file is unchanged."""
    existing: list[Path] = []
    seen_folders: set[str] = set()
    for folder in folders:
        try:
            real = os.path.realpath(folder)
            if real in seen_folders or not os.path.isdir(real):
                continue
        except (OSError, ValueError):
            continue
        seen_folders.add(real)
        existing.append(folder)
    result = Scan(existing)
    cached = font_cache.load()
    fresh: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + SCAN_SECONDS
    seen: set[str] = set()
    for path in _font_files(existing, result.notes):
        try:
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
            stat = os.stat(real)
        except (OSError, ValueError):
            continue
        result.files += 1
        if stat.st_size > MAX_FONT_BYTES:
            result.notes.append(f"跳过过大的字体文件 {real}（上限 {MAX_FONT_BYTES // 1_000_000} MB）")
            continue
        entry = cached.get(real)
        faces = _from_entry(real, entry, stat) if entry is not None else None
        if faces is None:
            if time.monotonic() > deadline:
                if not any(n.startswith("字体文件太多") for n in result.notes):
                    result.notes.append(f"字体文件太多，{SCAN_SECONDS:g} 秒内未读完：其余的下次运行时再读")
                continue
            faces = read_faces(real)
            entry = {"mtime_ns": stat.st_mtime_ns, "size": stat.st_size, "faces": [_to_entry(f) for f in faces]}
        fresh[real] = entry  # type: ignore[assignment]
        result.faces.extend(faces)
    if fresh != cached:
        font_cache.store(fresh)
    return result


def _font_files(folders: list[Path], notes: list[str]) -> Iterator[str]:
    """Font file paths under the folders, in a stable order, within the walking bounds."""
    budget = MAX_ENTRIES
    files = 0
    visited: set[str] = set()
    for root in folders:
        stack: list[tuple[str, int]] = [(str(root), 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                real = os.path.realpath(folder)
                if real in visited:
                    continue
                visited.add(real)
                with os.scandir(folder) as listing:
                    entries = sorted(itertools.islice(listing, budget + 1), key=lambda e: e.name)
            except (OSError, ValueError):
                continue
            budget -= len(entries)
            if budget < 0:
                notes.append(f"字体文件夹中的文件太多，只看了前 {MAX_ENTRIES} 个")
                return
            below: list[str] = []
            for entry in entries:
                try:
                    if entry.is_dir():
                        if depth < MAX_DEPTH:
                            below.append(entry.path)
                    elif entry.name.lower().endswith(SUFFIXES) and entry.is_file():
                        files += 1
                        if files > MAX_FILES:
                            notes.append(f"字体文件超过 {MAX_FILES} 个，其余的未读")
                            return
                        yield entry.path
                except OSError:
                    continue
            stack.extend((path, depth + 1) for path in reversed(below))


def windows_alias(path: str, index: int) -> str | None:
    """The official name a file stands for by its file name (simfang.ttf is 仿宋), if any."""
    stem = Path(path).stem
    lowered = stem.lower()
    if index != 0:
        return None  # simsun.ttc's second face is 新宋体
    if lowered in WINDOWS_FILES:
        return WINDOWS_FILES[lowered]
    if lowered.startswith("fzxbsjw"):  # FZXBSJW.TTF, FZXBSJW--GB1-0.ttf
        return WINDOWS_FILES["fzxbsjw"]
    return stem if stem in OFFICIAL_STEMS else None


def read_faces(path: str) -> list[ScannedFace]:
    """Every face of one font file; a damaged file or face is passed over."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError:
        return []
    if head[:4] == b"ttcf" and len(head) == 12:
        count = min(int.from_bytes(head[8:12], "big"), MAX_FACES)
    elif head[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true"):
        count = 1
    else:  # WOFF, Type 1, bitmap fonts: not what a PDF of this layout embeds
        return []
    faces: list[ScannedFace] = []
    for index in range(count):
        try:
            face = _read_face(path, index)
        except Exception:  # fontTools raises many kinds of error on damaged data: skip the face
            continue
        if face is not None:
            faces.append(face)
    return faces


def _read_face(path: str, index: int) -> ScannedFace | None:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=index, lazy=True) as font:
        cmap = font.getBestCmap()
        if not cmap:
            return None
        families: list[str] = []
        if "name" in font:
            for name_id in (16, 1):
                for record in font["name"].names:
                    if record.nameID != name_id:
                        continue
                    try:
                        text = record.toUnicode()
                    except (UnicodeDecodeError, LookupError, ValueError):
                        continue
                    clean = _clean(text)
                    if clean and clean not in families:
                        families.append(clean)
        alias = windows_alias(path, index)
        if alias and alias not in families:
            families.append(alias)
        if not families:
            return None
        style = _clean(font["name"].getDebugName(17) or font["name"].getDebugName(2) or "") if "name" in font else ""
        style = style or "Regular"
        os2 = font.get("OS/2")
        weight = getattr(os2, "usWeightClass", 400)
        selection = getattr(os2, "fsSelection", 0)
        mac_style = font["head"].macStyle if "head" in font else 0
        if (weight >= 600 or selection & 0x20 or mac_style & 1) and "bold" not in style.lower():
            style = "Bold"
        fs_type = int(getattr(os2, "fsType", 0))
        return ScannedFace(path, index, tuple(families), style, fs_type, charset_of(cmap))


def _clean(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 100 or any(c in UNSAFE_IN_NAME or not c.isprintable() for c in text):
        return ""
    return text


def charset_of(codes: Any) -> str:
    """Code points as fontconfig writes a charset: hexadecimal ranges, "4e00-9fa5 3000"."""
    ranges: list[str] = []
    start = previous = None
    for code in [*sorted(codes), None]:
        if code is not None and previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None and previous is not None:
            ranges.append(f"{start:x}" if start == previous else f"{start:x}-{previous:x}")
        start = previous = code
    return " ".join(ranges)


def _to_entry(face: ScannedFace) -> dict[str, Any]:
    return {
        "index": face.index,
        "families": list(face.families),
        "style": face.style,
        "fs_type": face.fs_type,
        "charset": face.charset,
    }


def _from_entry(path: str, entry: dict[str, Any], stat: os.stat_result) -> list[ScannedFace] | None:
    """The cached faces of an unchanged file; None when the file changed or the entry is not sound."""
    try:
        if entry["mtime_ns"] != stat.st_mtime_ns or entry["size"] != stat.st_size:
            return None
        faces = []
        for item in entry["faces"]:
            families = tuple(_clean(f) for f in item["families"] if isinstance(f, str))
            if not families or "" in families:
                return None
            index, fs_type = item["index"], item["fs_type"]
            style, charset = item["style"], item["charset"]
            if not (isinstance(index, int) and isinstance(fs_type, int)):
                return None
            if not (isinstance(style, str) and isinstance(charset, str) and _charset_sound(charset)):
                return None
            faces.append(ScannedFace(path, index, families, style, fs_type, charset))
        return faces
    except (KeyError, TypeError, AttributeError):
        return None


CHARSET = re.compile(r"(?:[0-9a-f]{1,6}(?:-[0-9a-f]{1,6})?(?: [0-9a-f]{1,6}(?:-[0-9a-f]{1,6})?)*)?")


def _charset_sound(charset: str) -> bool:
    return len(charset) < 2_000_000 and CHARSET.fullmatch(charset) is not None
