"""A read document's outline: its title, its parts (一、) and sections (（一）), each with the
paragraphs and tables under it, and the names the district's outline gives them."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from reportgen.figures.numbers import chinese_number
from reportgen.importing.items import Grid, Item, Para
from reportgen.importing.lines import width
from reportgen.input.model import FIGURE_SECTIONS, PART_ALTERNATIVES

_CN = "一二三四五六七八九十"
PART = re.compile(rf"^\s*[{_CN}]+\s*[、．.]\s*")
SECTION = re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[）)]\s*")
SMALL = re.compile(r"^\s*(?:\d+\s*[.．、]|[（(]\d+[）)])\s*")


@dataclass
class Section:
    heading: str  # as written, numbering and all
    body: list[Item] = field(default_factory=list)

    @property
    def name(self) -> str:
        return bare(self.heading)


@dataclass
class Part:
    heading: str
    body: list[Item] = field(default_factory=list)  # before its first section
    sections: list[Section] = field(default_factory=list)

    @property
    def name(self) -> str:
        return bare(self.heading)


@dataclass
class Outline:
    label: str = ""
    title: list[str] = field(default_factory=list)
    preamble: list[Item] = field(default_factory=list)  # before the first part
    parts: list[Part] = field(default_factory=list)


def bare(heading: str) -> str:
    """A heading without its number and closing mark: （二）部门整体收支情况。 → 部门整体收支情况."""
    text = SECTION.sub("", PART.sub("", heading, count=1), count=1)
    return text.strip().rstrip("。：:；; ")


def heading_level(para: Para) -> int:
    """1 for 一、…, 2 for （一）…, 0 for running text; a Word heading style counts too."""
    style = para.style.lower()
    text = para.text.strip()
    short = width(text) <= 60 and "。" not in text.rstrip("。")
    if style.startswith(("heading 1", "标题 1")) or (PART.match(text) and short):
        return 1
    if style.startswith(("heading 2", "标题 2")) or (SECTION.match(text) and short):
        return 2
    return 0


def small_heading(text: str) -> bool:
    """1.各项工作任务绩效目标完成情况分析: numbered, short, no sentence in it."""
    return bool(SMALL.match(text)) and width(text) <= 50 and not re.search(r"[。；，]", text)


def build(items: list[Item], label: str, title: list[str]) -> Outline:
    outline = Outline(label, title)
    for item in items:
        level = heading_level(item) if isinstance(item, Para) else 0
        if level == 1:
            outline.parts.append(Part(item.text.strip()))  # type: ignore[union-attr]
        elif level == 2 and outline.parts:
            outline.parts[-1].sections.append(Section(item.text.strip()))  # type: ignore[union-attr]
        elif outline.parts and outline.parts[-1].sections:
            outline.parts[-1].sections[-1].body.append(item)
        elif outline.parts:
            outline.parts[-1].body.append(item)
        else:
            outline.preamble.append(item)
    return outline


def _closest(name: str, candidates: list[str], cutoff: float) -> str | None:
    if name in candidates:
        return name
    contained = [c for c in candidates if c and (c in name or name in c)]
    if contained:
        return max(contained, key=len)
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return close[0] if close else None


# what the standard parts are called in other provinces' outlines, by the words they turn on
_PART_WORDS = [
    ("存在的主要问题", re.compile(r"问题")),
    ("下一步改进措施", re.compile(r"改进|整改|措施|建议|意见|下一步")),
    ("基本情况", re.compile(r"基本情况|概况|部门情况|单位情况")),
    ("综合评价分析", re.compile(r"绩效|评价|分析|自评")),
]


def part_key(name: str, parts: list[str], taken: set[str]) -> str | None:
    """The district outline's part this heading is, if any (综合评价分析 and 绩效自评情况 are one):
    by its name, else by the words other outlines use for it (存在问题及原因, 改进意见)."""
    candidates = [p for p in parts if p not in taken]
    candidates += [PART_ALTERNATIVES[p] for p in candidates if p in PART_ALTERNATIVES]
    close = _closest(name, candidates, 0.6)
    if close is not None:
        return close
    for key, words in _PART_WORDS:
        wanted = key if key in candidates else PART_ALTERNATIVES.get(key)
        if wanted in candidates and words.search(name):
            return wanted
    return None


# a section about the department's money: 部门整体收支情况, 部门整体支出概况, 年度预算收支情况,
# 部门预算执行情况
_FUNDS_HEADING = re.compile(r"收支|收入支出|支出概况|预算执行情况|预算收支|财务收支")


def section_key(name: str, standard: list[str], taken: set[str]) -> str | None:
    if _FUNDS_HEADING.search(name) and not re.search(r"项目|专项", name):
        found: str | None = "部门整体收支情况"
    else:
        found = _closest(name, [s for s in standard if s not in FIGURE_SECTIONS], 0.75)
    return found if found is not None and found not in taken else None


def auto_part_heading(index: int, shown: str) -> str:
    return f"{chinese_number(index)}、{shown}"


def auto_section_heading(index: int, shown: str) -> str:
    return f"（{chinese_number(index)}）{shown}"


def is_table(item: Item) -> bool:
    return isinstance(item, Grid)
