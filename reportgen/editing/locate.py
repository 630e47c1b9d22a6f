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
_PUNCTUATION = set("（）【】《》〈〉「」『』“”‘’，。、；：！？")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def text_around(pdf: Path, number: int, x: float, y: float, reach: int = 60) -> tuple[str, int] | None:
    """The text of the line (or of the table cell's line) at the point (x, y as fractions of the
    page's width and height from its top left), with the point's place in it; None where there
    is no text."""
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
        return _run(textpage, index, reach)
    finally:
        document.close()


def _run(textpage: Any, index: int, reach: int) -> tuple[str, int]:
    """The characters on the same line as `index` with no wide gap between them: a line of a
    paragraph, or the line of one table cell (the rules and padding between cells are a gap).
    Lines are told by the characters' full boxes (the font's height), gaps by their ink (a
    full-width bracket inks one side of its square: the gap beside it is no gap)."""
    _, low, _, high = textpage.get_charbox(index, loose=True)
    height = max(high - low, 1.0)

    def joined(i: int, edge: float, forward: bool) -> tuple[bool, float]:
        char = textpage.get_text_range(i, 1)
        if char in ("\r", "\n", ""):
            return False, edge
        left, _, right, _ = textpage.get_charbox(i)
        if right - left <= 0 and char.isspace():
            return True, edge  # a space the extraction put in: no box of its own
        _, bottom, _, top = textpage.get_charbox(i, loose=True)
        same_line = min(top, high) - max(bottom, low) > 0.5 * height
        gap = (left - edge) if forward else (edge - right)
        neighbour = textpage.get_text_range(i - 1 if forward else i + 1, 1)
        near = gap < 0.7 * height or char in _PUNCTUATION or neighbour in _PUNCTUATION
        return same_line and near, (right if forward else left)

    first_left, _, first_right, _ = textpage.get_charbox(index)
    start, edge = index, first_left
    while start > 0 and index - start < reach:
        ok, edge = joined(start - 1, edge, False)
        if not ok:
            break
        start -= 1
    end, edge = index + 1, first_right
    total = textpage.count_chars()
    while end < total and end - index < reach:
        ok, edge = joined(end, edge, True)
        if not ok:
            break
        end += 1
    before = _squash(textpage.get_text_range(start, index - start))
    return before + _squash(textpage.get_text_range(index, end - index)), len(before)


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
    whole = _value_at(words, text, at)  # a cell's value, printed whole where the point is
    if whole is not None:
        return whole
    heading = _key_at(words, text, at)
    for size in (16, 10, 6):
        start = max(0, min(at - size // 2, len(text) - size))
        probe = text[start : start + size]
        if len(probe) < min(size, 2):
            continue
        hits = [(p, key) for p, w, key in words if probe in w]
        values = [p for p, key in hits if not key]
        if values and not (heading and size < 10):
            return values[0]
    return heading or _figure_at(leaves, text, at)


def _value_at(words: list[tuple[Path_, str, bool]], text: str, at: int) -> Path_ | None:
    """The longest value of the file printed whole across the point (86.5公里 in its cell), where
    it is most of what that line holds (not 我局 inside a sentence)."""
    filling = [(p, w) for p, w, is_key in words if not is_key and len(w) >= 2 and len(w) * 5 >= len(text) * 2]
    return _across(filling, text, at)


def _key_at(words: list[tuple[Path_, str, bool]], text: str, at: int) -> Path_ | None:
    """A heading: the longest key of the file printed across the point (（一）部门职能 → 部门职能)."""
    return _across([(p, w) for p, w, is_key in words if is_key and len(w) >= 2], text, at)


def _across(words: list[tuple[Path_, str]], text: str, at: int) -> Path_ | None:
    found: tuple[int, Path_] | None = None
    for path, word in words:
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
