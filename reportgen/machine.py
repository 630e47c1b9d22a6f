"""What this machine has of what reportgen uses, each with the command that installs what is
missing (`reportgen doctor`).  Only the checks marked `needed` stop a build of Word and PDF."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from reportgen import setup_advice

MIN_PYTHON = (3, 11)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    found: str  # what is there, or what is missing
    fix: str = ""  # the command that installs it on this system
    needed: bool = True  # needed to build Word and PDF; else it only makes things better


def system_name() -> str:
    """The system as its officer knows it: the distribution's own name on Linux (统信 UOS, Kylin)."""
    if sys.platform.startswith("linux"):
        try:
            with open("/etc/os-release", encoding="utf-8", errors="replace") as handle:
                for line in handle.read(20_000).splitlines():
                    if line.startswith("PRETTY_NAME="):
                        return line.partition("=")[2].strip().strip('"')[:80] or "Linux"
        except OSError:
            pass
        return "Linux"
    return platform.platform(terse=True)


def checks() -> list[Check]:
    return [_python(), *_engine(), *_fonts(), _fontconfig(), _libreoffice()]


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info[:2] >= MIN_PYTHON
    return Check("Python", ok, f"{version}（需要 {'.'.join(map(str, MIN_PYTHON))} 或更新）", setup_advice.PYTHON.here())


def _engine() -> list[Check]:
    from reportgen.render.pdf import engine

    try:
        module = engine.weasyprint()
    except engine.EngineMissing as exc:
        return [
            Check("PDF 引擎", False, exc.missing, exc.fix),
            Check("HarfBuzz 子集库", False, "PDF 引擎未能加载，无法检查", setup_advice.SUBSET.here(), needed=False),
        ]
    found = f"WeasyPrint {getattr(module, '__version__', '?')}"
    try:
        from weasyprint.text.ffi import pango

        number = pango.pango_version()  # 15012 for 1.50.12
        found += f"，Pango {number // 10000}.{number // 100 % 100}.{number % 100}"
    except Exception:  # a version string is only information
        pass
    subset = engine.harfbuzz_subset_available()
    from reportgen.render.pdf import justify

    setting = justify.status()
    return [
        Check("PDF 引擎", True, found),
        Check(
            "PDF 中文排版",
            setting is None,
            "与 Word 相同的断行、两端对齐和标点悬挂" if setting is None else setting,
            setup_advice.ENGINE_VERSION.here(),
            needed=False,
        ),
        Check(
            "HarfBuzz 子集库",
            subset,
            "有（PDF 中的字体只嵌入用到的字）" if subset else "没有：生成 PDF 会慢 10–30 倍",
            setup_advice.SUBSET.here(),
            needed=False,
        ),
    ]


def _fonts() -> list[Check]:
    """One line per official font (roles that share one are named together), then the fallback."""
    from reportgen.fonts import faces
    from reportgen.page import DEFAULT_FONTS

    groups: dict[str, list[str]] = {}
    for role, spec in DEFAULT_FONTS.items():
        groups.setdefault(spec.official[0], []).append(role)
    found: list[Check] = []
    rare = False
    for official, roles in groups.items():
        resolved = faces.resolve(DEFAULT_FONTS[roles[0]])
        name = f"{official}（{'、'.join(roles)}）"
        if not resolved.chain:
            spec = resolved.role
            wanted = "、".join(spec.official + spec.substitutes)
            found.append(Check(name, False, f"没有可用字体（需要 {wanted} 之一）", setup_advice.FONTS.here()))
            continue
        first = resolved.chain[0]
        rare = rare or any(f.family.startswith("Noto") for f in resolved.chain)
        if resolved.official_installed:
            found.append(Check(name, True, f"官方字体 {first.family}：{first.file}"))
        else:
            found.append(
                Check(
                    name,
                    False,
                    f"未安装官方字体，PDF 用替代字体 {first.family}：{first.file}",
                    setup_advice.OFFICIAL_FONTS.here(),
                    needed=False,
                )
            )
    found.append(
        Check(
            "生僻字后备字体",
            rare,
            "Noto CJK（官方字体没有的字由它补上）" if rare else "没有 Noto CJK：官方字体没有的字无法印出",
            setup_advice.RARE_FONTS.here(),
            needed=False,
        )
    )
    return found


def _fontconfig() -> Check:
    from reportgen.fonts import faces

    found = faces.discovery()
    if found.method == "fontconfig":
        return Check("fontconfig", True, "有 fc-list：字体由 fontconfig 列出", needed=False)
    return Check(
        "fontconfig",
        False,
        f"没有 fc-list：字体由扫描字体文件夹得到（{found.files} 个字体文件）",
        setup_advice.FONTCONFIG.here(),
        needed=False,
    )


def _libreoffice() -> Check:
    program = shutil.which("soffice") or shutil.which("libreoffice")
    if program is None and sys.platform == "win32":
        default = Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice" / "program" / "soffice.exe"
        program = str(default) if default.is_file() else None
    if program:
        return Check("LibreOffice", True, f"{program}（用于 Word 与 PDF 分页对照的测试）", needed=False)
    return Check(
        "LibreOffice",
        False,
        "没有（只用于 Word 与 PDF 分页对照的测试，生成报告不需要）",
        setup_advice.LIBREOFFICE.here(),
        needed=False,
    )
