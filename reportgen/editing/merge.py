"""Two sets of changes to one text put together line by line, as version control merges them:
the page's (base → mine) and another program's made on disk meanwhile (base → theirs).  Changes
to different lines are both kept; changes to the same lines (or touching, so that their order
would be a guess) are a conflict, and nothing is merged."""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any

Hunk = tuple[int, int, list[str]]  # the base's lines [start, end) replaced by these


def _hunks(base: list[str], other: list[str]) -> list[Hunk]:
    matcher = SequenceMatcher(a=base, b=other, autojunk=False)
    return [(i1, i2, other[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _touch(a: Hunk, b: Hunk) -> bool:
    """Whether two changes overlap or meet (an insertion at the edge of another change counts)."""
    return not (a[1] < b[0] or b[1] < a[0]) and not (a[0] == a[1] == b[0] == b[1] and a[2] == b[2])


def merge3(base: str, mine: str, theirs: str) -> str | None:
    """The text with both sides' changes, or None where they conflict."""
    if mine == base:
        return theirs
    if theirs in (base, mine):
        return mine
    lines = base.splitlines(keepends=True)
    ours = _hunks(lines, mine.splitlines(keepends=True))
    others = _hunks(lines, theirs.splitlines(keepends=True))
    for a in ours:
        for b in others:
            if _touch(a, b) and (a[0], a[1], a[2]) != (b[0], b[1], b[2]):
                return None
    chosen = {(h[0], h[1]): h for h in [*ours, *others]}  # the same change on both sides once
    result, at = [], 0
    for start, end, replacement in sorted(chosen.values(), key=lambda h: (h[0], h[1])):
        result += lines[at:start]
        result += replacement
        at = end
    result += lines[at:]
    return "".join(result)


_MISSING = object()


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> dict[tuple[str | int, ...], Any]:
    """Every value by its path; a list's length counts as a value of its own (rows added or
    removed are a change of the list, not of each row after them)."""
    found: dict[tuple[str | int, ...], Any] = {}
    if isinstance(value, dict):
        for key, inner in value.items():
            found.update(_leaves(inner, (*path, key)))
    elif isinstance(value, list):
        found[(*path, "#")] = len(value)
        for index, inner in enumerate(value):
            found.update(_leaves(inner, (*path, index)))
    else:
        found[path] = value
    return found


def merge_values(base: str, mine: str, theirs: str) -> str | None:
    """Where the two sides changed different values on neighbouring lines (联系人 here, 联系电话
    there): theirs made in my text value by value; None when both changed one value differently,
    or theirs added or removed rows."""
    from reportgen.editing.yaml_edit import Change, EditError, apply
    from reportgen.errors import InputError
    from reportgen.input.loader import load

    try:
        b, m, t = (_leaves(load("文件.yaml", text.encode("utf-8")).data) for text in (base, mine, theirs))
    except InputError:
        return None
    changed = {p: t.get(p, _MISSING) for p in b.keys() | t.keys() if b.get(p, _MISSING) != t.get(p, _MISSING)}
    if any(p[-1] == "#" for p in changed):
        return None  # rows added or removed on disk: a merge by lines, or the officer's choice
    changes = []
    for path, value in sorted(changed.items(), key=lambda item: str(item[0])):
        if m.get(path, _MISSING) not in (b.get(path, _MISSING), value):
            return None  # the same value changed on both sides
        if m.get(path, _MISSING) == value:
            continue
        changes.append(Change("remove", path) if value is _MISSING else Change("set", path, value))
    try:
        return apply(mine, changes)
    except EditError:
        return None
