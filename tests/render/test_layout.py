"""The official layout read back from both outputs: page, margins, grid, fonts, sizes, page numbers."""

from __future__ import annotations

import re
import subprocess
import zipfile

import pdfplumber
import pytest
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MM = 25.4 / 72  # mm per point
TWIP_MM = 25.4 / 1440


def _xml(path, member):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(member))


def _style(styles, style_id):
    return styles.find(f"{W}style[@{W}styleId='{style_id}']")


def _w(el, tag, attr="val"):
    found = el.find(f".//{W}{tag}")
    return None if found is None else found.get(f"{W}{attr}")


# ------------------------------------------------------------------ DOCX


def test_docx_page_margins_and_grid(built):
    doc = _xml(built["000"]["docx"], "word/document.xml")
    sect = doc.find(f".//{W}sectPr")
    size = sect.find(f"{W}pgSz")
    assert int(size.get(f"{W}w")) * TWIP_MM == pytest.approx(210, abs=0.1)
    assert int(size.get(f"{W}h")) * TWIP_MM == pytest.approx(297, abs=0.1)
    margins = {k: int(sect.find(f"{W}pgMar").get(f"{W}{k}")) * TWIP_MM for k in ("top", "bottom", "left", "right")}
    assert margins["left"] == pytest.approx(28, abs=0.1)
    assert margins["right"] == pytest.approx(26, abs=0.1)
    # the text block is 225 mm tall; its top margin is lifted so the first glyph tops stand at 37 mm
    assert 297 - margins["top"] - margins["bottom"] == pytest.approx(225, abs=0.1)
    assert 33 < margins["top"] < 37
    grid = sect.find(f"{W}docGrid")
    assert grid.get(f"{W}type") == "lines"
    assert grid.get(f"{W}linePitch") == "579"


def test_docx_body_is_condensed_to_28_characters_a_line(built):
    styles = _xml(built["000"]["docx"], "word/styles.xml")
    spacing = int(_w(_style(styles, "Normal").find(f"{W}rPr"), "spacing"))  # twentieths of a point
    advance = 16 + spacing / 20
    assert 28 * advance <= 156 / MM < 28 * advance + 2 * MM / MM  # fits, and fills within 1 mm
    assert _w(_style(styles, "Title").find(f"{W}rPr"), "spacing") == "0"


