"""`reportgen fonts`: which font each part of the PDF uses, and why."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.commands.common import handled, template_option

if TYPE_CHECKING:
    from reportgen.fonts.faces import Discovery, Face


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@template_option
@handled
def fonts(file: Path | None, template_dir: Path | None) -> None:
    """说明 PDF 各部分用哪种字体：文件位置、是官方字体还是替代字体；给出 YAML 时列出需要后备字体或无字可用的字符。"""
    from reportgen.build import document_for, layout_for
    from reportgen.checks.validate import check, require
    from reportgen.fonts import faces as fontlib
    from reportgen.page import Layout
    from reportgen.render.pdf.writer import resolve_roles, text_by_role

    layout = Layout()
    uses: dict[str, str] = {}
    if file is not None:
        checked = check(file, template_dir=template_dir)
        require(checked)
        layout = layout_for(checked)
        for kind in checked.kinds:
            for role, text in text_by_role(document_for(checked, kind)).items():
                uses[role] = uses.get(role, "") + text
    roles = resolve_roles(layout)
    _how_found(fontlib.discovery())
    for role, resolved in roles.items():
        spec = resolved.role
        click.echo(f"{role}：Word 写作「{spec.word_name}」")
        if not resolved.chain:
            click.echo(f"    PDF：没有可用字体（需要 {'、'.join(spec.official + spec.substitutes)} 之一）")
            continue
        first = resolved.chain[0]
        kind = "官方字体" if resolved.official_installed else "替代字体（未安装官方字体）"
        click.echo(f"    PDF：{first.family}{'（粗体）' if resolved.bold else ''}，{kind}，{_where(first)}")
        if len(resolved.chain) > 1:
            click.echo(f"    后备：{'、'.join(f.family for f in resolved.chain[1:])}")
        text = uses.get(role, "")
        fallback: dict[str, list[str]] = {}
        missing: list[str] = []
        for char in sorted(set(text)):
            if char.isspace():
                continue
            face = resolved.face_for(char)
            if face is None:
                missing.append(char)
            elif face is not first:
                fallback.setdefault(face.family, []).append(char)
        for family, chars in fallback.items():
            click.echo(f"    由 {family} 补字：{''.join(chars)}")
        if missing:
            click.echo(f"    无字可用：{'、'.join(f'{c}(U+{ord(c):04X})' for c in missing)}")
    from reportgen.render.pdf.engine import harfbuzz_subset_available

    if not harfbuzz_subset_available():
        from reportgen.render.pdf.engine import subset_warning

        click.echo(subset_warning(), err=True)


def _how_found(found: Discovery) -> None:
    """How the installed fonts were found: fontconfig's list, or the folders read."""
    if found.method == "fontconfig":
        click.echo("字体查找：fontconfig（fc-list）")
    else:
        click.echo("字体查找：扫描字体文件夹（本机没有 fontconfig 的 fc-list）")
    if found.folders:
        click.echo(f"    读取的文件夹：{'、'.join(found.folders)}（{found.files} 个字体文件）")
    for note in found.notes[:5]:
        click.echo(f"    注意：{note}")


def _where(face: Face) -> str:
    """The file, and which face of a collection (.ttc) it is."""
    return f"{face.file}（字体集中的第 {face.index + 1} 个）" if face.index else face.file
