"""Loading the PDF engine (WeasyPrint) once, quickly, and saying plainly when it cannot load.

WeasyPrint finds its native libraries by trying several names for each, one per platform; on
Linux the first names miss and each miss makes ctypes start `ldconfig` and `gcc` to look for it
(about 20 ms each, 0.4 s in all) before the name that works is tried.  While WeasyPrint loads,
that search answers "not found" at once on Linux, where the exact names that follow are found
by the dynamic loader itself.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from reportgen.input.diagnostics import RenderError

_engine: ModuleType | None = None


@contextmanager
def _no_library_search() -> Iterator[None]:
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None  # type: ignore[assignment]
    try:
        yield
    finally:
        ctypes.util.find_library = original


def weasyprint() -> Any:
    """The weasyprint module, imported once; RenderError with what to install when it cannot be."""
    global _engine
    if _engine is not None:
        return _engine
    try:
        with _no_library_search():
            import weasyprint as engine
    except OSError as exc:  # Pango, HarfBuzz or fontconfig missing
        raise RenderError(f"无法加载 PDF 引擎（{exc}）：请运行 scripts/setup.sh") from exc
    _engine = engine
    return engine


def available() -> bool:
    """Whether the engine loads here (loading it if so)."""
    try:
        weasyprint()
    except RenderError:
        return False
    return True


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz only when libharfbuzz-subset is installed."""
    if sys.platform.startswith("linux"):  # the loader finds the exact name at once
        try:
            ctypes.CDLL("libharfbuzz-subset.so.0")
        except OSError:
            return False
        return True
    return ctypes.util.find_library("harfbuzz-subset") is not None
