"""Messages that print on every console: a Windows one in GBK, an ASCII one, a file redirected
on a system whose locale is not UTF-8.  A character the stream's encoding has no code for is
written as its nearest plain form (› as >, − as -), else as a \\u escape; printing never fails.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import sys

HANDLER = "reportgen-nearest"

# Each character's stand-ins, the first one the console's encoding can write is used.
NEAREST: dict[str, tuple[str, ...]] = {
    "›": (">",),
    "‹": ("<",),
    "−": ("-",),
    "–": ("-",),
    "—": ("--",),
    "―": ("--",),
    "↵": (" ",),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "「": ('"',),
    "」": ('"',),
    "『": ('"',),
    "』": ('"',),
    "《": ("<",),
    "》": (">",),
    "［": ("[",),
    "］": ("]",),
    "【": ("[",),
    "】": ("]",),
    "（": ("(",),
    "）": (")",),
    "：": (":",),
    "；": (";",),
    "，": (",",),
    "、": (",",),
    "。": (".",),
    "！": ("!",),
    "？": ("?",),
    "％": ("%",),
    "…": ("...",),
    "·": (".",),
    "•": ("·", "*"),
    "▪": ("·", "*"),
    "×": ("x",),
    "÷": ("/",),
    "±": ("+/-",),
    "≥": (">=",),
    "≤": ("<=",),
    "≠": ("!=",),
    "≈": ("~",),
    "→": ("->",),
    "←": ("<-",),
    "✓": ("√", "OK"),
    "✗": ("×", "X"),
    "½": ("1/2",),
    "\u00a0": (" ",),
    "\u2002": (" ",),
    "\u2005": (" ",),
    "\u3000": ("  ",),
}


def _nearest(error: UnicodeError) -> tuple[str, int]:
    """The codecs error handler: stand-ins for the characters the encoding cannot write."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out: list[str] = []
    for char in error.object[error.start : error.end]:
        for candidate in NEAREST.get(char, ()):
            try:
                candidate.encode(error.encoding)
            except (UnicodeError, LookupError):
                continue
            out.append(candidate)
            break
        else:
            out.append(char.encode("ascii", "backslashreplace").decode("ascii"))
    return "".join(out), error.end


def install() -> None:
    """Make stdout and stderr write every message, whatever their encoding."""
    codecs.register_error(HANDLER, _nearest)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # no console at all (pythonw), or a stream replaced by a caller
            continue
        with contextlib.suppress(ValueError, OSError, io.UnsupportedOperation):
            reconfigure(errors=HANDLER)


MAX_SHOWN = 200  # messages printed for one file: past that, the first ones are what to fix


def shown(lines: list[str], limit: int = MAX_SHOWN) -> list[str]:
    """The first `limit` messages, and a line saying how many more there are."""
    if len(lines) <= limit:
        return lines
    return [*lines[:limit], f"……另有 {len(lines) - limit} 条，未列出（先改正上面的，再运行一次）"]
