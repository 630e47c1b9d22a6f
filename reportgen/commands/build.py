"""`reportgen build`: validate, then write the documents."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.commands.common import handled, parse_formats, parse_kinds, template_option

if TYPE_CHECKING:
    from reportgen import batch


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="输出文件夹（默认与 YAML 相同）"
)
@click.option(
    "-f", "--format", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔：docx,pdf,html"
)
@click.option(
    "-k", "--kind", default=None, help="文书：报告、自评表（report、table），逗号分隔；默认按 YAML 的「文书」或模板"
)
@template_option
@click.option("--strict", is_flag=True, help="有警告也视为失败")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1, max=64),
    default=None,
    help="同时生成几个文件（默认：多个文件时每个处理器核一个）",
)
@click.option(
    "--bundle/--no-bundle",
    default=None,
    help="另把报告和自评表合订为一个 PDF（「文件名-合订.pdf」，页码连续）；默认按模板的「合订」设置",
)
@click.option(
    "--embed-source/--no-embed-source",
    default=None,
    help="在 PDF 中附上 YAML 源文件（默认附上，可用 reportgen extract 取出；模板可设「嵌入源文件: false」）",
)
@click.option(
    "--no-daemon",
    is_flag=True,
    help="在本进程中生成，不交给常驻的生成进程（默认交给它，第一次生成时启动；结果完全相同）",
)
@handled
def build(
    files: tuple[Path, ...],
    out_dir: Path | None,
    formats: str,
    kind: str | None,
    template_dir: Path | None,
    strict: bool,
    jobs: int | None,
    bundle: bool | None,
    embed_source: bool | None,
    no_daemon: bool,
) -> None:
    """生成 Word 和 PDF（报告与 YAML 同名，自评表加「-自评表」）。多个文件时并行生成，最后汇总。

    PDF 为 PDF/A-3 归档格式，附有生成它的 YAML（reportgen extract 可原样取出，财政局可用
    reportgen collect 汇总）。"""
    from reportgen import batch
    from reportgen.render.pdf import process as pdf_process

    chosen = parse_formats(formats)
    kinds = parse_kinds(kind)
    options = batch.Options(out_dir, chosen, strict, template_dir, kinds, bundle, embed_source)
    clashing = batch.clashes(files, options)
    if clashing:  # before anything is built: nothing written
        from reportgen.errors import ReportgenError

        raise ReportgenError("\n".join(clashing))
    workers = min(jobs or pdf_process.cores(), len(files))
    helper = None
    if len(files) == 1 and "docx" in chosen and pdf_process.usable():
        # loads the PDF engine while this process validates; then writes the PDF, or lays the
        # document out for the space after its tables, while this process builds the Word file
        helper = pdf_process.PdfProcess()
    from reportgen.render.pdf.engine import harfbuzz_subset_available

    if "pdf" in chosen and not harfbuzz_subset_available():
        from reportgen.render.pdf.engine import subset_warning

        click.echo(subset_warning(), err=True)
    try:
        if workers > 1 and pdf_process.usable():
            results = batch.in_parallel(files, options, workers)
        else:
            results = (batch.build_one(file, options, helper) for file in files)
        worst = _report(results, len(files), strict)
    finally:
        if helper is not None:
            helper.close()
    sys.exit(worst)


def _report(results: Iterable[batch.Result], total: int, strict: bool) -> int:
    """Print each file's messages as it finishes (a progress bar on a terminal when there are
    many), then a summary; the worst exit code."""
    worst = built = partly = failed = warned = 0
    many = total > 1
    bar = click.progressbar(length=total, label="生成", file=sys.stderr) if many and sys.stderr.isatty() else None
    if bar is not None:
        bar.__enter__()
    try:
        for result in results:
            for message in result.messages:
                click.echo(message, err=True)
            for path in result.outputs:
                click.echo(f"已生成 {path}")
            worst = max(worst, result.code)
            built += result.code == 0
            partly += result.code != 0 and bool(result.outputs)  # the Word files, without the PDF engine
            failed += result.code != 0 and not result.outputs
            warned += result.warnings
            if bar is not None:
                bar.update(1)
            elif many:
                click.echo(f"[{built + partly + failed}/{total}] {result.source}", err=True)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if many:
        only_word = f"只生成了 Word 文件 {partly} 个，" if partly else ""
        click.echo(f"共 {total} 个文件：生成 {built} 个，{only_word}失败 {failed} 个，警告 {warned} 条", err=True)
    return worst
