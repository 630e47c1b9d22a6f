"""Word and PDF paginate alike: each example's DOCX, printed by LibreOffice with the official font
names mapped to the PDF's free fonts, has as many pages as reportgen's PDF, at least 90% of its
pages open with the same text, and its body text sits on the line grid after tables as the PDF's."""

from __future__ import annotations

import re
import subprocess
import unicodedata
import zipfile
from collections import Counter

import pytest
from conftest import ROOT
from libreoffice import compare, page_openings, print_docx
from lxml import etree
from textutil import pdf_pages, squash

from reportgen.build import build
from reportgen.conformance import pdf_rules

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_NUMBER = re.compile(r"\u2014\s*\d+\s*\u2014\s*$")

pytestmark = pytest.mark.slow  # see README「测试」: LibreOffice, a browser, fuzzing or many builds


PAPER_RULES = {"续页表头", "单元格断行", "单元格标点不出格", "标题分行", "表前引导语不孤悬页末", "横排页页码"}


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
        wrong = [(o.rule, o.measured) for o in pdf_rules.check(printed) if o.rule in PAPER_RULES and not o.ok]
        assert wrong == [], docx.name  # what a reader sees of tables and titles, in LibreOffice's print too
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
        moved += sum(
            1 for page in ours if re.match(r"主要任务预期目标目标完成情况关键指标指标完成情况任务涉及资金任务\d", page)
        )
    assert moved >= 4  # blocks did meet page feet: whole blocks open pages, in both files


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("排查化解“582”工作法", "排查化解\u200b“582”\u200b工作法"),  # breaks around Chinese quotation marks
        ("全年预算数150万元", "全年预算数\u2005150\u2005万元"),  # autospace in the PDF
        ("分别为99.69%、99.78%", "分别为\u200599.69%、\u206099.78%"),  # a figure list is one run, as in LibreOffice
        ("增长13.8%，同比", "增长\u200513.8%，同比"),  # not after a figure that ends the list
        ("a<b & c", "a&lt;b &amp; c"),
    ],
)
def test_pdf_text_preparation(text, expected):
    from reportgen.render.pdf.html import spaced

    assert spaced(text) == expected


def _characters(pdf) -> Counter:
    """Every character a PDF prints, page numbers and whitespace aside."""
    return Counter("".join(squash(_PAGE_NUMBER.sub("", page)) for page in pdf_pages(pdf)))


def _docx_characters(docx) -> tuple[Counter, set[str]]:
    """The characters of a Word file's body, and those of the header rows a page repeats."""
    with zipfile.ZipFile(docx) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    repeated = {
        c
        for tr in root.iter(f"{W}tr")
        if tr.find(f"{W}trPr/{W}tblHeader") is not None
        for t in tr.iter(f"{W}t")
        for c in t.text or ""
    }
    return Counter(squash("".join(t.text or "" for t in root.iter(f"{W}t")))), repeated


def _same_text(a: Counter, b: Counter, repeated: set[str]) -> bool:
    """The same characters, but for header rows repeated on more or fewer pages."""
    return set(a - b) <= repeated and set(b - a) <= repeated


def test_the_word_file_holds_the_authors_text_and_libreoffice_prints_all_of_it(every_example, tmp_path):
    """The Word file's text is the PDF's, character for character (nothing invisible added to
    let a line break), and LibreOffice's print of it, as shipped, drops no mark: it used to
    lose 36 hanging closing marks in 5 examples, drawn past the paragraph's edge."""
    for docx in (p for p in every_example if p.suffix == ".docx"):
        pdf = docx.with_suffix(".pdf")
        ours = _characters(pdf)
        written, repeated = _docx_characters(docx)
        assert not [c for c in written if unicodedata.category(c) == "Cf"], docx.name
        assert _same_text(written, ours, repeated), (docx.name, written - ours, ours - written)
        printed = _characters(print_docx(docx, tmp_path / docx.stem, as_word=False))
        assert _same_text(printed, ours, repeated), (docx.name, printed - ours, ours - printed)


def test_a_list_of_figures_moves_whole_in_both_files(tmp_path):
    """Seed 001's "99.69%、99.78%、99.74%、99.63%" is one run for every engine: it moves to the
    next line whole in the PDF and in LibreOffice's print, the Word file carrying the author's
    text and nothing between the figures."""
    pdf, docx = build(ROOT / "examples" / "liwan-gongan-2022.yaml", tmp_path, ("pdf", "docx")).outputs
    printed = print_docx(docx, tmp_path / "lo")
    for path in (pdf, printed):
        lines = [line.replace(" ", "") for line in pdf_pages_text(path).splitlines()]
        (at,) = [i for i, line in enumerate(lines) if "99.78%" in line]
        assert "99.69%、99.78%、99.74%" in lines[at], (path.name, lines[at - 1 : at + 1])
    with zipfile.ZipFile(docx) as z:
        assert "99.69%、99.78%、99.74%" in z.read("word/document.xml").decode()


def pdf_pages_text(path):
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
