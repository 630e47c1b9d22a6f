"""`reportgen init`: a commented starter file in a district's outline."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.commands.common import handled


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-t", "--template", "template", default=None, help="区模板名（如 荔湾）或模板文件夹；默认通用模板")
@click.option("--name", "department", default=None, help="部门全称")
@click.option("--year", type=int, default=None, help="被评价年度（默认去年）")
@handled
def init(file: Path, template: str | None, department: str | None, year: int | None) -> None:
    """按区模板的大纲生成带注释的新 YAML（不会覆盖已有文件）。"""
    from reportgen.compose import templates
    from reportgen.compose.starter import write

    chosen = templates.resolve(template, relative_to=Path.cwd()) if template else templates.resolve(None)
    write(file, chosen, department, year)
    click.echo(f"已生成 {file}（{chosen.name}模板）。填写数字和正文后运行：reportgen validate {file}")
