"""`import --into` under mutated officers' files: flow and block mappings, comments, blank
lines, CRLF, a BOM, quoting, keys missing or written empty.  Whatever the file, the result is
either refused with a message (the file stays as it was) or reads back with the tables'
figures in it and every comment of the file kept."""

from __future__ import annotations

import random
import sys
from decimal import Decimal

import pytest
import yaml
from conftest import ROOT

sys.path.insert(0, str(ROOT / "tests" / "importing"))

from workbooks import QINGXI, write

from reportgen.errors import ReportgenError
from reportgen.importing.final_accounts import read_figures, read_workbook
from reportgen.importing.into import Text, fill
from reportgen.input.loader import load

CASES = 300  # about five seconds: in the fast tier
EXAMPLE = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
GROUPS = ("收入来源", "支出性质")


def _funds_block(rng: random.Random) -> str:
    """部门整体收支情况 written one of many ways."""
    figures = {"本年收入": "3268.45", "年初结转和结余": "185.20", "本年支出": "3301.62"}
    lines = ["  部门整体收支情况:"]
    for key, value in figures.items():
        style = rng.choice(["plain", "quoted", "empty", "absent", "comment"])
        if style == "plain":
            lines.append(f"    {key}: {value}")
        elif style == "quoted":
            lines.append(f"    {key}: '{value}'")
        elif style == "empty":
            lines.append(f"    {key}:")
        elif style == "comment":
            lines.append(f"    {key}: {value}  # 手填，待核对")
    for group in GROUPS:
        parts = {"收入来源": {"财政拨款收入": "3012.30", "其他收入": "256.15"}, "支出性质": {"人员经费": "1046.88"}}[
            group
        ]
        style = rng.choice(["block", "flow", "flow-lines", "empty-flow", "absent", "empty"])
        if style == "block":
            lines.append(f"    {group}:")
            lines += [f"      {k}: {v}" for k, v in parts.items()]
        elif style == "flow":
            lines.append(f"    {group}: {{{', '.join(f'{k}: {v}' for k, v in parts.items())}}}")
        elif style == "flow-lines":
            lines.append(f"    {group}: {{")
            lines += [f"      {k}: {v}," for k, v in parts.items()]
            lines.append("    }")
        elif style == "empty-flow":
            lines.append(f"    {group}: {{}}")
        elif style == "empty":
            lines.append(f"    {group}:")
    if rng.random() < 0.3:
        lines.insert(rng.randrange(1, len(lines) + 1), "")
    if len(lines) == 1:
        lines.append("    说明: 数字待决算")
    return "\n".join(lines) + "\n"


def _officer_file(rng: random.Random) -> str:
    start = EXAMPLE.index("  部门整体收支情况:")
    end = EXAMPLE.index("\n综合评价分析:") if "\n综合评价分析:" in EXAMPLE else EXAMPLE.index("\n", start)
    text = EXAMPLE[:start] + _funds_block(rng) + EXAMPLE[end + 1 :]
    if rng.random() < 0.5:
        fmt = rng.choice(["格式: {千位分隔符: true}", "格式:\n  千位分隔符: true", "格式: {}"])
        text = text.replace("自称: 我局\n", f"自称: 我局\n{fmt}\n")
    return text


@pytest.fixture(scope="module")
def found(tmp_path_factory):
    return read_figures(read_workbook(write(tmp_path_factory.mktemp("book") / "决算.xlsx")))


def test_into_leaves_every_file_updated_and_readable_or_refused(found, tmp_path):
    rng = random.Random(2024)
    outcomes = {"filled": 0, "refused": 0}
    for case in range(CASES):
        text = _officer_file(rng)
        crlf, bom = rng.random() < 0.3, rng.random() < 0.2
        raw = ("\ufeff" if bom else "") + (text.replace("\n", "\r\n") if crlf else text)
        path = tmp_path / f"{case}.yaml"
        path.write_bytes(raw.encode("utf-8"))
        try:
            load(path)
            base = Text.read(path)
            body, _ = fill(base.body, found, "决算.xlsx")
        except ReportgenError:
            outcomes["refused"] += 1
            continue
        result = base.back(body)
        assert result.replace("\r\n", "\n").count("\n") >= text.count("\n"), case  # nothing lost
        assert (result.count("\r\n") == result.count("\n")) if crlf else "\r" not in result, case
        path.write_bytes(result.encode("utf-8"))
        data = load(path).data  # reads back
        funds = data["基本情况"]["部门整体收支情况"]
        assert Decimal(str(funds["本年收入"])) == QINGXI["本年收入合计"], case
        assert funds["支出性质"]["基本支出"] == QINGXI["基本支出"], case
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert all(line in result for line in comments), case
        assert yaml.safe_load(result.lstrip("\ufeff"))["年度"] == 2024
        outcomes["filled"] += 1
    assert outcomes["filled"] >= CASES * 0.9, outcomes
