"""Table columns from their content: short labels and figures with units whole, no short text
ending with a character alone, in the PDF and in LibreOffice's print of the Word file."""

from __future__ import annotations

import pdfplumber
import pytest
from conftest import ROOT

from reportgen.build import build
from reportgen.compose.tree import Cell, Table
from reportgen.page import Layout, mm_to_pt
from reportgen.render.columns import fit


def _lines_of(pdf, needle: str) -> list[str] | None:
    """The lines a cell's text is set in: its characters found in order, grouped by height."""
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            text = "".join(c["text"] for c in chars)
            at = text.find(needle)
            if at < 0:
                continue
            lines: list[list[str]] = []
            top = None
            for c in chars[at : at + len(needle)]:
                if top is None or abs(c["top"] - top) > 2:
                    lines.append([])
                    top = c["top"]
                lines[-1].append(c["text"])
            return ["".join(line) for line in lines]
    return None


@pytest.fixture(scope="module")
def fenglin(tmp_path_factory):
    from libreoffice import print_docx

    out = tmp_path_factory.mktemp("columns")
    report = build(ROOT / "examples" / "fenglin-caizheng-2024.yaml", out, kinds=("报告",))
    built = {p.suffix: p for p in report.outputs}
    return built[".pdf"], print_docx(built[".docx"], out / "lo")


@pytest.mark.parametrize("label", ["一级指标", "≤5个工作日", "97.47%", "部分达成", "≥150个", "分值"])
def test_headings_and_figures_stay_on_one_line(fenglin, label):
    for pdf in fenglin:
        assert _lines_of(pdf, label) == [label], pdf.name


def test_a_short_label_breaks_in_balanced_lines_alike_in_both_files(fenglin):
    """Set in the lines written into both files: the same in the PDF and in LibreOffice's print,
    never a character alone."""
    pdf, printed = fenglin
    for text in ("年度指标值", "实际完成值", "重点项目绩效评价数", "服务对象满意度指标", "可持续影响指标"):
        lines = _lines_of(pdf, text)
        assert lines is not None and min(len(line) for line in lines) >= 2, (text, lines)
        assert _lines_of(printed, text) == lines, text


def test_a_crowded_table_steps_down_to_a_smaller_size():
    from reportgen.checks.validate import check
    from reportgen.compose.composer import compose

    checked = check(ROOT / "examples" / "fenglin-caizheng-2024.yaml")
    (table,) = [n for n in compose(checked.report, checked.template, checked.fmt).nodes if isinstance(n, Table)]
    setting = fit(table, Layout())
    # 小四: seven columns of labels do not fit at 四号; in balanced lines they do at the next size
    assert setting.size == 12.0 and setting.line == 17.1
    assert sum(setting.widths) == pytest.approx(mm_to_pt(156))
    roomy = Table([[Cell("项目"), Cell("金额")], [Cell("甲"), Cell("1")]], 0, [1, 1])
    assert fit(roomy, Layout()).size == Layout().table_pt


def test_a_free_table_shares_its_width_by_content(tmp_path):
    """A 表格 with no widths from its template: a long project name keeps its line while the
    figures' columns have room, in the PDF and in LibreOffice's print; a column of long text
    takes the room the others do not need."""
    from libreoffice import print_docx

    header = [Cell("项目名称"), Cell("全年预算数"), Cell("执行数")]
    names = Table([header, [Cell("农村饮水安全巩固提升工程"), Cell("1900.00"), Cell("1862.40")]], 1)
    widths = fit(names, Layout()).widths
    assert widths[0] > 12 * Layout().table_pt + 10 and min(widths[1:]) > 5 * Layout().table_pt
    assert sum(widths) == pytest.approx(mm_to_pt(156))
    long = "这一列写的是一段很长的说明文字，" * 8
    notes = Table([[Cell("序号"), Cell("情况说明")], [Cell("1"), Cell(long)]], 1)
    narrow, wide = fit(notes, Layout()).widths
    assert narrow < 60 and wide > 380  # the number keeps its line, the text takes the rest

    source = tmp_path / "water.yaml"
    text = (ROOT / "examples" / "qingxi-nongye-2024.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("高标准农田建设, 1120.50", "农村饮水安全巩固提升工程, 1120.50"), encoding="utf-8")
    pdf, docx = build(source, tmp_path / "out", ("pdf", "docx")).outputs
    for printed in (pdf, print_docx(docx, tmp_path / "lo")):
        assert _lines_of(printed, "农村饮水安全巩固提升工程") == ["农村饮水安全巩固提升工程"], printed.name


@pytest.mark.parametrize(
    ("label", "lines"),
    [
        ("偏差原因分析及改进措施", ["偏差原因分析", "及改进措施"]),
        ("任务涉及资金", ["任务", "涉及资金"]),
        ("矛盾纠纷化解率", ["矛盾纠纷", "化解率"]),
        ("辖区治安状况", ["辖区", "治安状况"]),
    ],
)
def test_a_label_is_not_broken_inside_a_word(label, lines):
    from reportgen.page import Layout
    from reportgen.render.columns import balanced
    from reportgen.render.measure import measure_for

    assert balanced(label, 2, measure_for(Layout(), "表格")) == lines