@pytest.mark.parametrize(
    ("style_id", "font", "half_points"),
    [
        ("Normal", "仿宋_GB2312", "32"),
        ("Title", "方正小标宋简体", "44"),
        ("Heading1", "黑体", "32"),
        ("Heading2", "楷体_GB2312", "32"),
        ("Heading3", "仿宋_GB2312", "32"),
        ("AttachmentLabel", "黑体", "32"),
        ("PageNumberLine", "宋体", "28"),
    ],
)
def test_docx_style_fonts_name_east_asian(built, style_id, font, half_points):
    styles = _xml(built["001"]["docx"], "word/styles.xml")
    style = _style(styles, style_id)
    fonts = style.find(f"{W}rPr/{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == font
    assert fonts.get(f"{W}ascii") == font
    assert fonts.get(f"{W}eastAsiaTheme") is None
    assert _w(style, "sz") == half_points
    assert _w(style, "color") == "000000"


def test_docx_body_indent_and_exact_line_pitch(built):
    styles = _xml(built["000"]["docx"], "word/styles.xml")
    normal = _style(styles, "Normal")
    assert int(_w(normal, "ind", "firstLine")) == pytest.approx(2 * 15.75 * 20, abs=1)
    assert _w(normal, "spacing", "line") == "579"
    assert _w(normal, "spacing", "lineRule") == "exact"
    assert _w(normal, "jc") == "both"
    title = _style(styles, "Title")
    assert _w(title, "jc") == "center"
    assert _w(title, "ind", "firstLine") == "0"


def test_docx_paragraph_properties_in_schema_order(built):
    order = ["pStyle", "keepNext", "keepLines", "widowControl", "snapToGrid", "spacing", "ind", "jc", "outlineLvl"]
    for member in ("word/styles.xml", "word/document.xml"):
        root = _xml(built["001"]["docx"], member)
        for ppr in root.iter(f"{W}pPr"):
            tags = [c.tag.split("}")[1] for c in ppr if c.tag.split("}")[1] in order]
            assert tags == sorted(tags, key=order.index), (member, tags)


def test_docx_footers_odd_right_even_left_with_em_dashes(built):
    path = built["001"]["docx"]
    settings = _xml(path, "word/settings.xml")
    assert settings.find(f"{W}evenAndOddHeaders") is not None
    doc = _xml(path, "word/document.xml")
    refs = {
        r.get(f"{W}type"): r.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
        for r in doc.iter(f"{W}footerReference")
    }
    rels = _xml(path, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    for kind, align in (("default", "right"), ("even", "left")):
        footer = _xml(path, "word/" + targets[refs[kind]])
        p = footer.find(f"{W}p")
        assert _w(p, "jc") == align
        text = "".join(t.text for t in p.iter(f"{W}t"))
        assert text == "\u2014\u00a01\u00a0\u2014"
        assert " PAGE " in "".join(t.text for t in p.iter(f"{W}instrText"))


def test_docx_indicator_table_is_merged_with_grid(built):
    doc = _xml(built["001"]["docx"], "word/document.xml")
    table = doc.find(f".//{W}tbl")
    cols = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
    assert len(cols) == 4 and sum(cols) == pytest.approx(156 / TWIP_MM, abs=5)
    rows = table.findall(f"{W}tr")
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    first_col = [tr.find(f"{W}tc/{W}tcPr/{W}vMerge") for tr in rows[1:]]
    states = [None if m is None else m.get(f"{W}val", "continue") for m in first_col]
    assert states == ["restart", "continue", "continue", "continue", "restart", "continue", "continue", "continue"]


# ------------------------------------------------------------------ PDF


def _lines(page):
    rows: dict[float, list] = {}
    for c in page.chars:
        rows.setdefault(round(c["top"], 1), []).append(c)
    return [sorted(v, key=lambda c: c["x0"]) for _, v in sorted(rows.items())]


def test_pdf_page_size_and_count(built):
    with pdfplumber.open(built["001"]["pdf"]) as pdf:
        assert len(pdf.pages) >= 8
        for page in pdf.pages:
            assert page.width * MM == pytest.approx(210, abs=0.2)
            assert page.height * MM == pytest.approx(297, abs=0.2)


def test_pdf_fonts_and_sizes_by_role(built):
    with pdfplumber.open(built["000"]["pdf"]) as pdf:
        lines = _lines(pdf.pages[0])
    text = {"".join(c["text"] for c in line if c["text"].strip()): line for line in lines}
    title = text["2022年度广州市公安局荔湾区分局"]
    assert {round(c["size"], 1) for c in title} == {22.0}
    assert all("Song" in c["fontname"] for c in title)
    h1 = text["一、基本情况"]
    assert {round(c["size"], 1) for c in h1} == {16.0} and all("Hei" in c["fontname"] for c in h1)
    h2 = text["（一）部门职能"]
    assert {round(c["size"], 1) for c in h2} == {16.0} and all("Kai" in c["fontname"] for c in h2)
    body = next(line for t, line in text.items() if t.startswith("部门职能主要有"))
    assert {round(c["size"], 1) for c in body} == {16.0} and all("Fang" in c["fontname"] for c in body)
    # Chinese punctuation is drawn by the CJK body font, never a Latin one
    punct = [c for line in lines for c in line if c["text"] in "，。、；：“”（）"]
    assert punct and all("Fandol" in c["fontname"] for c in punct)


def test_pdf_margins_grid_and_line_count(built):
    with pdfplumber.open(built["000"]["pdf"]) as pdf:
        page = pdf.pages[1]  # a full body page
        lines = [ln for ln in _lines(page) if not re.fullmatch(r"—\s*\d+\s*—", "".join(c["text"] for c in ln))]
    assert len(lines) == 22
    lefts = sorted({round(min(c["x0"] for c in ln) * MM, 1) for ln in lines})
    assert lefts[0] == pytest.approx(28, abs=0.3)
    indented = [x for x in lefts if x > 30]
    assert all(x == pytest.approx(28 + 2 * 156 / 28, abs=0.3) for x in indented)
    full = [ln for ln in lines if len(ln) == 28 and round(min(c["x0"] for c in ln) * MM, 1) < 28.5]
    assert full, "no full 28-character line on a body page"
    for ln in full:
        assert max(c["x1"] for c in ln) * MM == pytest.approx(28 + 156, abs=1)
    pitch = (lines[-1][0]["top"] - lines[0][0]["top"]) / 21
    assert pitch == pytest.approx(28.95, abs=0.05)
    assert lines[0][0]["top"] * MM == pytest.approx(37, abs=1.2)


def test_pdf_page_numbers(built):
    with pdfplumber.open(built["001"]["pdf"]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            line = _lines(page)[-1]
            text = "".join(c["text"] for c in line)
            assert text == f"\u2014\u00a0{number}\u00a0\u2014"
            assert {round(c["size"], 1) for c in line} == {14.0}
            x0, x1 = min(c["x0"] for c in line) * MM, max(c["x1"] for c in line) * MM
            inset = 14 * MM
            if number % 2:
                assert x1 == pytest.approx(28 + 156 - inset, abs=0.5)
            else:
                assert x0 == pytest.approx(28 + inset, abs=0.5)


def test_pdf_embeds_every_font(built):
    for paths in built.values():
        out = subprocess.run(["pdffonts", str(paths["pdf"])], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows
        for row in rows:
            cols = row.split()
            assert cols[-5] == "yes", row  # emb


def test_pdf_no_missing_glyphs(built):
    for paths in built.values():
        with pdfplumber.open(paths["pdf"]) as pdf:
            for page in pdf.pages:
                assert not [c for c in page.chars if c["text"] in ("\ufffd", "") or "notdef" in c["text"]]


def test_docx_keeps_word_chinese_typography_as_the_pdf_sets_it(built):
    """The PDF sets autospace and hanging punctuation; the Word file must not switch them off."""
    styles = _xml(built["000"]["docx"], "word/styles.xml")
    for tag in ("overflowPunct", "autoSpaceDE", "autoSpaceDN"):
        assert _w(_style(styles, "Normal"), tag) != "0"


def test_the_word_file_is_native_to_word_and_wps(built):
    """Official fonts described in fontTable (other name, GB2312 charset, panose), no theme fonts,
    no blank-template leftovers, two-character indents, properties from the report."""
    path = built["000"]["docx"]
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        fonts = etree.fromstring(z.read("word/fontTable.xml"))
        styles = z.read("word/styles.xml").decode("utf-8")
        core = z.read("docProps/core.xml").decode("utf-8")
        app = z.read("docProps/app.xml").decode("utf-8")
    table = {f.get(f"{W}name"): f for f in fonts.findall(f"{W}font")}
    assert {"仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体"} <= set(table)
    for font in table.values():
        if font.get(f"{W}name") != "Times New Roman":
            assert font.find(f"{W}charset").get(f"{W}val") == "86"
            assert font.find(f"{W}altName") is not None and font.find(f"{W}panose1") is not None
    assert "Theme" not in styles and "Calibri" not in styles and "ＭＳ" not in styles
    assert 'w:firstLineChars="200"' in styles
    assert not any(n.startswith("customXml/") or n.endswith(".jpeg") for n in names)
    assert "<dc:creator>广州市公安局荔湾区分局</dc:creator>" in core and "2023-01-01T00:00:00Z" in core
    assert "python-docx" not in core and "Macintosh" not in app and "<Application>reportgen</Application>" in app
