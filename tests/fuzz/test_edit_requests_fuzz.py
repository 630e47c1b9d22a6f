"""Requests the edit page never sends — paths into nothing, negative rows, values of every type,
odd characters, unreadable texts — each answered with a message in Chinese, never an exception
out of the server, and the file on disk never touched by them."""

from __future__ import annotations

import json
import random

import pytest
from conftest import MINIMAL

from reportgen.editing.server import Routes
from reportgen.editing.session import Session

KEYS = [
    "部门名称",
    "年度",
    "基本情况",
    "部门整体收支情况",
    "绩效指标",
    "执行数",
    "𠀀",
    "\u202e",
    "",
    "键" * 300,
    "年度目标",
]
VALUES = [
    "x",
    "",
    None,
    0,
    -1,
    1e308,
    "1e999999999",
    "9" * 5000,
    [],
    {},
    [1, [2]],
    {"a": {"b": 1}},
    True,
    "\x00",
    "两\n行",
    "- a",
    "{x: 1}",
    "a: b",
]
KINDS = ["text", "number", "lines", "linelist", "list", "bool", "row", "blocks", "newsection", "不认识"]


def _request(rnd: random.Random) -> tuple[str, dict]:
    route = rnd.choice(["/change"] * 8 + ["/text", "/undo", "/locate", "/save"])
    if route == "/text":
        return route, {"text": rnd.choice(["", "部门名称: [", "a: 1\n" * 3, None, 5])}
    if route == "/locate":
        return route, {
            "kind": rnd.choice(["report", "form", "x"]),
            "page": rnd.choice([1, 0, -1, "a"]),
            "x": rnd.choice([0.5, "nan", -1]),
            "y": 0.5,
        }
    path = [rnd.choice(KEYS) if rnd.random() < 0.7 else rnd.randint(-3, 30) for _ in range(rnd.randint(0, 6))]
    change = {
        "op": rnd.choice(["set", "remove", "insert", "move", "drop"]),
        "path": path,
        "value": rnd.choice(VALUES),
        "as": rnd.choice(KINDS),
        "index": rnd.choice([0, 1, -5, 10**9, "x"]),
        "to": rnd.choice([0, 2, -1]),
    }
    return route, {"changes": [change]}


@pytest.mark.parametrize("seed", range(3))
def test_odd_requests_get_messages(write_yaml, seed):
    path = write_yaml(MINIMAL)
    session = Session(path)
    routes = Routes(session)
    rnd = random.Random(seed)
    answered = 0
    try:
        for _ in range(120):
            route, body = _request(rnd)
            if route == "/save":
                continue  # saving is the officer's act: the draft these requests leave is never written here
            found = routes.post(route, json.dumps(body).encode("utf-8"))
            assert found is not None
            answer = json.loads(found[0])
            if "error" in answer:
                assert answer["error"].startswith(("错误", "未保存")), answer["error"]
                answered += 1
        assert answered > 30  # most of these are refused, each with its message
        assert path.read_text(encoding="utf-8") == MINIMAL
    finally:
        session.close()
