"""The PDF a department submits: PDF/A-3 with the YAML it was built from attached as its source,
metadata from the report, the same bytes on every rebuild; and the bundle of report and 自评表."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL, ROOT
from textutil import pdf_pages

from reportgen.build import build
from reportgen.conformance import pdf_rules

XMP = {
    "part": "{http://www.aiim.org/pdfa/ns/id/}part",
    "conformance": "{http://www.aiim.org/pdfa/ns/id/}conformance",
    "title": "{http://purl.org/dc/elements/1.1/}title",
    "creator": "{http://purl.org/dc/elements/1.1/}creator",
    "created": "{http://ns.adobe.com/xap/1.0/}CreateDate",
}


def _source_of(path: Path) -> tuple[pikepdf.Dictionary, bytes]:
    with pikepdf.open(path) as pdf:
        (spec,) = list(pdf.Root.AF)
        stream = spec.EF.F
        return pikepdf.Dictionary(spec), stream.read_bytes()


def test_every_example_pdf_is_pdf_a_3u_carrying_its_yaml(every_example):
    pdfs = [p for p in every_example if p.suffix == ".pdf"]
    assert len(pdfs) == 14  # 10 reports, 4 自评表
    for path in pdfs:
        yaml_name = path.stem.removesuffix("-自评表") + ".yaml"
        original = (ROOT / "examples" / yaml_name).read_bytes()
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version == "1.7"
            with pdf.open_metadata() as xmp:
                assert xmp[XMP["part"]] == "3" and xmp[XMP["conformance"]] == "U"
                title = xmp[XMP["title"]]
                unit = xmp[XMP["creator"]][0]
                created = xmp[XMP["created"]]
            (intent,) = list(pdf.Root.OutputIntents)
            assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent
            (spec,) = list(pdf.Root.AF)
            assert spec.AFRelationship == "/Source" and str(spec.UF) == yaml_name
            stream = spec.EF.F
            assert stream.Subtype == "/application/yaml"
            assert str(stream.Params.CreationDate) == str(stream.Params.ModDate)
            assert stream.read_bytes() == original  # byte for byte
            assert str(pdf.docinfo.Title) == title and str(pdf.docinfo.Author) == unit
        year = re.search(r"-(\d{4})", path.stem)
        assert year and f"{year[1]}年" in title and unit in title
        assert created == f"{int(year[1]) + 1}-01-01T00:00:00Z"
        (fonts,) = [o for o in pdf_rules.check(path) if o.rule == "字体全部嵌入"]
        assert fonts.ok


def test_two_builds_write_the_same_bytes_and_the_date_follows_source_date_epoch(tmp_path):
    source = ROOT / "examples" / "sample-jiedao-2024.yaml"
    first = build(source, tmp_path / "a", ("docx", "pdf"), bundle=True).outputs
    second = build(source, tmp_path / "b", ("docx", "pdf"), bundle=True).outputs
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 5
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    env = {"SOURCE_DATE_EPOCH": "1767225600"}  # 2026-01-01
    out = tmp_path / "epoch"
    run = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(source), "-o", str(out), "-f", "pdf"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )
    assert run.returncode == 0, run.stderr
    with pikepdf.open(out / "sample-jiedao-2024.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20260101000000Z"


def test_the_written_date_dates_the_files(write_yaml, tmp_path):
    path = write_yaml(MINIMAL + "落款:\n  单位: 测试局\n  日期: 2024年3月8日\n")
    (pdf,) = build(path, tmp_path / "out", ("pdf",)).outputs
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo.CreationDate) == "D:20240308000000Z"
        assert str(document.Root.AF[0].EF.F.Params.ModDate) == "D:20240308000000Z"


def test_the_source_can_be_left_out(write_yaml, tmp_path):
    path = write_yaml(MINIMAL)
    (pdf,) = build(path, tmp_path / "cli", ("pdf",), embed_source=False).outputs
    with pikepdf.open(pdf) as document:
        assert "/AF" not in document.Root and not document.attachments
    bureau = tmp_path / "tpl"
    bureau.mkdir()
    (bureau / "settings.yaml").write_text("名称: 不附源文件\n嵌入源文件: false\n", encoding="utf-8")
    (pdf,) = build(path, tmp_path / "tpl-out", ("pdf",), template_dir=bureau).outputs
    with pikepdf.open(pdf) as document:
        assert not document.attachments
    (pdf,) = build(path, tmp_path / "again", ("pdf",), template_dir=bureau, embed_source=True).outputs
    with pikepdf.open(pdf) as document:
        assert len(document.attachments) == 1  # the command line wins over the template


def test_a_bundle_numbers_its_pages_on_and_labels_the_attachment(tmp_path):
    source = ROOT / "examples" / "sample-jiedao-2024.yaml"
    outputs = build(source, tmp_path, ("pdf",), bundle=True).outputs
    report, table, bundle = outputs
    assert bundle.name == "sample-jiedao-2024-合订.pdf"
    pages = pdf_pages(bundle)
    # the 附件 label above the form's title may carry the form's last rows to a page of their own
    assert (
        len(pdf_pages(report)) + len(pdf_pages(table))
        <= len(pages)
        <= len(pdf_pages(report)) + len(pdf_pages(table)) + 1
    )
    numbers = [int(m[1]) for page in pages for m in [re.search(r"—\s*(\d+)\s*—\s*$", page.strip())] if m]
    assert numbers == list(range(1, len(pages) + 1))
    first_table_page = pages[len(pdf_pages(report))]
    assert first_table_page.lstrip().startswith("附件 1") and "自评表" in first_table_page
    assert all(o.ok for o in pdf_rules.check(bundle)), [o for o in pdf_rules.check(bundle) if not o.ok]
    _, data = _source_of(bundle)
    assert data == source.read_bytes()


def test_a_bundle_needs_both_documents(write_yaml, tmp_path):
    from reportgen.errors import ReportgenError

    path = write_yaml(MINIMAL)
    with pytest.raises(ReportgenError) as err:
        build(path, tmp_path, ("pdf",), kinds=("报告",), bundle=True)
    assert "合订需要报告和自评表两种文书" in err.value.message
