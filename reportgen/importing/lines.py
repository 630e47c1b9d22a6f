"""Paragraphs out of the lines of a text copied from a PDF or a published page.

Such text breaks every printed line, puts spaces around figures ("2022 年度"), adds blank
lines and page numbers, and splits paragraphs across pages.  A Chinese line is joined to the
next without a space; a paragraph ends where a line stops short of the full line with a closing
mark (。！？；：), where a heading or a new numbered item follows, or — in a text whose lines are
whole paragraphs already — at every line.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Iterable

from reportgen.importing.items import Para

CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》〔〕【】…—"
_SPACE = r"[ \t\u00a0\u3000]+"
_ARTEFACT_SPACE = re.compile(rf"(?<=[{CJK}]){_SPACE}(?=[{CJK}0-9A-Za-z%.])|(?<=[0-9A-Za-z%.]){_SPACE}(?=[{CJK}])")
_BULLET = re.compile(r"^[-•·▪●]\s+")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[—–\-－]\s*\d{1,4}\s*[—–\-－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_CLOSING = "。！？；：”」』）"
_OPENERS = re.compile(
    r"^(?:[一二三四五六七八九十]+[、是]|[（(][一二三四五六七八九十\d]+[）)]|\d+(?:、|[.．](?!\d))|第[一二三四五六七八九十]+[，、]|"
    r"目标\s*\d|任务\s*\d|其[一二三四五六七八九十]是)"
)
# a line of a form's text: a short label and its value (部门名称：…, 联系电话：…)
_FORM_LINE = re.compile(r"^[^。，；、\s]{1,12}[:：]")
HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


def clean(text: str) -> str:
    """Spaces the extraction put beside Chinese characters removed; other spaces kept (a Latin
    phrase keeps its own); control characters dropped."""
    text = "".join(c for c in text if c in "\t\n" or unicodedata.category(c)[0] != "C")
    return _ARTEFACT_SPACE.sub("", _BULLET.sub("", text.strip())).strip()


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def is_page_artefact(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line))


# the gap between two cells of a form's line (部门名称：…　年度：2023): the next cell is a label
_CELL_GAP = re.compile(r"(?:\u3000|\t|\s{2,})+(?=[^\s。，；、：:]{1,12}[:：])")


def _cells(raw_lines: Iterable[str]) -> list[str]:
    """A form's line cut into its label-and-value cells, each a line of its own."""
    out: list[str] = []
    for raw in raw_lines:
        stripped = raw.strip()
        out += _CELL_GAP.split(stripped) if _FORM_LINE.match(stripped) else [raw]
    return out


def paragraphs(raw_lines: Iterable[str]) -> list[Para]:
    raw = [line for line in _cells(raw_lines) if not is_page_artefact(line.strip())]  # "- 2 -" before a bullet is cut
    lines = [clean(line) for line in raw]
    lines = [line for line in lines if line and not is_page_artefact(line)]
    if not lines:
        return []
    full, whole_lines = _measure(lines)
    out: list[Para] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            out.append(Para("".join(current)))
            current.clear()

    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _heading_line(line, full):
            flush()
            out.append(Para(line))
            continue
        if current and _starts_anew(line, current[-1]):
            flush()
        current.append(line)
        form_lines = bool(_FORM_LINE.match(line) and _FORM_LINE.match(following))  # 标签：值, line after line
        if whole_lines or not following or form_lines or _paragraph_ends(line, following, len(current), full):
            flush()
    flush()
    for para in out:
        if _TABLE_TEXT.search(para.text):
            para.unsure = "这段像是从表格复制来的文字（表头和各格连在一起），请改写为「指标表」或「表格」"
    return out


def _measure(lines: list[str]) -> tuple[float, bool]:
    """The width of a full printed line, and whether each line is a paragraph of its own."""
    widths = [width(line) for line in lines]
    # lines a printed page wrapped: not ended by a mark, and not a heading (a short line of its own)
    wrapped = [
        w
        for line, w in zip(lines, widths, strict=True)
        if not line.endswith(tuple(_CLOSING)) and not HEADING.match(line)
    ]
    full = statistics.quantiles(wrapped, n=10)[7] if len(wrapped) >= 10 else max(widths)
    return full, statistics.median(widths) > 80  # no printed line is that long: one paragraph a line


def _starts_anew(line: str, before: str) -> bool:
    """A new item after a closed sentence, or a form's 标签：值 line."""
    return bool((_OPENERS.match(line) and _ends(before)) or _FORM_LINE.match(line))


def _paragraph_ends(line: str, following: str, lines_so_far: int, full: float) -> bool:
    """Whether a paragraph ends with `line`: at a closing mark on a short line or before a new
    item or heading; a short line of its own before a new item (a small heading: 1.各项工作……);
    a short line before a heading."""
    short = width(line) <= full - 2
    new_item = bool(_OPENERS.match(following)) or _heading_line(following, full)
    if _ends(line) and (short or new_item):
        return True
    if width(line) <= full - 4 and lines_so_far == 1 and new_item:
        return True
    return short and not _ends(line) and _heading_line(following, full)


_TABLE_TEXT = re.compile(r"一级指标.{0,8}二级指标|二级指标.{0,8}三级指标|指标名称.{0,8}指标值")


def _ends(line: str) -> bool:
    return line.endswith(tuple(_CLOSING))


def _heading_line(line: str, full: float) -> bool:
    """一、… or （一）… standing alone on a short line (a heading may end with 。 as published)."""
    if not HEADING.match(line):
        return False
    body = line.rstrip("。")
    return width(line) < min(full, 60) and "。" not in body and "，" not in body


_LABEL = re.compile(r"^附件\s*\d*$")


_DOCUMENT = re.compile(r"整体支出绩效|绩效自评|自评报告|自评表")
_YEAR_LINE = re.compile(r"^[（(]\s*20\d{2}\s*年度?\s*[)）]$")


def title_complete(title: list[str], line: str) -> bool:
    """Whether the title ends before `line`: it names the document already (a "（2023年度）"
    under it still belongs), it has three lines, or the line reads as text or a label."""
    if not title or _YEAR_LINE.match(line):
        return False
    return bool(_DOCUMENT.search("".join(title))) or len(title) >= 3 or bool(re.search(r"[:：。]", line))


def split_head(raw_lines: list[str]) -> tuple[str, list[str], list[str]]:
    """(附件 label, title lines, the rest): the title is the lines up to the one naming the
    document (and a "（2023年度）" under it); every other line before the first 一、 — a unit's
    name, 填报单位, 联系人, a date — stays in the rest, for the importer to place."""
    label = ""
    title: list[str] = []
    for index, raw in enumerate(raw_lines):
        line = clean(raw)
        if not line or is_page_artefact(line):
            continue
        if re.match(r"^[一二三四五六七八九十]+、", line) or (title and _OPENERS.match(line)):
            return label, title, raw_lines[index:]
        if not title and _LABEL.match(line):
            label = line.replace(" ", "")
            continue
        if title_complete(title, line):
            return label, title, raw_lines[index:]  # the rest is the report's
        title.append(line)
    return label, title, []
