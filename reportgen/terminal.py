"""Columns for the terminal: Chinese characters take two cells, so padding counts cells
(ambiguous marks such as “ and — one, as most terminals show them)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap
