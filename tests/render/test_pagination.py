"""Word and PDF paginate alike: each example's DOCX, printed by LibreOffice with the official font
names mapped to the PDF's free fonts, has as many pages as reportgen's PDF, at least 90% of its
pages open with the same text, and its body text sits on the line grid after tables as the PDF's."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile

import pytest
from conftest import ROOT
from libreoffice import compare, page_openings, print_docx

from reportgen.build import build
from reportgen.conformance import pdf_rules

pytestmark = pytest.mark.slow  # see README「测试」: LibreOffice, a browser, fuzzing or many builds


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
        ("分别为99.69%、99.78%", "分别为\u200599.69%、\u200b99.78%"),  # a figure list may break between figures
        ("增长13.8%，同比", "增长\u200513.8%，同比"),  # not after a figure that ends the list
        ("a<b & c", "a&lt;b &amp; c"),
    ],
)
def test_pdf_text_preparation(text, expected):
    from reportgen.render.pdf.html import spaced

    assert spaced(text) == expected


def test_a_list_of_figures_breaks_between_figures_in_both_files(tmp_path):
    """Seed 001's "99.69%、99.78%、99.74%、99.63%" met the end of a line as one unbreakable run:
    the whole list moved down and the line above was letter-spaced 4.3 pt a gap.  Now the line
    takes the first figure and breaks after its mark, in the PDF and in LibreOffice's print, and
    the line ends at the right edge without spacing wider than a tenth of an em."""
    import pdfplumber

    pdf, docx = build(ROOT / "examples" / "liwan-gongan-2022.yaml", tmp_path, ("pdf", "docx")).outputs
    printed = print_docx(docx, tmp_path / "lo")
    for path in (pdf, printed):
        lines = [line.replace(" ", "") for line in pdf_pages_text(path).splitlines()]
        (at,) = [i for i, line in enumerate(lines) if "99.78%" in line]
        assert lines[at - 1].endswith("分别为99.69%、") and lines[at].startswith("99.78%、99.74%"), (
            path.name,
            lines[at - 1 : at + 1],
        )
    with zipfile.ZipFile(docx) as z:
        assert "99.69%、\u200b99.78%、\u200b99.74%" in z.read("word/document.xml").decode()
    with pdfplumber.open(pdf) as document:
        chars = [c for page in document.pages for c in page.chars if abs(c["size"] - 16) < 0.5]
    (end,) = [c for c in chars if c["text"] == "、" and _next_text(chars, c).startswith("99.78")]
    line = sorted(
        (c for c in chars if abs(c["top"] - end["top"]) < 1 and c["page_number"] == end["page_number"]),
        key=lambda c: c["x0"],
    )
    ends: dict[float, int] = {}  # the right edge: where most lines of the page end
    for top in {round(c["top"]) for c in chars if c["page_number"] == end["page_number"]}:
        last = max(
            (c for c in chars if c["page_number"] == end["page_number"] and round(c["top"]) == top),
            key=lambda c: c["x1"],
        )
        ends[round(last["x1"], 1)] = ends.get(round(last["x1"], 1), 0) + 1
    edge = max(ends, key=ends.__getitem__)
    assert abs(end["x1"] - edge) < 0.5, (end["x1"], edge)  # the mark reaches the right edge: no spacing after it
    cjk = [c for c in line if "\u4e00" <= c["text"] <= "\u9fff"]
    gaps = [b["x0"] - a["x1"] for a, b in itertools.pairwise(cjk) if line.index(b) == line.index(a) + 1]
    assert gaps and max(gaps) < 1.6, gaps  # a tenth of 三号 (16 pt); it was 4.3 pt


def _next_text(chars, char):
    later = chars[chars.index(char) + 1 : chars.index(char) + 6]
    return "".join(c["text"] for c in later)


def pdf_pages_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
