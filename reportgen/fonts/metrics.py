"""How wide a face sets each character, read from the font file (its cmap and advance widths):
what decides whether "96.23%" fits a cell.  The estimate of half an em for every Latin letter and
digit is wrong by a fifth for a "%" in the Fandol faces (0.83 em), enough to split a figure
from its sign in a narrow column.
"""

from __future__ import annotations

import functools

from reportgen.fonts.faces import Face


@functools.cache
def _advances(path: str, index: int) -> dict[int, float]:
    """Code point → advance width in ems, for every character the face maps."""
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        scale = float(font["head"].unitsPerEm)
        metrics = font["hmtx"].metrics
        return {code: metrics[name][0] / scale for code, name in font.getBestCmap().items() if name in metrics}
    except Exception:  # a damaged or unusual file: the estimate stands in for it
        return {}


def advance(face: Face, char: str) -> float | None:
    """The face's advance for `char` in ems; None when the file does not say."""
    return _advances(face.file, face.index).get(ord(char))
