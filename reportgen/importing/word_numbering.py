"""The numbers Word draws before a paragraph (一、 （一） 1.) from its list numbering, which are
not in the paragraph's text: without them a report whose headings are numbered by Word has no
outline to read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from reportgen.figures.numbers import chinese_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "chineseLegalSimplified")


@dataclass
class Level:
    kind: str  # numFmt: decimal, chineseCounting, bullet…
    text: str  # lvlText: "%1、", "（%1）"
    start: int = 1


@dataclass
class Numbering:
    """Each list's levels, and the counters as the document goes."""

    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # numId → ilvl → level
    styles: dict[str, tuple[str, int]] = field(default_factory=dict)  # styleId → (numId, ilvl)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Any) -> Numbering:
        found = cls()
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            abstract = {a.get(f"{W}abstractNumId"): _levels(a) for a in numbering.findall(f"{W}abstractNum")}
            for num in numbering.findall(f"{W}num"):
                ref = num.find(f"{W}abstractNumId")
                if ref is not None:
                    found.levels[num.get(f"{W}numId", "")] = abstract.get(ref.get(f"{W}val"), {})
        for style in document.styles.element.findall(f"{W}style"):
            pr = style.find(f"{W}pPr/{W}numPr")
            if pr is not None:
                found.styles[style.get(f"{W}styleId", "")] = _ids(pr)
        return found

    def prefix(self, paragraph: Any) -> str:
        """The number Word draws before this paragraph, or "" (a bullet, no list)."""
        pr = paragraph.find(f"{W}pPr/{W}numPr")
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        if pr is not None:
            num_id, ilvl = _ids(pr)
        elif style is not None and style.get(f"{W}val") in self.styles:
            num_id, ilvl = self.styles[style.get(f"{W}val", "")]
        else:
            return ""
        level = self.levels.get(num_id, {}).get(ilvl)
        if level is None or level.kind in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        return re.sub(r"%(\d)", lambda m: self._shown(num_id, int(m[1]) - 1), level.text)

    def _shown(self, num_id: str, ilvl: int) -> str:
        level = self.levels.get(num_id, {}).get(ilvl)
        value = self.counters.get(num_id, {}).get(ilvl, level.start if level else 1)
        return chinese_number(value) if level is not None and level.kind in _CHINESE else str(value)


def _ids(pr: Any) -> tuple[str, int]:
    num = pr.find(f"{W}numId")
    lvl = pr.find(f"{W}ilvl")
    level = lvl.get(f"{W}val", "0") if lvl is not None else "0"
    number = num.get(f"{W}val", "") if num is not None else ""
    return number, int(level) if level.isdecimal() and len(level) < 2 else 0


def _levels(abstract: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for lvl in abstract.findall(f"{W}lvl"):
        index = lvl.get(f"{W}ilvl", "0")
        kind = lvl.find(f"{W}numFmt")
        text = lvl.find(f"{W}lvlText")
        start = lvl.find(f"{W}start")
        begin = start.get(f"{W}val", "1") if start is not None else "1"
        if index.isdecimal() and len(index) < 2:
            levels[int(index)] = Level(
                kind.get(f"{W}val", "decimal") if kind is not None else "decimal",
                text.get(f"{W}val", "") if text is not None else "",
                int(begin) if begin.isdecimal() and len(begin) < 6 else 1,
            )
    return levels
