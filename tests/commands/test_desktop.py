"""The command on an officer's desktop rather than the Debian set-up: no fontconfig `fc-list`
(the fonts in a Windows-like folder), paths with Chinese characters and spaces, and a PDF engine
whose native libraries are missing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from desktop import as_named, broken_engine, embedded_fonts, fonts_named, path_without_fc_list, windows_fonts

pytestmark = pytest.mark.slow  # see README「测试」: LibreOffice, a browser, fuzzing or many builds

EXAMPLE = ROOT / "examples" / "liwan-gongan-2022.yaml"
RARE = ROOT / "examples" / "liwan-zhengfawei-2023.yaml"  # 漖, drawn by Noto from a collection
OFFICIAL = {"方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"}
APT = "sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"


def run(*args: str, env: dict[str, str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reportgen", *args], capture_output=True, text=True, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def desktop(tmp_path_factory) -> dict[str, str]:
    """An environment without fc-list whose user font folder (XDG_DATA_HOME/fonts, in a folder
    with Chinese characters and a space) is laid out like a Windows PC's Fonts folder."""
    home = tmp_path_factory.mktemp("desktop")
    data = home / "我的 数据"
    windows_fonts(data / "fonts")
    return {
        **os.environ,
        "PATH": path_without_fc_list(home / "no-fc"),
        "PYTHONPATH": str(ROOT),
        "HOME": str(home),
        "XDG_DATA_HOME": str(data),
        "XDG_CACHE_HOME": str(home / "cache"),
        "PYTHONWARNINGS": "ignore",
    }


def test_without_fc_list_the_pdf_has_the_fonts_reportgen_fonts_names(desktop, tmp_path):
    assert shutil.which("fc-list", path=desktop["PATH"]) is None
    listing = run("fonts", str(EXAMPLE), env=desktop)
    assert listing.returncode == 0, listing.stderr
    assert "字体查找：扫描字体文件夹（本机没有 fontconfig 的 fc-list）" in listing.stdout
    assert f"{desktop['XDG_DATA_HOME']}/fonts" in listing.stdout
    assert "正文：Word 写作「仿宋_GB2312」" in listing.stdout
    assert f"PDF：仿宋_GB2312，官方字体，{desktop['XDG_DATA_HOME']}/fonts/FS_GB2312.ttf" in listing.stdout
    assert fonts_named(listing.stdout) == OFFICIAL

    built = run("build", str(EXAMPLE), "-o", str(tmp_path), env=desktop)
    assert built.returncode == 0, built.stderr
    embedded = embedded_fonts(tmp_path / "liwan-gongan-2022.pdf")
    assert {as_named(name) for name in embedded} == fonts_named(listing.stdout)
    # each official name carries the file it was found as: 宋体 is simsun.ttc's first face
    assert embedded["宋体"] == "FandolSong" and embedded["黑体"] == "FandolHei"
    assert embedded["仿宋_GB2312"].startswith("FandolFang") and embedded["楷体_GB2312"] == "FandolKai"
    page = subprocess.run(
        [
            "pdftoppm",
            "-r",
            "30",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "liwan-gongan-2022.pdf"),
            str(tmp_path / "p"),
        ],
        capture_output=True,
    )
    assert page.returncode == 0 and (tmp_path / "p-1.png").stat().st_size > 5_000


def test_without_fc_list_a_rare_character_comes_from_a_collection_face(desktop, tmp_path):
    listing = run("fonts", str(RARE), env=desktop)
    assert "由 Noto Serif CJK SC 补字：漖" in listing.stdout
    built = run("build", str(RARE), "-o", str(tmp_path), "-f", "pdf", env=desktop)
    assert built.returncode == 0, built.stderr
    embedded = embedded_fonts(tmp_path / "liwan-zhengfawei-2023.pdf")
    assert {as_named(name) for name in embedded} == fonts_named(listing.stdout)
    noto = next(inner for name, inner in embedded.items() if name.startswith("Noto"))
    assert noto == "Noto Serif CJK SC"  # the collection's third face, not its first (JP)


def test_chinese_characters_and_spaces_in_paths(desktop, tmp_path):
    folder = tmp_path / "我的 报告" / "2023 年"
    folder.mkdir(parents=True)
    source = folder / "荔湾 公安.yaml"
    shutil.copyfile(EXAMPLE, source)
    for env in (desktop, {**os.environ, "PYTHONPATH": str(ROOT)}):  # scanned fonts, then fontconfig's
        built = run("build", str(source), env=env, cwd=folder)
        assert built.returncode == 0, built.stderr
        assert f"已生成 {folder / '荔湾 公安.pdf'}" in built.stdout
        assert {as_named(n) for n in embedded_fonts(folder / "荔湾 公安.pdf")} & {"仿宋_GB2312", "FandolFang"}
    extracted = run("extract", str(folder / "荔湾 公安.pdf"), "-o", str(folder / "取回 的.yaml"), env=desktop)
    assert extracted.returncode == 0 and (folder / "取回 的.yaml").read_bytes() == EXAMPLE.read_bytes()
    checked = run("check-layout", str(folder / "荔湾 公安.docx"), env=desktop)
    assert checked.returncode in (0, 1) and "内部错误" not in checked.stderr


