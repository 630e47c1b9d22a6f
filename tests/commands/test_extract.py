"""`reportgen extract`: the YAML back out of a PDF, byte for byte, and one clear message for a
PDF that has none, is damaged, locked, or hides a bomb."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
from conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", "extract", *args], capture_output=True, text=True)


def _fails(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode == 2, result.stderr
    assert fragment in result.stderr and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_every_example_comes_back_byte_for_byte(every_example, tmp_path):
    for pdf in (p for p in every_example if p.suffix == ".pdf"):
        target = tmp_path / f"{pdf.stem}.yaml"
        result = run(str(pdf), "-o", str(target))
        assert result.returncode == 0, result.stderr
        original = ROOT / "examples" / (pdf.stem.removesuffix("-自评表") + ".yaml")
        assert target.read_bytes() == original.read_bytes()


def test_default_name_and_an_existing_file(every_example, tmp_path):
    pdf = next(p for p in every_example if p.name == "hexi-zhengfawei-2024.pdf")
    copy = tmp_path / "交来的.pdf"
    copy.write_bytes(pdf.read_bytes())
    assert run(str(copy)).returncode == 0
    written = tmp_path / "交来的.yaml"  # the PDF's own name, not the one its attachment gives
    original = ROOT / "examples" / "hexi-zhengfawei-2024.yaml"
    assert written.read_bytes() == original.read_bytes()
    again = run(str(copy))
    assert again.returncode == 0 and "未改动" in again.stdout
    written.write_text("部门名称: 改过\n", encoding="utf-8")
    _fails(run(str(copy)), "文件已存在且内容不同")
    assert written.read_text(encoding="utf-8") == "部门名称: 改过\n"  # left alone
    assert run(str(copy), "--force").returncode == 0
    assert written.read_bytes() == original.read_bytes()


def test_pdfs_without_a_source(every_example, tmp_path):
    pdf = next(p for p in every_example if p.suffix == ".pdf")
    with pikepdf.open(pdf) as document:
        del document.Root.AF
        del document.Root.Names.EmbeddedFiles
        document.save(tmp_path / "plain.pdf")
    _fails(run(str(tmp_path / "plain.pdf")), "没有附带 YAML 源文件")
    (tmp_path / "broken.pdf").write_bytes(pdf.read_bytes()[:2000])
    _fails(run(str(tmp_path / "broken.pdf")), "文件可能已损坏或不是 PDF")
    with pikepdf.open(pdf) as document:
        document.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="secret", owner="secret"))
    _fails(run(str(tmp_path / "locked.pdf")), "设有打开密码")
    _fails(run(str(tmp_path / "missing.pdf")), "文件不存在")


def test_an_attachment_that_unpacks_to_gigabytes_is_refused(every_example, tmp_path):
    pdf = next(p for p in every_example if p.suffix == ".pdf")
    bomb = zlib.compress(b"a: " + b"x" * 200_000_000, 9)  # 200 MB in a few hundred KB
    with pikepdf.open(pdf) as document:
        stream = document.Root.AF[0].EF.F
        stream.write(bomb, filter=pikepdf.Name.FlateDecode)
        document.save(tmp_path / "bomb.pdf")
    assert (tmp_path / "bomb.pdf").stat().st_size < 2_000_000
    _fails(run(str(tmp_path / "bomb.pdf")), "附带的 YAML 过大")


def test_extract_then_build_gives_the_same_pdf(every_example, tmp_path):
    pdf = next(p for p in every_example if p.name == "qingxi-nongye-2024.pdf")
    assert run(str(pdf), "-o", str(tmp_path / "qingxi-nongye-2024.yaml")).returncode == 0
    built = subprocess.run(
        [sys.executable, "-m", "reportgen", "build", str(tmp_path / "qingxi-nongye-2024.yaml"), "-f", "pdf"],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert Path(tmp_path / "qingxi-nongye-2024.pdf").read_bytes() == pdf.read_bytes()
