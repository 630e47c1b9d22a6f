"""`reportgen build`: validate, then write the documents."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import click

from reportgen.commands.common import handled, parse_formats, parse_kinds, shown, template_option


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
) -> None:
    """生成 Word 和 PDF（报告与 YAML 同名，自评表加「-自评表」）。多个文件时并行生成，最后汇总。

    PDF 为 PDF/A-3 归档格式，附有生成它的 YAML（reportgen extract 可原样取出，财政局可用
    reportgen collect 汇总）。"""
    from reportgen.render.pdf import process as pdf_process

    chosen = parse_formats(formats)
    kinds = parse_kinds(kind)
    options = Options(out_dir, chosen, strict, template_dir, kinds, bundle, embed_source)
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
            results = _in_parallel(files, options, workers)
        else:
            results = (build_one(file, options, helper) for file in files)
        worst = _report(results, len(files), strict)
    finally:
        if helper is not None:
            helper.close()
    sys.exit(worst)


@dataclass(frozen=True)
class Options:
    out_dir: Path | None
    formats: tuple[str, ...]
    strict: bool
    template_dir: Path | None
    kinds: tuple[str, ...] | None
    bundle: bool | None = None
    embed_source: bool | None = None


@dataclass
class Result:
    source: Path
    outputs: list[Path] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # warnings, or the errors that stopped it
    code: int = 0
    warnings: int = 0


def build_one(file: Path, options: Options, helper: object = None) -> Result:
    """One file built, its outcome as data: the same whether in this process or a worker."""
    from reportgen.build import build as run_build
    from reportgen.errors import InvalidReport, ReportgenError

    try:
        built = run_build(
            file,
            options.out_dir,
            options.formats,
            strict=options.strict,
            template_dir=options.template_dir,
            kinds=options.kinds,
            pdf_helper=helper,  # type: ignore[arg-type]
            embed_source=options.embed_source,
            bundle=options.bundle,
        )
    except InvalidReport as exc:
        errors = sum(d.level.value == "错误" for d in exc.diagnostics)
        note = "（--strict：警告也算）" if options.strict else ""
        messages = [*shown([d.format() for d in exc.diagnostics]), f"{file}: 未生成：有 {errors} 个错误{note}"]
        return Result(file, messages=messages, code=exc.exit_code)
    except ReportgenError as exc:
        return Result(file, messages=[exc.message], code=exc.exit_code)
    warnings = [d.format() for d in built.warnings]
    return Result(file, built.outputs, [*shown(warnings), *built.failures], 1 if built.failures else 0, len(warnings))


def _warm() -> None:
    """A worker loads its libraries once, before its first file."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reportgen.render.pdf import engine, justify

    with suppress(Exception):
        engine.weasyprint()
        justify.install()
    import reportgen.build  # noqa: F401


RECYCLE = 50  # reports a batch worker builds, about, before a fresh one takes over


def _in_parallel(files: tuple[Path, ...], options: Options, workers: int) -> Iterator[Result]:
    """A worker per core, each loading the libraries once; results as they come, one failure
    never stopping the others.  After RECYCLE reports each, the workers make way for fresh ones:
    the engine's caches settle above 300 MB, and a fresh process starts near a single build's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    share = RECYCLE * workers
    for start in range(0, len(files), share):
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm) as pool:
            futures = {pool.submit(build_one, file, options): file for file in files[start : start + share]}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # a worker that died: that file fails, the others go on
                    file = futures[future]
                    yield Result(file, messages=[f"{file}: 错误: 生成时进程出错（{exc}）"], code=3)


def _report(results: Iterable[Result], total: int, strict: bool) -> int:
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
