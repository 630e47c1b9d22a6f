"""A rebuild of the same text lays it out once, from what the same HTML settled before, and
writes the same bytes; a remembered result that is wrong or damaged costs a pass, never a page."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from reportgen.build import build
from reportgen.render import layout_memo

EXAMPLE = ROOT / "examples" / "sample-jiedao-2024.yaml"  # a report and a form, tables and all


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("REPORTGEN_NO_LAYOUT_CACHE", raising=False)
    layout_memo._MEMORY.clear()
    yield tmp_path / "cache" / "reportgen" / "layout"
    layout_memo._MEMORY.clear()


def _passes(monkeypatch) -> list[int]:
    """Each layout the grid settling asks of the PDF engine, counted."""
    from reportgen.render import grid

    counted: list[int] = []
    original = grid.settle

    def settle(lay_out, *args, **kwargs):
        def counting(*a, **k):
            counted.append(1)
            return lay_out(*a, **k)

        return original(counting, *args, **kwargs)

    monkeypatch.setattr(grid, "settle", settle)
    return counted


def _outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_same_text_is_laid_out_once_and_written_the_same(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("REPORTGEN_NO_LAYOUT_CACHE", "1")
    build(EXAMPLE, tmp_path / "plain", kinds=("报告", "自评表"))
    monkeypatch.delenv("REPORTGEN_NO_LAYOUT_CACHE")
    counted = _passes(monkeypatch)
    build(EXAMPLE, tmp_path / "first", kinds=("报告", "自评表"))
    first = len(counted)
    counted.clear()
    layout_memo._MEMORY.clear()  # as a new process finds it: from the cache folder
    build(EXAMPLE, tmp_path / "again", kinds=("报告", "自评表"))
    assert len(counted) == 2 < first  # one layout for each of the two documents
    assert _outputs(tmp_path / "again") == _outputs(tmp_path / "first") == _outputs(tmp_path / "plain")
    assert len(list(cache.glob("*.json"))) >= 2


def test_a_wrong_or_damaged_entry_changes_no_page(cache, tmp_path, monkeypatch):
    build(EXAMPLE, tmp_path / "right", kinds=("报告", "自评表"))
    entries = sorted(cache.glob("*.json"))
    for number, entry in enumerate(entries):
        value = json.loads(entry.read_text(encoding="utf-8"))
        if number % 2 and isinstance(value, dict) and "pads" in value:  # a settled layout, made wrong
            value["pads"] = {k: v + 7.5 for k, v in value["pads"].items()} or {"3": 11.0}
            entry.write_text(json.dumps(value), encoding="utf-8")
        else:
            entry.write_text("{not json", encoding="utf-8")
    layout_memo._MEMORY.clear()
    build(EXAMPLE, tmp_path / "after", kinds=("报告", "自评表"))
    assert _outputs(tmp_path / "after") == _outputs(tmp_path / "right")
