"""Where the PDF's engine breaks lines otherwise than Word and LibreOffice, told so in the PDF
alone.

- Word and LibreOffice treat “‘ as opening and ”’ as closing brackets by themselves; Pango
  follows UAX #14 (LB19), which forbids a break on either side of the ambiguous quotation marks:
  the PDF gets a zero-width space there (justification gives it no width, and the PDF's text
  does not carry it).
- LibreOffice keeps a list of figures ("99.69%、99.78%、99.74%") together as one run and moves it
  to the next line whole; Pango would break after a mark between two figures: the PDF gets a
  word joiner there.

Nothing is added to the Word file: its text is the author's, character for character.
"""

from __future__ import annotations

import re

BREAK = "\u200b"  # zero-width space: a break opportunity that prints nothing
JOIN = "\u2060"  # word joiner: no break here

_FIGURE_LISTS = re.compile(r"(?<=[0-9%][、，；])(?=[0-9])")

# The ambiguous quotation marks: only the PDF needs these breaks.
_QUOTES = re.compile(r"(?<=[^\s\u200b])(?=[“‘])|(?<=[”’])(?=[^\s\u200b，。、；：！？）》”’])")


def around_quotes(text: str) -> str:
    """A break opportunity before an opening and after a closing Chinese quotation mark."""
    return _QUOTES.sub(BREAK, text)


def figure_lists(text: str) -> str:
    """No break after the mark between two figures of a list."""
    return _FIGURE_LISTS.sub(JOIN, text)
