"""What a read document is made of, whatever it was read from: paragraphs and tables, in order."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Para:
    text: str
    style: str = ""  # a Word paragraph's style name, when there is one (标题, Heading 1…)
    unsure: str = ""  # why the reader is not sure this is one paragraph


@dataclass
class Grid:
    """A table as rows of cell texts, merged cells repeated in every row and column they cover."""

    rows: list[list[str]] = field(default_factory=list)


Item = Para | Grid
