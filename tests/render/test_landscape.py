"""A table of the narrative too wide for the upright page is set on a page across the sheet
(GB/T 9704 §10.2), numbered on, in the PDF, in the Word file and in LibreOffice's print of it;
the text after it goes back upright."""

from __future__ import annotations

import zipfile

import pdfplumber
import pytest
from lxml import etree
from textutil import squash

from reportgen.build import build
from reportgen.conformance import docx_rules, pdf_rules

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WIDE = """\
部门名称: 宽表测试局
年度: 2024
基本情况:
  部门职能: 负责测试工作。
综合评价分析:
  主要工作成效:
    - 各项目的预算与执行情况如下表。
    - 表格:
        表头: [项目名称, 年初预算数, 调整预算数, 全年预算数, 一季度, 二季度, 三季度, 四季度,
               全年执行数, 执行率, 结转结余, 备注]
        行:
          - [宣传经费, 12120.50, 1315.25, 13435.75, 1030.12, 1035.40, 1032.18, 1030.05, 12127.75, 94.11%, 1308.00, 完成]
          - [调解经费, 8800.00, -500.00, 8300.00, 2000.00, 2150.00, 2075.00, 1975.00, 8200.00, 98.80%, 100.00, 完成]
    - 表后的正文继续写在纵向页上。
存在的主要问题: 无。
下一步改进措施: 无。
"""


def _ways(pdf_path) -> list[bool]:
    with pdfplumber.open(pdf_path) as pdf:
        return [page.width > page.height for page in pdf.pages]


@pytest.fixture(scope="module")
def wide(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wide")
    source = folder / "wide.yaml"
    source.write_text(WIDE, encoding="utf-8")
    return {p.suffix[1:]: p for p in build(source, folder / "out").outputs}


def test_the_wide_table_alone_is_across_the_sheet_in_the_pdf(wide):
    assert _ways(wide["pdf"]) == [False, True, False]
    with pdfplumber.open(wide["pdf"]) as pdf:
        texts = [squash(page.extract_text() or "") for page in pdf.pages]
    assert "13435.75" in texts[1] and "—2—" in texts[1]  # numbered on, in its usual place
    assert texts[2].startswith("表后的正文继续写在纵向页上。")
    assert "1030.12" in texts[1] and "1030.1\n2" not in texts[1]


def test_the_word_file_has_a_section_across_the_sheet(wide):
    with zipfile.ZipFile(wide["docx"]) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    sections = list(root.iter(f"{W}sectPr"))
    assert len(sections) == 3  # upright, across (the table), upright
    sizes = [s.find(f"{W}pgSz") for s in sections]
    assert [int(z.get(f"{W}w")) > int(z.get(f"{W}h")) for z in sizes] == [False, True, False]
    assert sizes[1].get(f"{W}orient") == "landscape"
    for section in sections:  # every section prints the page number
        assert section.find(f"{W}footerReference") is not None
    body = root.find(f"{W}body")
    table = body.find(f"{W}tbl")
    after = table.getnext()
    assert after.tag == f"{W}p" and after.find(f"{W}pPr/{W}sectPr") is not None


def test_libreoffice_prints_the_same_pages(wide, tmp_path):
    from libreoffice import print_docx

    printed = print_docx(wide["docx"], tmp_path / "lo")
    assert _ways(printed) == _ways(wide["pdf"])


def test_both_files_pass_check_layout(wide):
    for outcome in pdf_rules.check(wide["pdf"]) + docx_rules.check(wide["docx"]):
        assert outcome.ok, outcome


def _turned_rule(pdf):
    (outcome,) = [o for o in pdf_rules.check(pdf) if o.rule == "横排页页码"]
    return outcome


def test_the_turned_page_keeps_its_number_where_upright_pages_have_it(wide, tmp_path, monkeypatch):
    """GB/T 9704 §8: the number of a page turned for a wide table stays in its upright place,
    turned with the sheet (here an even page: high in the turned page's left margin), in the PDF
    and in LibreOffice's print of the Word file; at the turned page's own foot it fails."""
    from libreoffice import print_docx

    from reportgen.render.pdf import html

    with pdfplumber.open(wide["pdf"]) as pdf:
        turned = [c for c in pdf.pages[1].chars if not c["upright"]]
    assert "".join(c["text"] for c in sorted(turned, key=lambda c: c["top"])).replace("\u00a0", "") == "—2—"
    for printed in (wide["pdf"], print_docx(wide["docx"], tmp_path / "lo")):
        rules = {o.rule: o for o in pdf_rules.check(printed)}
        for name in ("横排页页码", "页码一字线位置", "页码单右双左、空一字", "页码“— N —”且连续"):
            assert rules[name].ok, (printed.name, rules[name])
    with zipfile.ZipFile(wide["docx"]) as z:
        names = [n for n in z.namelist() if n.startswith("word/footer")]
        footers = [etree.fromstring(z.read(n)) for n in names]
    rotated = [f for f in footers if f.find(f".//{W}tblpPr") is not None]
    assert len(rotated) == 2  # the turned section's odd and even footers: a floating cell each
    assert all(f.find(f".//{W}textDirection").get(f"{W}val") == "tbRl" for f in rotated)

    monkeypatch.setattr(html, "_turned_pages", lambda L, family: html._pages(L.landscape(), "turned", family))
    folder = tmp_path / "old"
    source = folder / "wide.yaml"
    folder.mkdir()
    source.write_text(WIDE, encoding="utf-8")
    (old,) = build(source, folder / "out", ("pdf",)).outputs
    outcome = _turned_rule(old)
    assert not outcome.ok and "第 2 页页码在横排页下方" in outcome.measured
