"""Many files built in one call: a worker per core, each keeping the libraries loaded; each file's
outcome as data (the same whether built here or in a worker), one failure never stopping the
others."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from reportgen.console import shown


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


def clashes(files: tuple[Path, ...], options: Options) -> list[str]:
    """One line for each input that would write over another's files: outputs are named after
    the input's stem, so a/r.yaml and b/r.yaml built into one folder both make r.docx, and the
    one built last would silently replace the other.  Names are compared as Windows compares
    them (r and R are one file there); the same file given twice is named as such."""
    seen: dict[tuple[Path, str], Path] = {}
    found: list[str] = []
    for file in files:
        folder = options.out_dir or file.parent
        key = (folder.resolve(), file.stem.casefold())
        first = seen.setdefault(key, file)
        if first is file:
            continue
        if first.resolve() == file.resolve():
            found.append(f"{file}: 错误: 这个文件给了两次，请只写一次")
            continue
        shared = "、".join(str(folder / f"{file.stem}.{fmt}") for fmt in options.formats)
        found.append(
            f"{file}: 错误: 与 {first} 同名，都会生成 {shared}（后生成的会覆盖先生成的）："
            "请给其中一个改名，或分两次生成到不同的文件夹（-o）"
        )
    return found


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


def _warm(parent: int) -> None:
    """A worker ends with the build that started it, and loads its libraries once, before its
    first file."""
    import signal

    from reportgen.orphans import die_with_parent

    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from reportgen.render.pdf import engine, justify

    with suppress(Exception):
        engine.weasyprint()
        justify.install()
    import reportgen.build  # noqa: F401


RECYCLE = 50  # reports a batch worker builds, about, before a fresh one takes over


def in_parallel(files: tuple[Path, ...], options: Options, workers: int) -> Iterator[Result]:
    """A worker per core, each loading the libraries once; results as they come, one failure
    never stopping the others.  After RECYCLE reports each, the workers make way for fresh ones:
    the engine's caches settle above 300 MB, and a fresh process starts near a single build's."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("fork")
    share = RECYCLE * workers
    for start in range(0, len(files), share):
        with ProcessPoolExecutor(workers, context, initializer=_warm, initargs=(os.getpid(),)) as pool:
            futures = {pool.submit(build_one, file, options): file for file in files[start : start + share]}
            for future in as_completed(futures):
                try:
                    yield future.result()
                except Exception as exc:  # a worker that died: that file fails, the others go on
                    file = futures[future]
                    yield Result(file, messages=[f"{file}: 错误: 生成时进程出错（{exc}）"], code=3)
