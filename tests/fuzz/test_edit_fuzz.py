"""Random changes of the kinds the edit page sends, on every example: each is made exactly (the
file reads back with that change and nothing else, checked inside apply) or refused with an
EditError; nothing else ever comes out, and no refusal touches the text."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from reportgen.editing.yaml_edit import Change, EditError, apply
from reportgen.input.loader import load

ROOT = Path(__file__).resolve().parents[2]
VALUES = ["文字", "两段\n文字", "", None, Decimal("0"), Decimal("1234.56"), "≥95%", "a: b", "#不是注释", "- 不是列表"]


def _nodes(value, path=()):
    yield path, value
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _nodes(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _nodes(inner, (*path, index))


@pytest.mark.parametrize("seed", range(6))
def test_random_changes_are_exact_or_refused(seed):
    rnd = random.Random(seed)
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    text = rnd.choice(examples).read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    made = refused = 0
    for _ in range(40):
        nodes = [(p, v) for p, v in _nodes(load("x.yaml", text.encode()).data) if p]
        path, value = rnd.choice(nodes)
        kind = rnd.choice(["set", "set", "set", "new", "remove", "insert", "move"])
        if kind == "new":
            change = Change("set", (*path[:-1], "新键"), rnd.choice(VALUES)) if isinstance(path[-1], str) else None
        elif kind == "set":
            change = Change("set", path, rnd.choice(VALUES))
        elif kind == "remove":
            change = Change("remove", path)
        elif isinstance(value, list) and value:
            row = {"一级指标": "产出指标"} if isinstance(value[0], dict) else "新的一项"
            index, to = rnd.randrange(len(value) + 1), rnd.randrange(len(value))
            change = Change(kind, path, row, index=index if kind == "insert" else min(index, len(value) - 1), to=to)
        else:
            change = None
        if change is None:
            continue
        try:
            text = apply(text, [change])
            made += 1
        except EditError:
            refused += 1
    assert made > refused  # most changes of these kinds are made in place
