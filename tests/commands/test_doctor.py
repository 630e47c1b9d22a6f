"""`reportgen doctor`: what the machine has, what it lacks, the command that installs each."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT

from reportgen import setup_advice
from reportgen.cli import main
from reportgen.fonts import faces
from reportgen.render.pdf import engine


def test_this_machine_has_what_a_build_needs():
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "doctor"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0].startswith("本机：")
    assert any(ln.startswith("[有  ] Python") and "3." in ln for ln in lines)
    assert any(ln.startswith("[有  ] PDF 引擎") and "WeasyPrint" in ln and "Pango 1." in ln for ln in lines)
    assert any(ln.startswith("[有  ] HarfBuzz 子集库") for ln in lines)
    # the Debian set-up has the free substitutes, not the official fonts
    assert any(ln.startswith("[可选] 仿宋_GB2312（正文、表格）") and "FandolFang" in ln for ln in lines)
    assert "安装：把单位的字体文件复制到 ~/.local/share/fonts" in result.stdout
    assert any(ln.startswith("[有  ] 生僻字后备字体") for ln in lines)
    assert any(ln.startswith("[有  ] fontconfig") for ln in lines)
    assert lines[-1] == "可以生成 Word 和 PDF。"


@pytest.fixture
def no_fonts(monkeypatch):
    """A machine where neither fontconfig nor the font folders have any font."""
    monkeypatch.setattr(faces, "discovered", lambda: (faces.Discovery("scan", (), 0), ()))


def test_a_machine_without_fonts_is_told_how_to_get_them(no_fonts):
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 1
    body = next(ln for ln in result.output.splitlines() if ln.startswith("[缺少] 仿宋_GB2312（正文、表格）"))
    assert body.endswith(
        "没有可用字体（需要 仿宋_GB2312、仿宋、FangSong_GB2312、FangSong、FandolFang、Noto Serif CJK SC 之一）"
    )
    assert f"安装：{setup_advice.FONTS.linux}" in result.output
    assert (
        "[可选] fontconfig" in result.output
        and "没有 fc-list：字体由扫描字体文件夹得到（0 个字体文件）" in result.output
    )
    assert "缺少生成 PDF 所需的：方正小标宋简体（标题）、仿宋_GB2312（正文、表格）" in result.output


def test_windows_is_told_its_own_commands(monkeypatch):
    monkeypatch.setattr(setup_advice, "system_kind", lambda: "windows")
    assert "pacman -S mingw-w64-ucrt-x86_64-pango" in setup_advice.ENGINE.here()
    assert "WEASYPRINT_DLL_DIRECTORIES" in setup_advice.ENGINE.here()
    assert "为所有用户安装" in setup_advice.FONTS.here()
    message = engine.missing_message(
        "本机缺少 PDF 引擎所需的库（libgobject-2.0-0）", setup_advice.ENGINE.here(), "某局.docx"
    )
    assert "\n" not in message and "pacman -S mingw-w64-ucrt-x86_64-pango" in message
    assert "Word 或 WPS 打开「某局.docx」另存为 PDF" in message
