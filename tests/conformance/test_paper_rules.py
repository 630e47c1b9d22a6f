"""check-layout's rules on what a reader sees of tables and titles, each against a page made to
break it and one that keeps it: a continuation page without its column headings, a figure split
from its sign, a label leaving a character alone, a closing mark past a cell's rule, a title line
of one character, a bold page number, a table's lead-in alone at a page foot."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.conformance import pdf_rules
from reportgen.page import Layout
from reportgen.render.pdf.html import stylesheet


def _pdf(tmp_path: Path, body: str, css: str = "", name: str = "t.pdf") -> Path:
    import weasyprint

    html = f"<html><head><style>{stylesheet(Layout())}{css}</style></head><body>{body}</body></html>"
    target = tmp_path / name
    weasyprint.HTML(string=html).write_pdf(target)
    return target


def _rule(pdf: Path, name: str) -> pdf_rules.Outcome:
    (outcome,) = [o for o in pdf_rules.check(pdf) if o.rule == name]
    return outcome


def _form(header_rows: str, body_rows: str) -> str:
    return f'<table class="form"><thead>{header_rows}</thead><tbody>{body_rows}</tbody></table>'


ROWS = "".join(f"<tr><td>产出指标</td><td>数量指标</td><td>指标{n}</td><td>{n}0</td></tr>" for n in range(60))
HEADINGS = "<tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>分值</th></tr>"


def test_a_continuation_page_opens_with_the_column_headings(tmp_path):
    unit = '<tr><th colspan="2">部门（单位）名称</th><td colspan="2">某局</td></tr>'
    wrong = _pdf(tmp_path, _form(unit, HEADINGS + ROWS), name="wrong.pdf")  # the unit row repeats
    outcome = _rule(wrong, "续页表头")
    assert not outcome.ok and "应为「一级指标|二级指标|三级指标|分值」" in outcome.measured
    right = _pdf(tmp_path, f"<table>{unit}</table>" + _form(HEADINGS, ROWS), name="right.pdf")
    assert _rule(right, "续页表头").ok


@pytest.mark.parametrize(
    ("cell", "ok"),
    [
        ("96.23<br>%", False),
        ("满意<br>度", False),
        ("满意<br>度指标", True),
        ("96.23%", True),
        ("偏差原因<br>分析", True),
    ],
)
def test_a_cell_keeps_figures_whole_and_no_label_character_alone(tmp_path, cell, ok):
    pdf = _pdf(tmp_path, f"<table><tr><td>{cell}</td><td>其他</td></tr></table>")
    assert _rule(pdf, "单元格断行").ok is ok


def test_a_closing_mark_stays_inside_its_cell(tmp_path):
    """Two characters fill the cell; the comma after them hangs into a padding of 1 pt."""
    cell = '<td style="padding: 0 {pad}pt; white-space: nowrap; text-align: left">甲乙，</td>'
    columns = '<colgroup><col style="width: {width}pt"><col></colgroup>'

    def table(pad: float) -> str:
        width = 2 * 14 + 2 * pad
        return f"<table>{columns.format(width=width)}<tr>{cell.format(pad=pad)}<td>乙</td></tr></table>"

    outcome = _rule(_pdf(tmp_path, table(1), name="past.pdf"), "单元格标点不出格")
    assert not outcome.ok and "「，」" in outcome.measured
    roomy = Layout().cell_padding("table")[1]  # what reportgen gives: room for the mark's ink
    assert _rule(_pdf(tmp_path, table(roomy), name="inside.pdf"), "单元格标点不出格").ok


def test_no_title_line_of_one_character_and_three_lines_at_most(tmp_path):
    lone = "<h1><span>2024年度株洲市芦淞区城市管理和综合执法</span><span>局</span><span>部门整体支出绩效自评报告</span>"
    lone += "</h1>"
    outcome = _rule(_pdf(tmp_path, lone, name="lone.pdf"), "标题分行")
    assert not outcome.ok and "有单字行" in outcome.measured
    four = "<h1>" + "".join(f"<span>第{n}行标题文字</span>" for n in range(4)) + "</h1>"
    assert "超过三行" in _rule(_pdf(tmp_path, four, name="four.pdf"), "标题分行").measured
    good = "<h1><span>2024年度株洲市芦淞区</span><span>城市管理和综合执法局</span><span>部门整体支出绩效自评报告</span>"
    good += "</h1>"
    assert _rule(_pdf(tmp_path, good, name="good.pdf"), "标题分行").ok


def test_page_numbers_in_a_regular_face(tmp_path):
    bold = "@page :right { @bottom-right { font-family: FandolSong; font-weight: bold; } }"
    outcome = _rule(_pdf(tmp_path, "<p>正文。</p>", bold, name="bold.pdf"), "页码与一级标题字重")
    assert not outcome.ok and "Bold" in outcome.measured
    assert _rule(_pdf(tmp_path, "<p>正文。</p>", name="regular.pdf"), "页码与一级标题字重").ok


def test_a_lead_in_is_not_left_at_a_page_foot(tmp_path):
    filler = "<p>" + "正文文字" * 7 + "</p>"
    lead = filler * 20 + "<p>各项目支出情况如下表：</p>"
    table = f'<table style="break-before: page">{HEADINGS}{ROWS[:300]}</table>'
    outcome = _rule(_pdf(tmp_path, lead + table, name="alone.pdf"), "表前引导语不孤悬页末")
    assert not outcome.ok and "如下表：" in outcome.measured
    kept = filler * 20 + '<p style="break-before: page">各项目支出情况如下表：</p>' + f"<table>{HEADINGS}</table>"
    assert _rule(_pdf(tmp_path, kept, name="kept.pdf"), "表前引导语不孤悬页末").ok


# ---------------------------------------------------------------- the Word file's counterparts


def _docx_with(source: Path, target: Path, change) -> Path:
    """A copy of a built Word file with its document.xml (and footers) changed by `change`."""
    import zipfile

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                data = change(item.filename, data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)
    return target


@pytest.fixture(scope="module")
def word_files(tmp_path_factory):
    from conftest import ROOT

    from reportgen.build import build

    out = tmp_path_factory.mktemp("word")
    (report,) = build(ROOT / "examples" / "qingxi-nongye-2024.yaml", out, ("docx",)).outputs
    (form,) = build(ROOT / "examples" / "sample-jiedao-2024.yaml", out, ("docx",), kinds=("自评表",)).outputs
    return report, form


def _docx_rule(path: Path, name: str):
    from reportgen.conformance import docx_rules

    (outcome,) = [o for o in docx_rules.check(path) if o.rule == name]
    return outcome


def test_word_rules_pass_on_what_reportgen_writes(word_files):
    for path in word_files:
        for name in ("续页表头", "单元格断行", "表前引导语不孤悬页末", "页码与一级标题字重", "标题分行"):
            assert _docx_rule(path, name).ok, (path.name, name)


LONE_LINE = '</w:r></w:p><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>告</w:t>'


def test_word_rules_catch_each_fault(word_files, tmp_path):
    report, form = word_files

    def only_document(edit):
        return lambda name, xml: edit(xml) if name == "word/document.xml" else xml

    cases = [
        (form, "续页表头", only_document(lambda x: x.replace("<w:tblHeader/>", ""))),
        (
            report,
            "表前引导语不孤悬页末",
            only_document(lambda x: x.replace("<w:keepNext/></w:pPr><w:r><w:t>项目", "</w:pPr><w:r><w:t>项目")),
        ),
        (form, "单元格断行", only_document(lambda x: x.replace("96.00%</w:t>", "96.00</w:t><w:br/><w:t>%</w:t>", 1))),
        (
            report,
            "页码与一级标题字重",
            lambda n, x: x.replace("<w:r><w:t", "<w:r><w:rPr><w:b/></w:rPr><w:t") if "footer" in n else x,
        ),
        (
            report,
            "标题分行",
            only_document(
                lambda x: x.replace("部门整体支出绩效自评报告</w:t>", "部门整体支出绩效自评报</w:t>" + LONE_LINE, 1)
            ),
        ),
    ]
    for number, (source, name, change) in enumerate(cases):
        wrong = _docx_with(source, tmp_path / f"wrong{number}.docx", change)
        assert not _docx_rule(wrong, name).ok, name
