"""`reportgen import`: last year's report, or this year's 决算 tables, into a YAML in the format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from reportgen.commands.common import handled

WORKBOOK_SUFFIXES = (".xls", ".xlsx", ".xlsm", ".ods")


@click.command(name="import")
@click.argument("source", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="写出的 YAML（默认与原文件同名，扩展名 .yaml）",
)
@click.option("--template", "template_name", help="区模板名（如 荔湾）或模板文件夹：按它的大纲给各部分命名")
@click.option(
    "--into",
    type=click.Path(path_type=Path, dir_okay=False),
    help="决算表：把数字填入这个已有的 YAML（保留其中的注释和其他内容）",
)
@click.option("--from-text", is_flag=True, help="PDF 附有 YAML 源文件时也按正文文字导入（默认直接取出附带的 YAML）")
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖；--into 时工作簿的编制单位与 YAML 不同也照样填入")
@handled
def import_(
    source: Path, output: Path | None, template_name: str | None, into: Path | None, from_text: bool, force: bool
) -> None:
    """把去年的报告（.docx、.pdf、.txt）或今年的部门决算表（.xls、.xlsx）变成 YAML。

    \b
    报告：按标题读出部门和年度，按一、（一）等标题分出各部分，收支数字填入对应的键；
    拿不准的地方在 YAML 中加「请核对」注释，并在这里列出行号。
    决算表：读出收入支出决算总表等表中的数字（元换算为万元），写成「部门整体收支情况」；
    用 --into 填入已有的 YAML。
    """
    from reportgen.errors import InputError
    from reportgen.input.yaml_writer import reads_back
    from reportgen.output import write_atomically

    check: Callable[[Path], None] | None = reads_back  # what reportgen wrote must read back first
    if source.suffix.lower() in WORKBOOK_SUFFIXES:
        from reportgen.importing.from_workbook import import_workbook

        text, notes, target = import_workbook(source, into, output, force)
        force = force or into is not None
    else:
        if into is not None:
            raise InputError(f"{source}: 错误: --into 只用于决算表（.xls、.xlsx）")
        text, notes, target, attached = _report(source, output, template_name, from_text)
        if attached:  # the PDF's own YAML, taken out as it was: not reportgen's writing to vouch for
            check = None
    if target.exists() and not force:
        raise InputError(f"{target}: 错误: 文件已存在：请用 -o 另给文件名，或加 --force 覆盖")
    if target.resolve() == source.resolve():
        raise InputError(f"{target}: 错误: 输出文件会覆盖原文件，请用 -o 另给文件名")
    write_atomically(target, text.encode("utf-8"), verify=check)
    click.echo(f"已写出 {target}")
    if "$schema=" in text.split("\n", 1)[0]:
        from reportgen.compose.starter import schema_beside

        schema_beside(target)  # the editor line names the schema beside the file
    for line, message in notes:
        click.echo(f"{target}:{line}: 请核对: {message}", err=True)
    _validate(target)


def _report(
    source: Path, output: Path | None, template_name: str | None, from_text: bool
) -> tuple[str, list[tuple[int, str]], Path, bool]:
    """The YAML for a report: (text, notes, where it goes, whether it is the PDF's attached YAML)."""
    from reportgen.importing.report import import_report
    from reportgen.template import folders as templates

    target = output or source.with_suffix(".yaml")
    if source.suffix.lower() == ".pdf" and not from_text:
        from reportgen.errors import ReportgenError
        from reportgen.input.embedded import source_in

        try:
            embedded = source_in(source)
        except ReportgenError:
            embedded = None
        if embedded is not None:
            click.echo(f"{source} 附有生成它的 YAML，直接取出（要按正文文字导入，加 --from-text）", err=True)
            return embedded.data.decode("utf-8", errors="replace"), [], target, True
    folder = (
        Path(template_name)
        if template_name and ("/" in template_name or "\\" in template_name or Path(template_name).is_dir())
        else None
    )
    template = templates.resolve(None if folder else template_name, extra_dir=folder)
    imported = import_report(source, template, template_name if folder is None else None, folder)
    return imported.text, imported.notes, target, False


def _validate(target: Path) -> None:
    """What validate says of the result, in a line; the officer runs validate for the details."""
    from reportgen.checks.validate import check

    checked = check(target)
    errors, warnings = len(checked.errors), len(checked.warnings)
    verdict = "可以直接生成" if not errors else "请先改正错误再生成"
    click.echo(f"校验：{errors} 个错误，{warnings} 个警告（reportgen validate {target} 查看详情）；{verdict}", err=True)
