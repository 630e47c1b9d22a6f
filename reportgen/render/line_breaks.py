"""Break opportunities that Chinese typesetting allows and Unicode's line-breaking rules do not.

Both files get the same ones, so that the PDF, LibreOffice and Word break lines alike.

A list of figures such as "99.69%、99.78%、99.74%" is one unbreakable run for Pango and for
LibreOffice (UAX #14 keeps a comma-like mark between digits with them), so when the list meets
the end of a line the whole run moves down and the line above is letter-spaced by the width of
the run — 4.3 pt a gap measured on seed 001.  Each figure is its own word: the line may break
after the mark between two figures (never inside a figure, GB/T 15835), and a zero-width space
says so to every engine.  The Word file carries it too (LibreOffice would keep the list whole
otherwise); it is invisible there, and `reportgen import` drops it with the other format
characters.
"""

from __future__ import annotations

import re

BREAK = "\u200b"  # zero-width space: a break opportunity that prints nothing

_FIGURE_LISTS = re.compile(r"(?<=[0-9%][、，；])(?=[0-9])")

# The ambiguous quotation marks: UAX #14 (LB19) forbids breaks on either side of them; Chinese
# treats “‘ as opening and ”’ as closing brackets, as Word and LibreOffice do by themselves, so
# only the PDF needs these.
_QUOTES = re.compile(r"(?<=[^\s\u200b])(?=[“‘])|(?<=[”’])(?=[^\s\u200b，。、；：！？）》”’])")


def between_figures(text: str) -> str:
    """A break opportunity after each mark that separates two figures in a list."""
    return _FIGURE_LISTS.sub(BREAK, text)


def around_quotes(text: str) -> str:
    """A break opportunity before an opening and after a closing Chinese quotation mark."""
    return _QUOTES.sub(BREAK, text)
