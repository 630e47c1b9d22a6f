"""The one command that installs each thing reportgen uses, on the systems officers work on:
Debian and the 信创 desktops built on it (统信 UOS, 银河麒麟), Windows, and macOS."""

from __future__ import annotations

import sys
from dataclasses import dataclass


def system_kind() -> str:
    """The kind of system: windows, mac, or linux (Debian, UOS, Kylin and the like)."""
    if sys.platform == "win32":
        return "windows"
    if sys.platform == "darwin":
        return "mac"
    return "linux"


@dataclass(frozen=True)
class Fix:
    linux: str
    windows: str
    mac: str

    def here(self) -> str:
        """The command for this machine's system."""
        return getattr(self, system_kind())


ENGINE = Fix(
    linux="sudo apt install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0",
    windows=(
        "安装 MSYS2（www.msys2.org），在其终端运行 pacman -S mingw-w64-ucrt-x86_64-pango"
        "（MSYS2 不在 C:\\msys64 时，把它的 ucrt64\\bin 文件夹写入环境变量 WEASYPRINT_DLL_DIRECTORIES）"
    ),
    mac="brew install pango",
)
ENGINE_PACKAGE = Fix(
    linux="python3 -m pip install weasyprint",
    windows="py -m pip install weasyprint",
    mac="python3 -m pip install weasyprint",
)
ENGINE_VERSION = Fix(
    linux="python3 -m pip install 'weasyprint>=70,<71'（在本工具的文件夹中运行 pip install . 会装上测试过的版本）",
    windows='py -m pip install "weasyprint>=70,<71"（在本工具的文件夹中运行 py -m pip install . 会装上测试过的版本）',
    mac="python3 -m pip install 'weasyprint>=70,<71'（在本工具的文件夹中运行 pip install . 会装上测试过的版本）",
)
SUBSET = Fix(
    linux="sudo apt install libharfbuzz-subset0",
    windows="在 MSYS2 终端运行 pacman -S mingw-w64-ucrt-x86_64-harfbuzz",
    mac="brew install harfbuzz",
)
OFFICIAL_FONTS = Fix(
    linux="把单位的字体文件复制到 ~/.local/share/fonts（或把所在文件夹写入环境变量 REPORTGEN_FONT_DIRS）",
    windows="把字体文件右键“为所有用户安装”（或把所在文件夹写入环境变量 REPORTGEN_FONT_DIRS）",
    mac="把字体文件拖入“字体册”（或把所在文件夹写入环境变量 REPORTGEN_FONT_DIRS）",
)
RARE_FONTS = Fix(
    linux="sudo apt install fonts-noto-cjk",
    windows="安装思源宋体、思源黑体（Noto Serif CJK SC、Noto Sans CJK SC）",
    mac="安装思源宋体、思源黑体（Noto Serif CJK SC、Noto Sans CJK SC）",
)
FONTS = Fix(
    linux="sudo bash scripts/setup.sh（安装 Fandol 与 Noto CJK 免费字体）",
    windows="把字体文件右键“为所有用户安装”（或把所在文件夹写入环境变量 REPORTGEN_FONT_DIRS）",
    mac="把字体文件拖入“字体册”（或把所在文件夹写入环境变量 REPORTGEN_FONT_DIRS）",
)
FONTCONFIG = Fix(
    linux="sudo apt install fontconfig（不装也行：reportgen 会自己读取字体文件夹）",
    windows="不需要：reportgen 自己读取字体文件夹",
    mac="不需要：reportgen 自己读取字体文件夹",
)
LIBREOFFICE = Fix(
    linux="sudo apt install libreoffice-writer-nogui",
    windows="从 www.libreoffice.org 下载安装 LibreOffice",
    mac="brew install --cask libreoffice",
)
PYTHON = Fix(
    linux="sudo apt install python3（需要 3.11 或更新）",
    windows="从 www.python.org 安装 Python 3.11 或更新的版本",
    mac="brew install python@3.12",
)
