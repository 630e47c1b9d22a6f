"""The self-evaluation table (自评表): seed 003 reproduced, real merges, header repeated."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import ROOT, seed_path
from lxml import etree
from textutil import docx_paragraphs, pdf_body_text, pdf_pages, row_cells, squash

from reportgen.build import build

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER = "部门名称（汇总）中国共产党广州市天河区委员会政法委员会被评价年度2022年"
TASKS = "主要任务预期目标目标完成情况关键指标指标完成情况任务涉及资金"  # the task table's headings


@pytest.fixture(scope="module")
def tianhe(tmp_path_factory):
    out = tmp_path_factory.mktemp("tianhe")
    built = build(ROOT / "examples" / "tianhe-zhengfawei-2022.yaml", out)
    return {p.suffix[1:]: p for p in built.outputs}


def seed_003_sentences() -> list[str]:
    """Seed 003's sentences without its extraction artefact: task 3's row, split by a page break,
    is printed twice (and its funds cell with it); the task and its funds count once."""
    flat = squash(seed_path("003").read_text(encoding="utf-8"))
    start = flat.index("任务3")
    end = flat.index("进一步好转。", start) + len("进一步好转。")
    block = flat[start:end]
    second = flat.index(block, end)
    flat = flat[:second] + flat[second + len(block) :]
    flat = flat.replace("法律咨询件数169件33.39", "法律咨询件数169件", 1)
    assert flat.count("33.39") == 1
    return [s for s in re.split(r"(?<=[。；！？])", flat) if s]


def _pdf_text_once(path) -> str:
    """PDF text with the task table's headings, repeated on each page it reaches, kept only where
    the table starts."""
    flat = squash(pdf_body_text(path))
    first = flat.index(TASKS) + len(TASKS)
    return flat[:first] + flat[first:].replace(TASKS, "")


def test_outputs_named_after_input_and_kind(tianhe):
    assert tianhe["docx"].name == "tianhe-zhengfawei-2022-自评表.docx"
    assert tianhe["pdf"].name == "tianhe-zhengfawei-2022-自评表.pdf"


def test_every_seed_sentence_in_both_outputs(tianhe):
    sentences = seed_003_sentences()
    assert len(sentences) > 30
    docx_text = squash("".join(docx_paragraphs(tianhe["docx"])))
    pdf_text = _pdf_text_once(tianhe["pdf"])
    assert [s for s in sentences if s not in docx_text] == []
    assert [s for s in sentences if s not in pdf_text] == []
    assert docx_text == pdf_text


def test_every_cell_in_the_pdf(tianhe):
    with zipfile.ZipFile(tianhe["docx"]) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in root.iter(f"{W}tc")]
    pdf_text = _pdf_text_once(tianhe["pdf"])
    assert len([c for c in cells if c]) > 40
    assert [c for c in cells if squash(c) not in pdf_text] == []


def test_computed_cells(tianhe):
    text = squash("".join(docx_paragraphs(tianhe["docx"])))
    assert "年度预算调整数818.17" in text  # 2803.45 − 1985.28, unsigned
    assert "预算完成率98.82%" in text  # 1961.88 ÷ 1985.28
    assert "预算调整率29%" in text  # 818.17 ÷ 2803.45, whole percent in 天河


def _tables(path):
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return root.findall(f".//{W}tbl")


def test_docx_merges_are_real(tianhe):
    tables = _tables(tianhe["docx"])
    assert len(tables) == 3  # the block above, the tasks, the projects and the rest: joined on paper
    for table in tables:
        grid = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
        assert len(grid) == 6 and sum(grid) == pytest.approx(156 * 1440 / 25.4, abs=6)
    rows = [tr for table in tables for tr in table.findall(f"{W}tr")]

    first = row_cells(rows[0])
    assert first[1] == ("中国共产党广州市天河区委员会政法委员会", 3, None)
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is None
    headings = tables[1].findall(f"{W}tr")[0]  # the task table's headings repeat on each page
    assert squash("".join(t.text or "" for t in headings.iter(f"{W}t"))) == TASKS
    assert headings.find(f"{W}trPr/{W}tblHeader") is not None
    funds = [row_cells(tr) for tr in rows[1:5]]
    assert funds[0][0] == ("部门资金情况", 1, "restart")
    assert all(r[0][2] == "continue" for r in funds[1:])
    assert ("年度预算调整数", 1, "restart") in funds[1] and ("818.17", 2, "restart") in funds[1]
    # each task's name, goal, result and funds run down its indicator rows
    task2 = next(i for i, tr in enumerate(rows) if row_cells(tr)[0][0] == "任务2")
    cells = row_cells(rows[task2])
    assert cells[0][2] == "restart" and cells[-1] == ("113.12", 1, "restart")
    following = [row_cells(tr) for tr in rows[task2 + 1 : task2 + 6]]
    assert all(r[0][2] == "continue" and r[-1][2] == "continue" for r in following)
    for tr in rows:
        assert tr.find(f"{W}trPr/{W}cantSplit") is not None


def test_pdf_repeats_the_task_headings_on_every_page_the_tasks_reach(tianhe):
    pages = [squash(page) for page in pdf_pages(tianhe["pdf"])]
    assert len(pages) >= 3 and HEADER in pages[0]
    with_tasks = [n for n, page in enumerate(pages, 1) if re.search(r"任务\d", page)]
    assert len(with_tasks) >= 2
    for number in with_tasks:
        assert TASKS in pages[number - 1], number
    for number in with_tasks[1:]:
        assert pages[number - 1].startswith(TASKS), number  # the tasks go on under their headings


def test_report_yaml_builds_its_table_too(tmp_path):
    built = build(ROOT / "examples" / "sample-jiedao-2024.yaml", tmp_path, ("docx",), kinds=("自评表",))
    assert [p.name for p in built.outputs] == ["sample-jiedao-2024-自评表.docx"]
    text = squash("".join(docx_paragraphs(built.outputs[0])))
    # the base template's form is the national one: budget rows, then the indicators and 总分
    assert "年度资金总额1100.001000.00960.001096.00%9.60" in text
    assert "总分10094.28自评等级：优" in text
