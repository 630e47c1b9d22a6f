"""Loading the PDF engine (WeasyPrint) once, quickly, and saying plainly when it cannot load.

WeasyPrint finds its native libraries by trying several names for each, one per platform; on
Linux the first names miss and each miss makes ctypes start `ldconfig` and `gcc` to look for it
(about 20 ms each, 0.4 s in all) before the name that works is tried.  While WeasyPrint loads,
that search answers "not found" at once on Linux, where the exact names that follow are found
by the dynamic loader itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from reportgen.errors import RenderError

_engine: ModuleType | None = None


@contextmanager
def _no_library_search() -> Iterator[None]:
    if not sys.platform.startswith("linux"):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


class EngineMissing(RenderError):
    """The PDF engine cannot load on this machine: everything but the PDF can still be written."""

    def __init__(self, missing: str, fix: str) -> None:
        self.missing, self.fix = missing, fix
        super().__init__(missing_message(missing, fix))


def missing_message(missing: str, fix: str, docx: str | None = None) -> str:
    """One line: what is missing and the command that installs it here; for a build, the Word way
    round (its .docx saved as PDF gives the same pages)."""
    message = f"未生成 PDF：{missing}。安装：{fix}"
    if docx:
        return f"{message}；或用 Word 或 WPS 打开「{docx}」另存为 PDF，页面相同（可再用 reportgen check-layout 检查）"
    return message


_failure: EngineMissing | None = None
LIBRARY = re.compile(r"cannot load library '([^']+)'")


def weasyprint() -> Any:
    """The weasyprint module, imported once; EngineMissing, saying what to install, when it cannot be."""
    global _engine, _failure
    if _engine is not None:
        return _engine
    if _failure is not None:
        raise _failure
    from reportgen import setup_advice

    try:
        # WeasyPrint prints a banner of its own on stdout before it gives up: the message below says it all
        with _no_library_search(), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint as engine
    except OSError as exc:  # Pango, HarfBuzz or fontconfig missing
        found = LIBRARY.search(str(exc))
        library = found[1] if found else str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        _failure = EngineMissing(f"本机缺少 PDF 引擎所需的库（{library}）", setup_advice.ENGINE.here())
        raise _failure from exc
    except ImportError as exc:  # the Python package itself is not installed
        _failure = EngineMissing(f"未安装 PDF 引擎 WeasyPrint（{exc}）", setup_advice.ENGINE_PACKAGE.here())
        raise _failure from exc
    _fast_compression()
    _engine = engine
    return engine


COMPRESSION_LEVEL = 1  # zlib's fastest: files 4 % larger than at 9, written in a fifth of the time


class _Zlib:
    """zlib as pydyf sees it, with the level set here: pydyf compresses every stream at level 9,
    the slowest, which took a third of the time of writing a PDF (0.06 s of 0.17 s for ten
    pages, mostly the fonts' subsets) for 4 % of its size."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def compressobj(self, level: int = -1, *args: Any, **kwargs: Any) -> Any:
        return self._real.compressobj(COMPRESSION_LEVEL, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _fast_compression() -> None:
    import zlib

    import pydyf

    if getattr(pydyf, "zlib", None) is zlib:
        pydyf.zlib = _Zlib(zlib)


def compression_tuned() -> bool:
    """Whether the PDF writer compresses at COMPRESSION_LEVEL (the patch took)."""
    import pydyf

    return isinstance(getattr(pydyf, "zlib", None), _Zlib)


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
    try:  # elsewhere the library's names vary: ask the engine, which has looked for it
        weasyprint()
        from weasyprint.text import ffi
    except (RenderError, ImportError):
        return True  # no engine at all: that is what its own message says
    return getattr(ffi, "harfbuzz_subset", None) is not None


def subset_warning() -> str:
    from reportgen import setup_advice

    fix = setup_advice.SUBSET.here()
    return f"警告: 未安装 HarfBuzz 子集库（libharfbuzz-subset），生成 PDF 会慢 10–30 倍。安装：{fix}"
