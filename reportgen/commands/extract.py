"""`reportgen extract`: the YAML a reportgen PDF carries, written back byte for byte.

It is written where the officer says (-o), else beside the PDF under the PDF's own name: the
name the attachment carries is the PDF maker's choice and only ever shown."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.commands.common import handled


@click.command()
@click.argument("pdf", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="写到哪个文件（默认：PDF 所在文件夹，与 PDF 同名的 .yaml 文件）",
)
@click.option("--force", is_flag=True, help="目标文件已存在且内容不同时也覆盖")
@handled
def extract(pdf: Path, output: Path | None, force: bool) -> None:
    """从 reportgen 生成的 PDF 中取出生成它的 YAML，与原文件逐字节相同。"""
    from reportgen.errors import InputError
    from reportgen.input.embedded import source_in
    from reportgen.output import write_atomically

    embedded = source_in(pdf)
    target = output or pdf.parent / f"{pdf.stem}.yaml"
    if target.resolve() == pdf.resolve():
        raise InputError(f"{target}: 错误: 输出文件会覆盖 PDF 本身，请用 -o 另给文件名")
    if target.is_dir():
        raise InputError(f"{target}: 错误: 这是一个文件夹，请用 -o 给出文件名")
    if target.exists() and not target.is_file():  # a pipe or a device: not read, not replaced
        raise InputError(f"{target}: 错误: 不是普通文件，请用 -o 另给文件名")
    if target.exists() and not force:
        if target.read_bytes() == embedded.data:
            click.echo(f"{target} 已与 PDF 中的 YAML 相同，未改动")
            return
        raise InputError(f"{target}: 错误: 文件已存在且内容不同：请用 -o 另给文件名，或加 --force 覆盖")
    write_atomically(target, embedded.data)
    named = f"；PDF 中的附件名为「{embedded.shown}」" if embedded.shown != target.name else ""
    click.echo(f"已取出 {target}（{len(embedded.data)} 字节{named}）")
    _compare_pages(pdf, target)


def _compare_pages(pdf: Path, target: Path) -> None:
    """Say so when the PDF's pages were not made from the YAML it carries (collect flags it too)."""
    from reportgen.build import document_for
    from reportgen.checks.validate import check
    from reportgen.collect.pages import agreement
    from reportgen.errors import ReportgenError

    try:
        checked = check(target)
        documents = [document_for(checked, kind) for kind in checked.kinds]
    except (ReportgenError, AssertionError):
        return  # a YAML that does not validate: validate says why
    choices = [[d] for d in documents] + ([documents] if len(documents) > 1 else [])
    from reportgen.collect.pages import page_text

    text = page_text(pdf)
    if text is None:
        return  # pages that cannot be read within bounds: nothing to compare
    best = max((agreement(pdf, chosen, text) for chosen in choices), key=lambda a: a.share)
    if not best.agrees:
        shown = "」「".join(m[:24] for m in best.missing[:2])
        click.echo(
            f"{pdf}: 警告: PDF 页面上的文字与所附的 YAML 不符（{best.wanted - best.found} 处页面上没有，"
            f"如「{shown}」）：这份 YAML 可能不是生成这份 PDF 的那一份",
            err=True,
        )
