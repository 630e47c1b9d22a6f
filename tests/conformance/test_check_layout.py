"""The layout checker: every example passes, and each rule catches a deliberately wrong document."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import BEYOND_SEEDS, EXAMPLES, MINIMAL, ROOT

from reportgen.build import build, document_for, layout_for
from reportgen.checks.validate import check
from reportgen.conformance import docx_rules, pdf_rules

EXAMPLES_DIR = ROOT / "examples"


def _failed(outcomes) -> set[str]:
    return {o.rule for o in outcomes if not o.ok}


def test_every_example_passes_in_both_outputs(every_example):
    # narrative seeds, 天河's table, the sample's two documents, the departments beyond the seeds
    # and the 自评表 of two of them
    assert len(every_example) == 2 * (len(EXAMPLES) + 3 + len(BEYOND_SEEDS) + 2)
    for path in every_example:
        outcomes = (pdf_rules if path.suffix == ".pdf" else docx_rules).check(path)
        assert _failed(outcomes) == set(), path.name
        assert len(outcomes) >= 11


def test_command_prints_each_rule_and_exits_nonzero_on_failure(every_example, tmp_path):
    pdf = next(p for p in every_example if p.name == "yuexiu-gongan-2023.pdf")
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "check-layout", str(pdf)], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "通过  纸张 A4" in result.stdout and "实测 210.0×297.0 mm" in result.stdout
    assert "全部通过" in result.stdout
    shifted = _shifted(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "check-layout", *map(str, shifted)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "不符  版心左边（订口）" in result.stdout


def _shifted(tmp_path: Path) -> list[Path]:
    bureau = tmp_path / "shifted"
    bureau.mkdir(exist_ok=True)
    (bureau / "settings.yaml").write_text("名称: 偏移\n版式:\n  左白边: 31\n", encoding="utf-8")
    source = tmp_path / "s.yaml"
    source.write_text(MINIMAL.replace("继续努力。", "继续努力。" * 40), encoding="utf-8")
    return build(source, tmp_path / "shifted-out", template_dir=bureau).outputs


def test_shifted_margin_is_caught(tmp_path):
    docx, pdf = _shifted(tmp_path)
    assert "版心左边（订口）" in _failed(pdf_rules.check(pdf))
    assert "左白边（订口）" in _failed(docx_rules.check(docx))


def _html(tmp_path: Path) -> tuple[str, object]:
    from reportgen.render.pdf import writer as pdf_writer
    from reportgen.render.pdf.html import render

    source = tmp_path / "r.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    checked = check(source)
    layout = layout_for(checked)
    return render(document_for(checked), layout, pdf_writer.resolve_roles(layout)), layout


def _pdf(html: str, path: Path) -> Path:
    import weasyprint

    weasyprint.HTML(string=html).write_pdf(path)
    return path


def test_hyphen_page_numbers_are_caught(tmp_path):
    html, _ = _html(tmp_path)
    pdf = _pdf(html.replace("\\2014", "-"), tmp_path / "hyphen.pdf")
    assert "页码“— N —”且连续" in _failed(pdf_rules.check(pdf))
    docx = _edited_docx(tmp_path, "word/footer", lambda xml: xml.replace("—", "-"))
    assert "页码“— N —” 四号、单右双左" in _failed(docx_rules.check(docx))


def test_latin_comma_is_caught(tmp_path):
    html, _ = _html(tmp_path)
    pdf = _pdf(
        html.replace("负责测试工作。", '负责<span style="font-family: DejaVu Sans">，</span>测试工作。'),
        tmp_path / "comma.pdf",
    )
    assert "中文标点用中文字体" in _failed(pdf_rules.check(pdf))
    latin_run = (
        '<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
        'w:eastAsia="Times New Roman"/></w:rPr><w:t>，</w:t></w:r>'
    )
    docx = _edited_docx(tmp_path, "word/document.xml", lambda xml: xml.replace("</w:p>", latin_run + "</w:p>", 5))
    assert "中文标点用中文字体" in _failed(docx_rules.check(docx))


def test_wrong_body_font_and_size_are_caught(tmp_path):
    def normal(xml: str, old: str, new: str) -> str:
        return re.sub(rf'(w:styleId="Normal".*?){old}', rf"\g<1>{new}", xml, count=1, flags=re.S)

    docx = _edited_docx(
        tmp_path, "word/styles.xml", lambda xml: normal(xml, 'w:eastAsia="仿宋_GB2312"', 'w:eastAsia="微软雅黑"')
    )
    assert "正文 三号仿宋" in _failed(docx_rules.check(docx))
    docx = _edited_docx(
        tmp_path, "word/styles.xml", lambda xml: normal(xml, '<w:sz w:val="32"/>', '<w:sz w:val="28"/>')
    )
    assert "正文 三号仿宋" in _failed(docx_rules.check(docx))


def _edited_docx(tmp_path: Path, member_prefix: str, edit) -> Path:
    source = tmp_path / "e.yaml"
    source.write_text(MINIMAL, encoding="utf-8")
    original = build(source, tmp_path / "e-out", ("docx",)).outputs[0]
    data = io.BytesIO()
    with zipfile.ZipFile(original) as src, zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename.startswith(member_prefix):
                content = edit(content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    path = tmp_path / f"edited-{member_prefix.replace('/', '-')}.docx"
    path.write_bytes(data.getvalue())
    return path


def test_a_full_page_off_the_grid_is_named(tmp_path):
    """Lines squeezed closer than the grid put 23 lines on a full page: the rule names that page;
    pages ended early (a heading kept with its text, a table, the end) are not judged."""
    source = tmp_path / "long.yaml"
    line = "    这是用来排满版面的正文段落，每段都写得足够长，以便跨过行尾再折到下一行去。"
    body = "\n".join(line for _ in range(40))
    source.write_text(MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n" + body), encoding="utf-8")
    good = build(source, tmp_path / "good", ("pdf",)).outputs[0]
    (rule,) = [o for o in pdf_rules.check(good) if o.rule == "每页行数"]
    assert rule.ok and rule.measured.endswith("个排满的页均为 22 行") and not rule.measured.startswith("0")
    (tmp_path / "tight").mkdir()
    (tmp_path / "tight" / "settings.yaml").write_text("名称: 紧\n版式:\n  行距: 27.5\n", encoding="utf-8")
    tight = build(source, tmp_path / "t", ("pdf",), template_dir=tmp_path / "tight").outputs[0]
    (rule,) = [o for o in pdf_rules.check(tight) if o.rule == "每页行数"]
    assert not rule.ok and "第 2 页 23 行，不在 28.95 pt 的行网格上" in rule.measured


def test_text_after_a_table_comes_back_to_the_line_grid(every_example, tmp_path, monkeypatch):
    """The line after a table gets the space that puts it on the next grid line, in the PDF and
    as space before in the Word file; laid out once without that correction, the page is off."""
    from reportgen.render import grid
    from reportgen.render.pdf import writer as pdf_writer

    pdf = next(p for p in every_example if p.name == "jiangcheng-fagai-2024.pdf")
    (ok,) = [o for o in pdf_rules.check(pdf) if o.rule == "正文在行网格上"]
    assert ok.ok and ok.measured.endswith("行均在网格上")
    checked = check(EXAMPLES_DIR / "jiangcheng-fagai-2024.yaml")
    document, layout = document_for(checked), layout_for(checked)
    _, settled = pdf_writer.lay_out(document, layout)
    pads = settled.pads
    assert len(pads) == 2  # two tables followed by text
    with zipfile.ZipFile(pdf.with_suffix(".docx")) as docx:
        xml = docx.read("word/document.xml").decode()
    for index, pad in pads.items():
        assert 0 < pad < layout.line_pitch_pt
        text = re.escape(document.nodes[index].text)
        assert re.search(rf'<w:spacing w:before="{round(pad * 20)}"/>(?:(?!<w:p>).)*<w:t>{text}</w:t>', xml)

    monkeypatch.setattr(grid, "runs", lambda document: [])  # nothing measured, nothing corrected
    monkeypatch.setenv("REPORTGEN_NO_LAYOUT_CACHE", "1")  # nor taken from the layout settled above
    uncorrected, none = pdf_writer.lay_out(document, layout)
    assert none.pads == {}
    uncorrected.write_pdf(tmp_path / "off.pdf")
    (off,) = [o for o in pdf_rules.check(tmp_path / "off.pdf") if o.rule == "正文在行网格上"]
    assert not off.ok and "第 3 页有正文不在行网格上" in off.measured


def test_the_page_number_dash_is_7_mm_below_the_text_block_in_both_files(every_example, tmp_path):
    """Measured on the dash's ink, at 600 dpi: in the PDF, and in LibreOffice's print of the DOCX."""
    from libreoffice import print_docx

    pdf = next(p for p in every_example if p.name == "yuexiu-gongan-2023.pdf")
    printed = print_docx(pdf.with_suffix(".docx"), tmp_path)
    for path in (pdf, printed):
        (dash,) = [o for o in pdf_rules.check(path) if o.rule == "页码一字线位置"]
        assert dash.ok and "一字线墨迹" in dash.measured, (path.name, dash.measured)
        assert abs(float(dash.measured.split(" mm")[0]) - 269) <= 0.5
    (docx_rule,) = [o for o in docx_rules.check(pdf.with_suffix(".docx")) if o.rule == "页码一字线位置"]
    assert docx_rule.ok


def test_numbers_are_never_letter_spaced(every_example):
    """A justified line widens the gaps between Chinese characters, not those inside a number."""
    import pdfplumber

    pdf = next(p for p in every_example if p.name == "huangpu-zhengfawei-2022.pdf")
    with pdfplumber.open(pdf) as document:
        chars = [c for c in document.pages[1].chars if c["text"].strip()]
    gaps_in_numbers = [
        b["x0"] - a["x1"]
        for a, b in itertools.pairwise(chars)
        if a["text"].isdigit() and b["text"] in "0123456789." and abs(a["top"] - b["top"]) < 1
    ]
    assert gaps_in_numbers and max(gaps_in_numbers) < 0.3  # points: the digits' own advance, nothing added
