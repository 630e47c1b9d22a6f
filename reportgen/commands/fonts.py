"""`reportgen fonts`: which font each part of the PDF uses, and why."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.commands.common import handled, template_option


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@template_option
@handled
def fonts(file: Path | None, template_dir: Path | None) -> None:
    """说明 PDF 各部分用哪种字体：文件位置、是官方字体还是替代字体；给出 YAML 时列出需要后备字体或无字可用的字符。"""
    from reportgen.build import document_for, layout_for
    from reportgen.checks.validate import check, require
    from reportgen.render import fonts as fontlib
    from reportgen.render.layout import Layout
    from reportgen.render.pdf_writer import resolve_roles, text_by_role

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
    for role, resolved in roles.items():
        spec = resolved.role
        click.echo(f"{role}：Word 写作「{spec.word_name}」")
        if not resolved.chain:
            click.echo(f"    PDF：没有可用字体（需要 {'、'.join(spec.official + spec.substitutes)} 之一）")
            continue
        first = resolved.chain[0]
        kind = "官方字体" if resolved.official_installed else "替代字体（未安装官方字体）"
        click.echo(f"    PDF：{first.family}{'（粗体）' if resolved.bold else ''}，{kind}，{first.file}")
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
    if not fontlib.harfbuzz_subset_available():
        click.echo("警告: 未安装 libharfbuzz-subset0，生成 PDF 会慢 10–30 倍（运行 scripts/setup.sh 安装）", err=True)
