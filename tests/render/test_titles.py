"""Titles broken by meaning: between words, into even lines, the author's lines kept."""

from __future__ import annotations

import pytest
from conftest import ROOT
from textutil import docx_paragraphs, pdf_pages

from reportgen.build import build
from reportgen.page import Layout
from reportgen.render.titles import break_title, title_lines

CAPACITY = Layout().title_capacity_em  # 20.1 characters of 二号 on a 156 mm line


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("2024年度青溪县农业农村局", ["2024年度青溪县农业农村局"]),  # fits: untouched
        ("2022年度中国共产党广州市天河区委员会政法委员会", ["2022年度中国共产党广州市", "天河区委员会政法委员会"]),
        (
            "2022年度广州市越秀区某某局部门整体支出绩效自评报告",
            ["2022年度广州市越秀区某某局", "部门整体支出绩效自评报告"],
        ),
        (
            "新疆维吾尔自治区巴音郭楞蒙古自治州和静县人民政府办公室",
            ["新疆维吾尔自治区巴音郭楞蒙古自治州", "和静县人民政府办公室"],
        ),
    ],
)
def test_long_titles_break_between_words(title, lines):
    assert break_title(title, CAPACITY) == lines


def test_no_line_is_wider_than_the_text_block_and_none_is_a_lone_word():
    for title in ("2022年度广州市越秀区某某局部门整体支出绩效自评报告报告", "广州市" * 9):
        lines = break_title(title, CAPACITY)
        assert "".join(lines) == title
        assert all(len(line) <= 20 for line in lines) and min(len(line) for line in lines) > 2


def test_the_author_s_lines_stay_lines():
    assert title_lines(["中共广州市荔湾区委政法委员会", "2023年度部门整体支出绩效自评报告"], CAPACITY) == [
        "中共广州市荔湾区委政法委员会",
        "2023年度部门整体支出绩效自评报告",
    ]


def test_both_files_carry_the_same_title_lines(tmp_path):
    built = build(ROOT / "examples" / "tianhe-zhengfawei-2022.yaml", tmp_path)
    paths = {p.suffix: p for p in built.outputs}
    expected = ["2022年度中国共产党广州市天河区委员会", "政法委员会部门整体支出绩效自评表"]
    assert docx_paragraphs(paths[".docx"])[1:3] == expected
    first_page = [line.replace(" ", "") for line in pdf_pages(paths[".pdf"])[0].splitlines()]
    assert first_page[1:3] == expected
