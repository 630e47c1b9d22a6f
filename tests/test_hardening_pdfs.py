"""PDFs from outside, measured before their pages are parsed: a page size that is no number, a
stream that inflates past a gigabyte, hundreds of thousands of runs of text, thousands of
pages — each one message (exit 2) in little time and memory, from import, check-layout and
collect alike; a malformed table in a Word file imports."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest

from reportgen.input.pdf_bounds import MAX_PAGES


def measured(command: list[str]) -> tuple[int, str, float, int]:
    """Exit code, stderr, seconds and peak memory (KB) of this command's own process, its memory
    read from /proc every 20 ms (the kernel's own peak figure for a child includes the memory of
    the process that forked it, here a test worker of a gigabyte)."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    status = Path(f"/proc/{process.pid}/status")
    while True:
        try:
            rss = next(line for line in status.read_text().splitlines() if line.startswith("VmRSS:"))
            peak = max(peak, int(rss.split()[1]))
        except (OSError, StopIteration, ValueError):
            pass
        try:
            _, err = process.communicate(timeout=0.02)  # reading as it goes: a full pipe never blocks it
            break
        except subprocess.TimeoutExpired:
            continue
    return process.returncode, err.decode("utf-8", "replace"), time.monotonic() - started, peak


def _page(pdf: pikepdf.Pdf, content: bytes, box: list | None = None) -> pikepdf.Dictionary:
    stream = pikepdf.Stream(pdf, zlib.compress(content, 9))
    stream.Filter = pikepdf.Name.FlateDecode
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=box or [0, 0, 595, 842],
        Contents=pdf.make_indirect(stream),
        Resources=pikepdf.Dictionary(),
    )


def _write(path: Path, pages: list[pikepdf.Dictionary], pdf: pikepdf.Pdf) -> Path:
    for page in pages:
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdfs")
    made = {}
    pdf = pikepdf.new()
    made["size"] = _write(folder / "size.pdf", [_page(pdf, b"BT ET", [0, 0, pikepdf.Name("/abc"), 842])], pdf)
    pdf = pikepdf.new()
    packer = zlib.compressobj(9)
    data = b"".join(packer.compress(b"\0" * (1 << 20)) for _ in range(300)) + packer.flush()
    stream = pikepdf.Stream(pdf, data)
    stream.Filter = pikepdf.Name.FlateDecode
    bomb = pikepdf.Dictionary(
        Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842], Contents=pdf.make_indirect(stream), Resources={}
    )
    made["bomb"] = _write(folder / "bomb.pdf", [bomb], pdf)
    pdf = pikepdf.new()
    made["runs"] = _write(folder / "runs.pdf", [_page(pdf, b"BT " + b"(a) Tj " * 200_000 + b"ET")], pdf)
    pdf = pikepdf.new()
    one = pdf.make_indirect(_page(pdf, b"BT ET"))
    pdf.Root.Pages.Kids = pikepdf.Array([one] * (MAX_PAGES + 1))
    pdf.Root.Pages.Count = MAX_PAGES + 1
    one.Parent = pdf.Root.Pages
    pdf.save(folder / "pages.pdf")
    made["pages"] = folder / "pages.pdf"
    return made


@pytest.mark.parametrize("kind", ["size", "bomb", "runs", "pages"])
@pytest.mark.parametrize("command", ["import", "check-layout"])
def test_a_hostile_pdf_is_one_message(hostile, tmp_path, kind, command):
    args = [str(hostile[kind])] + (["-o", str(tmp_path / "out.yaml")] if command == "import" else [])
    code, stderr, seconds, peak = measured([sys.executable, "-m", "reportgen", command, *args])
    assert code == 2, (kind, command, stderr)
    assert str(hostile[kind]) in stderr and "错误" in stderr and "内部错误" not in stderr
    assert seconds < 10 and peak < 500_000  # KB
    assert not (tmp_path / "out.yaml").exists()


def test_a_malformed_word_table_imports(tmp_path):
    """gridSpan="abc" or 999999999 (which once asked for gigabytes) is taken as Word takes it: 1."""
    from docx import Document

    base = tmp_path / "base.docx"
    document = Document()
    document.add_paragraph("2023年度测试局部门整体支出绩效自评报告")
    document.add_paragraph("一、基本情况")
    document.add_table(rows=2, cols=2).cell(0, 0).text = "甲"
    document.save(str(base))
    for value in ("abc", "999999999", "²"):
        broken = tmp_path / f"span-{len(value)}.docx"
        with zipfile.ZipFile(base) as source, zipfile.ZipFile(broken, "w") as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename == "word/document.xml":
                    data = data.replace(b"<w:tc><w:tcPr>", f'<w:tc><w:tcPr><w:gridSpan w:val="{value}"/>'.encode(), 1)
                target.writestr(item, data)
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", "import", str(broken), "-o", str(tmp_path / f"{len(value)}.yaml")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, (value, result.stderr)
