"""`reportgen collect`: every department's report, gathered into one workbook for the bureau."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from reportgen.commands.common import handled, template_option


@click.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="汇总工作簿（.xlsx）",
)
@template_option
@click.option(
    "--summary",
    type=click.Path(path_type=Path, dir_okay=False),
    help="另写一份可打印的汇总表（.pdf 或 .html）",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="同时处理几个文件（默认每个处理器核一个）",
)
@handled
def collect(
    inputs: tuple[Path, ...], output: Path, template_dir: Path | None, summary: Path | None, jobs: int | None
) -> None:
    """汇总各单位报送的 PDF（取出其中附带的 YAML）和 YAML 文件，写成一个 Excel 工作簿。

    \b
    INPUT 可以是 PDF、YAML 或文件夹（其中的 PDF 和 YAML 都会读入）。每份报告按 --template
    给出的财政局模板重新校验、重新计算；工作簿有三张表：汇总（每个单位一行：预算、执行、
    完成率、基本/项目支出、得分、等级、错误和警告数）、问题（每条错误和警告）、指标（每个
    指标的得分）。无法读取的文件列出原因，不影响其他文件。
    """
    from reportgen.collect import gather, workbook
    from reportgen.collect import summary as printable
    from reportgen.errors import InputError
    from reportgen.output import staged

    if output.suffix.lower() != ".xlsx":
        raise InputError(f"{output}: 错误: 汇总工作簿应以 .xlsx 结尾")
    if summary is not None and summary.suffix.lower() not in (".pdf", ".html", ".htm"):
        raise InputError(f"{summary}: 错误: 汇总表应以 .pdf 或 .html 结尾")
    found = gather.files_in(inputs)
    if not found:
        raise InputError("错误: 给出的文件夹中没有 PDF 或 YAML 文件")
    entries = gather.distinct([gather.read(p) if isinstance(p, Path) else p for p in found])
    records = list(_progress(_records(entries, template_dir, jobs), len(entries)))
    with staged(output) as temp:
        workbook.write(records, temp)
    click.echo(f"已写出 {output}")
    if summary is not None:
        with staged(summary) as temp:
            printable.write(records, temp, as_pdf=summary.suffix.lower() == ".pdf")
        click.echo(f"已写出 {summary}")
    for r in records:
        if not r.readable:  # listed in the workbook's 问题 too
            click.echo(f"{r.entry.shown}: 未汇总：{r.entry.failure}", err=True)
    unread = sum(not r.readable for r in records)
    flawed = sum(r.errors > 0 for r in records)
    click.echo(
        f"共 {len(records)} 份：可读 {len(records) - unread} 份（其中有错误 {flawed} 份），无法读取 {unread} 份",
        err=True,
    )
    sys.exit(0)


def _records(entries: list, template_dir: Path | None, jobs: int | None) -> Iterator:
    """Each entry's record, in the order given; on several cores when there are many."""
    from reportgen.collect.record import record
    from reportgen.render.pdf import process as pdf_process

    workers = min(jobs or pdf_process.cores(), len(entries))
    if workers <= 1 or len(entries) < 8 or not pdf_process.usable():
        for entry in entries:
            yield record(entry, template_dir)
        return
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from reportgen.orphans import die_with_parent

    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, context, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        yield from pool.map(record, entries, [template_dir] * len(entries), chunksize=4)


def _progress(records: Iterator, total: int) -> Iterator:
    if total < 2 or not sys.stderr.isatty():
        yield from records
        return
    with click.progressbar(length=total, label="汇总", file=sys.stderr) as bar:
        for item in records:
            bar.update(1)
            yield item
