"""`reportgen validate`: every problem of a file, with its line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen.commands.common import handled, parse_kinds, template_option
from reportgen.console import shown


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="把警告也当作错误（退出码 1）")
@click.option("-k", "--kind", default=None, help="按哪种文书检查必填项：报告、自评表")
@template_option
@handled
def validate(files: tuple[Path, ...], strict: bool, kind: str | None, template_dir: Path | None) -> None:
    """检查 YAML：类型、必填项、未知键、加总与比率。有错误时退出码 1，文件无法读取时 2。"""
    from reportgen.checks.validate import check
    from reportgen.errors import InputError

    worst = 0
    for file in files:
        try:
            checked = check(file, template_dir=template_dir, kinds=parse_kinds(kind))
        except InputError as exc:
            click.echo(exc.message, err=True)
            worst = max(worst, exc.exit_code)
            continue
        for line in shown([d.format() for d in checked.diagnostics]):
            click.echo(line)
        errors, warnings = len(checked.errors), len(checked.warnings)
        failed = errors > 0 or (strict and warnings > 0)
        summary = "通过" if not failed else "未通过"
        click.echo(f"{file}: {summary}（{errors} 个错误，{warnings} 个警告）")
        if failed:
            worst = max(worst, 1)
    sys.exit(worst)
