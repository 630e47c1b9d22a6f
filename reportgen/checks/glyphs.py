"""Characters that no font of the document can draw, found before a build is attempted."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from reportgen.checks.registry import FileContext, rule
from reportgen.diagnostics import Diagnostic, Path_
from reportgen.errors import ReportgenError
from reportgen.input.loader import character_name


def strings(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every key and text of the file, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*path, key), str(key)
            yield from strings(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


@rule("文字", "缺字", phase="text")
def missing_glyphs(ctx: FileContext) -> Iterator[Diagnostic]:
    """One error per character that none of the layout's fonts has, at its first occurrence.
    Where the fonts cannot be looked up (a template's font file unreadable), the build reports it."""
    from reportgen.fonts import faces

    loaded = ctx.loaded
    try:
        chains = [r for r in (faces.resolve(spec) for spec in ctx.template.layout.fonts.values()) if r.chain]
    except ReportgenError:
        return
    if not chains:
        return
    drawable: set[str] = set()
    for path, text in strings(loaded.data):
        for char in dict.fromkeys(text):
            if char in drawable or char.isspace():
                continue
            if any(r.face_for(char) is not None for r in chains):
                drawable.add(char)
                continue
            drawable.add(char)  # reported once
            line, column = loaded.position(path)
            offset = text.index(char)
            before = text[max(0, offset - 8) : offset]
            message = (
                f"字符「{char}」({character_name(char)}) 没有任何可用字体能显示"
                f"（在「{before}」之后）：请改用常用字，或安装含该字的字体"
            )
            yield ctx.error_at(line, column, message, path, "缺字")
