"""`reportgen check-layout`: a PDF or Word file measured against GB/T 9704-2012."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen.commands.common import handled


@click.command(name="check-layout")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@handled
def check_layout(files: tuple[Path, ...]) -> None:
    """按 GB/T 9704-2012 检查 PDF 或 Word 文件的版式：逐项列出实测值、要求和是否相符；有不符时退出码 1。"""
    from reportgen.conformance.outcome import render
    from reportgen.input.diagnostics import InputError

    worst = 0
    for file in files:
        if not file.is_file():
            raise InputError(f"{file}: 错误: 文件不存在" if not file.exists() else f"{file}: 错误: 不是文件")
        suffix = file.suffix.lower()
        try:
            if suffix == ".pdf":
                from reportgen.conformance.pdf_rules import check as run
            elif suffix == ".docx":
                from reportgen.conformance.docx_rules import check as run
            else:
                raise InputError(f"{file}: 错误: 只能检查 .pdf 或 .docx 文件")
            outcomes = run(file)
        except InputError:
            raise
        except Exception as exc:  # a damaged or foreign file
            raise InputError(f"{file}: 错误: 无法读取（{type(exc).__name__}: {exc}）") from exc
        click.echo(render(outcomes, str(file)))
        if not all(o.ok for o in outcomes):
            worst = 1
    sys.exit(worst)
