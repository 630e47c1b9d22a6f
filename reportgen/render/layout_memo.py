"""What a layout settled, remembered by what was laid out: the grid space (render/grid.py) that a
document's exact HTML led to, and the first guess its tables alone gave, so that a rebuild of
the same text (the resident engine's next build, `watch` after an edit elsewhere) lays it out
once instead of two or three times.

Each entry is keyed by a digest of the very HTML a pass would lay out, with reportgen's version
and the fonts it found; a remembered result is only a starting point that grid.settle checks
(the layout with it must already be settled) before it is used, so a stale or damaged entry can
cost a pass, never change a page.  Entries live in this process and in the user's cache folder
(small JSON files), so the children the resident engine forks share them.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen import __version__

MAX_ENTRIES = 2_000  # files in the cache folder before the oldest half goes
_MEMORY: dict[str, Any] = {}


def enabled() -> bool:
    return not os.environ.get("REPORTGEN_NO_LAYOUT_CACHE")


def folder() -> Path | None:
    if not enabled():
        return None
    base = os.environ.get("XDG_CACHE_HOME") or (str(Path.home() / ".cache") if Path.home().is_dir() else "")
    return Path(base) / "reportgen" / "layout" if base else None


class LayoutMemo:
    """Remembered results for one document's passes; `html_of` gives the HTML a pass would lay
    out (the same arguments as the pass itself)."""

    def __init__(self, html_of: Callable[..., str], fonts: str) -> None:
        self._html_of = html_of
        self._salt = f"{__version__}\0{_code()}\0{fonts}\0"

    def key(self, *args: Any, **kwargs: Any) -> str:
        text = self._salt + self._html_of(*args, **kwargs)
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def load(self, key: str) -> Any:
        if not enabled():
            return None
        if key in _MEMORY:
            return _MEMORY[key]
        place = folder()
        if place is None:
            return None
        try:
            value = json.loads((place / f"{key}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        _MEMORY[key] = value
        return value

    def save(self, key: str, value: Any) -> None:
        if not enabled():
            return
        _MEMORY[key] = value
        place = folder()
        if place is None:
            return
        with contextlib.suppress(OSError, ValueError, TypeError):
            place.mkdir(parents=True, exist_ok=True)
            temporary = place / f".{key}.{os.getpid()}.tmp"
            temporary.write_text(json.dumps(value), encoding="utf-8")
            os.replace(temporary, place / f"{key}.json")
            _trim(place)


@functools.cache
def _code() -> str:
    """reportgen's own files as installed (name, size, time): another version of the code that
    settles layouts does not take this one's results."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def _trim(place: Path) -> None:
    entries = list(place.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) // 2]:
        with contextlib.suppress(OSError):
            old.unlink()
