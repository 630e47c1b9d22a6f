"""Text widths in ems as a role's face sets them, for the decisions both files share (a table's
columns and its cells' lines, a title's lines).

Each character counts as the wider of two: the face's own advance (fonts/metrics.py) and the
estimate Word's official faces meet (a Chinese character one em, a Latin letter or digit half),
so that a width chosen here holds in the PDF and in Word with 仿宋_GB2312 alike.  A quarter em of
autospace stands where Chinese meets Latin letters or digits, as Word and the PDF set it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from reportgen.fonts.faces import Face
from reportgen.page import Layout, RoleFonts

_NARROW = re.compile(r"[\x20-\x7e]")
_SCRIPT_CHANGE = re.compile(r"(?<=[A-Za-z0-9%])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[A-Za-z0-9])")


def estimate(char: str) -> float:
    return 0.5 if _NARROW.match(char) else 1.0


class Measure:
    """Widths in ems by a chain of faces (the first that has a character sets it)."""

    def __init__(self, faces: Sequence[Face] = ()) -> None:
        self.faces = tuple(faces)
        self._chars: dict[str, float] = {}

    def char(self, char: str) -> float:
        known = self._chars.get(char)
        if known is None:
            from reportgen.fonts.metrics import advance

            face = next((f for f in self.faces if f.has(char)), None)
            own = advance(face, char) if face is not None else None
            known = self._chars[char] = max(estimate(char), own or 0.0)
        return known

    def width(self, text: str) -> float:
        return sum(self.char(c) for c in text) + 0.25 * len(_SCRIPT_CHANGE.findall(text))


@functools.cache
def _measure(fonts: RoleFonts) -> Measure:
    from reportgen.fonts import faces

    try:
        return Measure(faces.resolve(fonts).chain)
    except Exception:  # no font found at all: the estimate alone (the PDF says what is missing)
        return Measure()


def measure_for(layout: Layout, role: str = "表格") -> Measure:
    return _measure(layout.fonts[role])


def annex_hang_pt(layout: Layout, numbered: bool) -> float:
    """How far a 附件说明's name stands right of its line's start: under 附件： (three
    characters), and its number (1.) when there are several attachments."""
    if not numbered:
        return 3 * layout.advance_pt
    number = measure_for(layout, "正文").width("1.") * layout.body_pt + 2 * layout.letter_spacing_pt
    return 3 * layout.advance_pt + number