@pytest.fixture(scope="module")
def no_engine(tmp_path_factory) -> dict[str, str]:
    """An environment whose PDF engine fails to load as WeasyPrint does without libpango."""
    fake = broken_engine(tmp_path_factory.mktemp("no-engine"))
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(fake), str(ROOT)]), "PYTHONWARNINGS": "ignore"}


def _said(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The lines a command said, less the example's own validation warnings."""
    return [ln for ln in (result.stderr + result.stdout).splitlines() if ln.strip() and ": 警告: " not in ln]


@pytest.mark.parametrize("serial", ["", "1"])  # the PDF in a helper process, or in the same one
def test_without_the_pdf_engine_the_word_file_is_written_and_one_line_says_why(no_engine, tmp_path, serial):
    result = run("build", str(EXAMPLE), "-o", str(tmp_path), env={**no_engine, "REPORTGEN_SERIAL": serial})
    assert result.returncode == 1, result.stderr
    said = _said(result)
    assert said == [said[0], f"已生成 {tmp_path / 'liwan-gongan-2022.docx'}"]
    line = said[0]
    assert line.startswith("未生成 PDF：本机缺少 PDF 引擎所需的库（libpango-1.0-0）。")
    assert f"安装：{APT}" in line
    assert "Word 或 WPS 打开「liwan-gongan-2022.docx」另存为 PDF，页面相同" in line and "reportgen check-layout" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["liwan-gongan-2022.docx"]
    checked = run("check-layout", str(tmp_path / "liwan-gongan-2022.docx"), env=no_engine)
    assert checked.returncode == 0 and "全部通过" in checked.stdout


def test_without_the_pdf_engine_a_batch_counts_its_word_files(no_engine, tmp_path):
    second = tmp_path / "second.yaml"
    second.write_bytes(EXAMPLE.read_bytes())
    result = run("build", str(EXAMPLE), str(second), "-o", str(tmp_path / "out"), env=no_engine)
    assert result.returncode == 1
    assert "共 2 个文件：生成 0 个，只生成了 Word 文件 2 个，失败 0 个" in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["liwan-gongan-2022.docx", "second.docx"]


def test_without_the_pdf_engine_everything_else_works(no_engine, tmp_path):
    assert run("validate", str(EXAMPLE), env=no_engine).returncode == 0
    score = run("score", str(ROOT / "examples" / "jiangcheng-fagai-2024.yaml"), env=no_engine)
    assert score.returncode == 0 and "等级" in score.stdout
    assert run("init", str(tmp_path / "新 文件.yaml"), env=no_engine).returncode == 0
    fonts = run("fonts", str(EXAMPLE), env=no_engine)
    assert fonts.returncode == 0 and "正文：Word 写作「仿宋_GB2312」" in fonts.stdout
    bundle = run(
        "build", str(ROOT / "examples" / "sample-jiedao-2024.yaml"), "-o", str(tmp_path), "--bundle", env=no_engine
    )
    assert bundle.returncode == 1 and len(_said(bundle)) == 3
    assert "「sample-jiedao-2024.docx、sample-jiedao-2024-自评表.docx」" in _said(bundle)[0]
    only_pdf = run("build", str(EXAMPLE), "-o", str(tmp_path / "pdf"), "-f", "pdf", env=no_engine)
    assert only_pdf.returncode == 1 and len(_said(only_pdf)) == 1
    assert APT in _said(only_pdf)[0] and "-f docx" in _said(only_pdf)[0]
    doctor = run("doctor", env=no_engine)
    assert doctor.returncode == 1
    assert "[缺少] PDF 引擎" in doctor.stdout and f"安装：{APT}" in doctor.stdout
    assert "缺少生成 PDF 所需的：PDF 引擎" in doctor.stdout


def test_odd_font_folders_and_caches_never_reach_an_internal_error(desktop, tmp_path):
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "garbage.ttf").write_bytes(b"OTTO" + b"\xff" * 3000)
    (odd / "collection.ttc").write_bytes(b"ttcf\x00\x01\x00\x00\x00\x00\x00\x09" + b"\x00" * 40)
    os.mkfifo(odd / "pipe.otf")
    (odd / "loop").symlink_to(odd)
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("", encoding="utf-8")
    named = os.pathsep.join([str(odd), str(tmp_path / "missing"), str(odd / "garbage.ttf"), "", "/dev"])
    for cache in (str(blocker), str(tmp_path / "damaged")):
        (tmp_path / "damaged" / "reportgen").mkdir(parents=True, exist_ok=True)
        (tmp_path / "damaged" / "reportgen" / "fonts.json").write_bytes(b'{"version": 1, "files": {"/x": 1}')
        env = {**desktop, "REPORTGEN_FONT_DIRS": named, "XDG_CACHE_HOME": cache}
        built = run("build", str(EXAMPLE), "-o", str(tmp_path / "out"), env=env)
        assert built.returncode == 0, built.stderr
        listing = run("fonts", env=env)
        assert listing.returncode == 0 and f"读取的文件夹：{odd}、/dev、" in listing.stdout
