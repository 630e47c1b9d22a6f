"""Word and PDF paginate alike: each example's DOCX, printed by LibreOffice with the official font
names mapped to the PDF's free fonts, has as many pages as reportgen's PDF, at least 90% of its
pages open with the same text, and its body text sits on the line grid after tables as the PDF's."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from libreoffice import compare, page_openings, print_docx

from reportgen.build import build
from reportgen.conformance import pdf_rules


def _on_grid(pdf):
    (outcome,) = [o for o in pdf_rules.check(pdf) if o.rule == "正文在行网格上"]
    return outcome


def test_libreoffice_prints_the_docx_like_the_pdf(every_example, tmp_path, capsys):
    figures = []
    for docx in (p for p in every_example if p.suffix == ".docx"):
        printed = print_docx(docx, tmp_path / docx.stem)
        ours, theirs, same = compare(docx.with_suffix(".pdf"), printed)
        figures.append((docx.stem, ours, theirs, same))
        grid = _on_grid(printed)
        assert grid.ok, (docx.name, grid.measured)
    with capsys.disabled():
        for name, ours, theirs, same in figures:
            print(f"\n  pagination {name}: PDF {ours} pages, LibreOffice {theirs}, same opening {same}/{ours}")
    assert len(figures) == 14
    for name, ours, theirs, same in figures:
        assert theirs == ours, name
        assert same >= 0.9 * ours, (name, same, ours)


def test_a_task_block_moves_whole_to_the_next_page_in_both_files(tmp_path):
    """天河's 自评表 with one to three more task blocks: each time a block meets the foot of a page
    it starts the next page (after the repeated header) in the PDF and in LibreOffice's print."""
    source = (ROOT / "examples" / "tianhe-zhengfawei-2022.yaml").read_text(encoding="utf-8")
    start = source.index("  - 预期目标: 以市域社会治理")
    end = source.index("  - 预期目标: 以推进更高水平")
    block = source[start:end]
    moved = 0
    for extra in (1, 2, 3):
        variant = tmp_path / f"tasks{extra}.yaml"
        more = "".join(block.replace("142场", f"{142 + i}场") for i in range(extra))
        variant.write_text(source[:end] + more + source[end:], encoding="utf-8")
        pdf, docx = build(variant, tmp_path / "out", ("pdf", "docx"), kinds=("自评表",)).outputs
        printed = print_docx(docx, tmp_path / f"lo{extra}")
        ours, theirs = page_openings(pdf, 60), page_openings(printed, 60)
        assert ours == theirs, extra
        # a page whose first row after the repeated header is a task block's first row
        moved += sum(1 for page in ours if re.search(r"被评价年度\d{4}年任务\d", page))
    assert moved >= 4  # blocks did meet page feet: whole blocks open pages, in both files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("排查化解“582”工作法", "排查化解\u200b“582”\u200b工作法"),  # breaks around Chinese quotation marks
        ("全年预算数150万元", "全年预算数\u2005150\u2005万元"),  # autospace in the PDF
        ("分别为99.69%、99.78%", "分别为\u200599.69%、\u206099.78%"),  # figure lists stay together
        ("a<b & c", "a&lt;b &amp; c"),
    ],
)
def test_pdf_text_preparation(text, expected):
    from reportgen.render.html_writer import spaced

    assert spaced(text) == expected
