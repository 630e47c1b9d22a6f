"""`reportgen templates`: the templates there are and where they come from."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.commands.common import handled, template_option


@click.command(name="templates")
@template_option
@handled
def list_templates(template_dir: Path | None) -> None:
    """列出可用的模板（内置的区模板，以及 --template 指定的文件夹）及其来源。"""
    from reportgen.template import folders as templates

    entries = [("指定文件夹", templates.resolve(None, extra_dir=template_dir))] if template_dir else []
    entries += [("内置", templates.resolve(folder.name)) for _, folder in templates.available()]
    for origin, found in entries:
        settings = found.settings
        click.echo(f"{found.name:<6}{origin}  {found.dirs[0]}")
        parents = [templates.resolve(d.name).name for d in found.dirs[1:]]
        chain = " → ".join(parents) if parents else "无（其他模板都以它为基础）"
        click.echo(f"      文书：{'、'.join(settings.文书)}；继承：{chain}")
        if found.dirs[0].joinpath("reference.docx").is_file():
            click.echo("      Word 样式：reference.docx")
        if settings.说明:
            click.echo(f"      {settings.说明}")
