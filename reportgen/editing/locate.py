"""From a point on a printed page back to the input it came from.

The page's text around the point is read from the PDF and looked for in the file's own words: a
sentence the officer typed is found in its paragraph, an indicator's value in its row, a heading
in its section's key, a figure among the file's figures.  Text the template writes (a sentence
made of figures, a column heading) leads to the figures it quotes, or to nothing."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from reportgen.diagnostics import Path_

_SPACE = re.compile(r"[\s\u2060\u00ad\u200b]+")
_FIGURE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def text_around(pdf: Path, number: int, x: float, y: float, reach: int = 40) -> tuple[str, int] | None:
    """The text near the point (x, y as fractions of the page's width and height from its top
    left) with the point's place in it; None where there is no text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        if not 1 <= number <= len(document):
            return None
        page = document[number - 1]
        width, height = page.get_size()
        textpage = page.get_textpage()
        index = None
        for reach_x, reach_y in ((12, 12), (width, 8)):  # the character hit, else the nearest on that line
            index = textpage.get_index(x * width, (1 - y) * height, reach_x, reach_y)
            if index is not None and index >= 0:
                break
        if index is None or index < 0:
            return None
        total = textpage.count_chars()
        start = max(0, index - reach)
        before = textpage.get_text_range(start, index - start)
        after = textpage.get_text_range(index, min(reach, total - index))
    finally:
        document.close()
    squashed = _squash(before)
    return squashed + _squash(after), len(squashed)


def _leaves(value: Any, path: Path_ = ()) -> list[tuple[Path_, Any]]:
    found: list[tuple[Path_, Any]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append(((*path, key), str(key)))  # a key: a heading, a column's name
            found += _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _leaves(inner, (*path, index))
    elif value is not None and not isinstance(value, bool):
        found.append((path, value))
    return found


def find_source(data: dict[str, Any], text: str, at: int) -> Path_ | None:
    """The path of the value whose words are printed at `at` in `text`."""
    leaves = _leaves(data)
    words = [(p, _squash(v), isinstance(p[-1], str) and v == p[-1]) for p, v in leaves if isinstance(v, str)]
    heading = _key_at(words, text, at)
    for size in (16, 10, 6, 4):
        start = max(0, min(at - size // 2, len(text) - size))
        probe = text[start : start + size]
        if len(probe) < min(size, 2):
            continue
        hits = [(p, key) for p, w, key in words if probe in w]
        values = [p for p, key in hits if not key]
        if values and not (heading and size < 10):
            return values[0]
    return heading or _figure_at(leaves, text, at)


def _key_at(words: list[tuple[Path_, str, bool]], text: str, at: int) -> Path_ | None:
    """A heading: the longest key of the file printed across the point (（一）部门职能 → 部门职能)."""
    found: tuple[int, Path_] | None = None
    for path, word, is_key in words:
        if not is_key or len(word) < 2:
            continue
        start = text.find(word)
        while start >= 0:
            if start <= at < start + len(word) and (found is None or len(word) > found[0]):
                found = (len(word), path)
            start = text.find(word, start + 1)
    return found[1] if found else None


def _figure_at(leaves: list[tuple[Path_, Any]], text: str, at: int) -> Path_ | None:
    """A figure printed at the point (1,234.50 万元, 98.6%): the input of that value."""
    for match in _FIGURE.finditer(text):
        if not match.start() - 2 <= at <= match.end() + 2:
            continue
        try:
            shown = Decimal(match.group().replace(",", ""))
        except InvalidOperation:
            continue
        for path, value in leaves:
            if isinstance(value, int | Decimal) and not isinstance(value, bool) and Decimal(value) == shown:
                return path
    return None
