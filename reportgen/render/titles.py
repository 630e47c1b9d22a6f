"""A long title broken by meaning (GB/T 9704 §7.3.3): between words, never inside one, into lines
of balanced length, and never a short word left alone on a line.

A title is built from parts — the year, the unit's name, the document's name — and each part the
template or the author wrote as a line of its own stays a line of its own.  Only a part too long
for one line is broken, at the boundaries of the words a unit's name is made of (市、区、委员会、
局……) or of the document's name, into as few lines as it needs, as even as they can be.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import cache

# Where a unit's name may break: after the name of a place or an organisation.  A heavier weight
# is a weaker boundary (the line still reads, but less well).
_ORGANISATIONS = (
    "人民代表大会常务委员会", "人民政府", "委员会", "办公室", "办事处", "管理局", "管理处", "管理所",
    "服务中心", "中心", "分局", "公安局", "局", "厅", "署", "院", "所", "站", "馆", "队", "部",
    "党组", "党校", "政府", "法院", "检察院", "学校", "中学", "小学", "大学", "学院", "医院",
    "协会", "联合会", "总工会", "公司", "集团",
)  # fmt: skip
_PLACES = ("自治区", "自治州", "自治县", "省", "市", "州", "盟", "县", "区", "旗", "镇", "乡", "街道")
# Words in which a place's character is no boundary: 城市管理, 市场监督, 社区, 区域.
_NOT_PLACES = (
    "城市", "市场", "市政", "市容", "市域", "市级", "社区", "园区", "景区", "校区", "街区", "小区", "辖区",
    "区域", "区级", "县域", "县级", "乡镇", "乡村", "城镇",
)  # fmt: skip
_PREFIXES = ("中国共产党", "中共", "共青团", "中国人民政治协商会议")
_DOCUMENT_WORDS = ("部门整体支出", "单位整体支出", "整体支出", "绩效自评报告", "绩效自评表", "绩效评价报告", "自评报告")
_YEAR = re.compile(r"^\d{4}\s*年度?")
_NARROW = re.compile(r"[\x20-\x7e]")


def width(text: str) -> float:
    """Width in ems: a Chinese character or full-width mark 1, a Latin letter or digit ½."""
    return sum(0.5 if _NARROW.match(c) else 1.0 for c in text)


@cache
def _breaks(text: str) -> dict[int, float]:
    """Positions after which a line may end, with the cost of ending it there."""
    found: dict[int, float] = {}
    year = _YEAR.match(text)
    if year:
        found[year.end()] = 0.0
    for prefix in _PREFIXES:
        for match in re.finditer(re.escape(prefix), text):
            found.setdefault(match.end(), 1.0)
    for words, cost in ((_ORGANISATIONS, 0.0), (_PLACES, 1.0), (_DOCUMENT_WORDS, 0.5)):
        for word in words:
            for match in re.finditer(re.escape(word), text):
                end = match.end()
                # "天河区委员会": the 区 is part of the organisation's name; "广州市": the 州 is part
                # of the city's
                if words is _PLACES and any(text.startswith(w, end) for w in ("委员会", "委", "人民", *_PLACES)):
                    continue
                found[end] = min(found.get(end, cost), cost)
    for word in _DOCUMENT_WORDS:  # the document's name starts a line well
        start = text.find(word)
        if start > 0:
            found[start] = min(found.get(start, 0.5), 0.5)
    for word in _NOT_PLACES:
        for match in re.finditer(re.escape(word), text):
            for inside in range(match.start() + 1, match.end() + 1):
                found.pop(inside, None)
    for word in _DOCUMENT_WORDS:  # and is never broken inside a word of it ("…执法局部 / 门整体…")
        for match in re.finditer(re.escape(word), text):
            for inside in range(match.start() + 1, match.end()):
                found.pop(inside, None)
    found.pop(len(text), None)
    found.pop(0, None)
    return found


Measure = Callable[[str], float]


def break_title(text: str, capacity: float, width: Measure = width) -> list[str]:
    """`text` in as few lines of at most `capacity` ems as it needs, broken between words, the
    lines as even as they can be (a short last line costs most), none of one character."""
    if width(text) <= capacity:
        return [text]
    candidates = sorted(_breaks(text))
    if not candidates:  # no word boundary known: even lines, a character at a time
        candidates = list(range(1, len(text)))
    costs = _breaks(text)
    ends = [*candidates, len(text)]
    best: dict[int, tuple[float, list[int]]] = {0: (0.0, [])}
    for end in ends:
        for start, (cost, path) in list(best.items()):
            if start >= end:
                continue
            line = text[start:end]
            w = width(line)
            if w > capacity or len(line) < 2:
                continue
            lines = len(path) + 1
            shortfall = (capacity - w) / capacity
            penalty = shortfall**2 + costs.get(end, 0.0) * 0.2 + lines * 10
            if end == len(text) and w < 4:
                penalty += 5  # a word or two alone on the last line
            total = cost + penalty
            if end not in best or total < best[end][0]:
                best[end] = (total, [*path, end])
    if len(text) not in best:  # a single word wider than a line: even lines, a character at a time
        count = 2
        while width(text[: -(-len(text) // count)]) > capacity and count < len(text) // 2:
            count += 1
        size = -(-len(text) // count)
        return [text[i : i + size] for i in range(0, len(text), size)]
    points = [0, *best[len(text)][1]]
    return _even([text[a:b] for a, b in itertools.pairwise(points)], text, capacity, costs, width)


def _even(lines: list[str], text: str, capacity: float, costs: dict[int, float], width: Measure) -> list[str]:
    """Among the breaks giving that many lines, the ones whose line widths differ least."""
    count = len(lines)
    positions = sorted(costs)
    best_lines, best_score = lines, _spread(lines, width) + _weakness(lines, costs)
    for choice in _choose(positions, count - 1):
        points = [0, *choice, len(text)]
        candidate = [text[a:b] for a, b in itertools.pairwise(points)]
        if any(width(line) > capacity or len(line) < 2 for line in candidate):
            continue
        score = _spread(candidate, width) + _weakness(candidate, costs)
        if score < best_score:
            best_lines, best_score = candidate, score
    return best_lines


def _spread(lines: list[str], width: Measure) -> float:
    widths = [width(line) for line in lines]
    return max(widths) - min(widths)


def _weakness(lines: list[str], costs: dict[int, float]) -> float:
    position, total = 0, 0.0
    for line in lines[:-1]:
        position += len(line)
        total += costs.get(position, 0.0) * 2
    return total


def _choose(items: list[int], k: int) -> list[tuple[int, ...]]:
    if len(items) > 40:  # a name of many parts: the first pass's answer is good enough
        return []
    return list(itertools.combinations(items, k))


def title_lines(parts: list[str], capacity: float, width: Measure = width) -> list[str]:
    """Each part a line of its own, a part too long for one line broken by meaning; `width`
    measures a line in ems as the title's face sets it."""
    return [line for part in parts for line in break_title(part, capacity, width)]
