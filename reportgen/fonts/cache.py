"""What a folder scan learnt about each font file, kept between runs in the user's cache folder.

Reading the names and the character map of a large CJK font takes a good part of a second, and a
Windows PC has hundreds of font files: each is read once, then found again by its path, size and
modification time.  The cache is only a shortcut: a missing, damaged or unwritable one means the
files are read again, never that a build fails.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

VERSION = 1
MAX_CACHE_BYTES = 64_000_000  # a few MB for a PC's fonts; anything larger is not ours


def cache_dir() -> Path | None:
    """Where this user's caches go on this system (None where there is no home to put it in)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "reportgen" if base else None
    if sys.platform == "darwin":
        home = os.environ.get("HOME")
        return Path(home) / "Library" / "Caches" / "reportgen" if home else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "reportgen"
    home = os.environ.get("HOME")
    return Path(home) / ".cache" / "reportgen" if home else None


def _file() -> Path | None:
    folder = cache_dir()
    return folder / "fonts.json" if folder else None


def load() -> dict[str, dict[str, Any]]:
    """The entries cached by path; empty when there is no cache or it cannot be read."""
    path = _file()
    if path is None:
        return {}
    try:
        if not path.is_file() or path.stat().st_size > MAX_CACHE_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):  # unreadable, not UTF-8, not JSON
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
        return {}
    return {k: v for k, v in data["files"].items() if isinstance(k, str) and isinstance(v, dict)}


def store(entries: dict[str, dict[str, Any]]) -> None:
    """Write the entries in place of the old cache, whole or not at all; failures are ignored."""
    path = _file()
    if path is None:
        return
    with suppress(OSError, ValueError, TypeError):
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"version": VERSION, "files": entries}, ensure_ascii=True, separators=(",", ":"))
        fd, name = tempfile.mkstemp(prefix=".fonts.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(name, path)
        finally:
            with suppress(OSError):
                os.unlink(name)
