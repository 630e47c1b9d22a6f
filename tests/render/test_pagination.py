"""Word and PDF paginate alike: each example's DOCX, printed by LibreOffice with the official font
names mapped to the PDF's free fonts, has as many pages as reportgen's PDF, and at least 90% of
its pages open with the same text."""

from __future__ import annotations

import pytest
from libreoffice import compare, print_docx


def test_libreoffice_prints_the_docx_like_the_pdf(every_example, tmp_path, capsys):
    figures = []
    for docx in (p for p in every_example if p.suffix == ".docx"):
        printed = print_docx(docx, tmp_path / docx.stem)
        ours, theirs, same = compare(docx.with_suffix(".pdf"), printed)
        figures.append((docx.stem, ours, theirs, same))
    with capsys.disabled():
        for name, ours, theirs, same in figures:
            print(f"\n  pagination {name}: PDF {ours} pages, LibreOffice {theirs}, same opening {same}/{ours}")
    assert len(figures) == 11
    for name, ours, theirs, same in figures:
        assert theirs == ours, name
        assert same >= 0.9 * ours, (name, same, ours)


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
