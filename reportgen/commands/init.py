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
@click.option(
    "--from",
    "last",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="从去年的 YAML 生成今年的：沿用单位、大纲、目标和指标，去年的数字填入「上年」",
)
@handled
def init(file: Path, template: str | None, department: str | None, year: int | None, last: Path | None) -> None:
    """按区模板的大纲生成带注释的新 YAML（不会覆盖已有文件）；--from 去年的.yaml 则从去年的文件生成。"""
    from reportgen.compose.starter import write
    from reportgen.template import folders as templates

    if last is not None:
        from reportgen.errors import InputError
        from reportgen.importing.next_year import next_year
        from reportgen.input.yaml_writer import reads_back
        from reportgen.output import write_atomically

        if file.exists():
            raise InputError(f"{file}: 错误: 文件已存在，不会覆盖")
        write_atomically(file, next_year(last).encode("utf-8"), verify=reads_back)
        hint = f"填写今年的数字和正文后运行：reportgen validate {_shell(file)}"
        click.echo(f"已生成 {file}（由 {last.name} 生成）。{hint}")
        return

    chosen = templates.resolve(template, relative_to=Path.cwd()) if template else templates.resolve(None)
    write(file, chosen, department, year)
    click.echo(f"已生成 {file}（{chosen.name}模板）。填写数字和正文后运行：reportgen validate {_shell(file)}")


def _shell(path: Path) -> str:
    """The file as it can be pasted into a shell: in quotes when its name has a space."""
    text = str(path)
    return f'"{text}"' if any(c.isspace() for c in text) else text
