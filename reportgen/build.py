"""load → validate → derive → compose → render, writing each output atomically."""

from __future__ import annotations

import glob
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.checks.validate import Checked, check, require
from reportgen.compose import tree
from reportgen.compose.composer import compose
from reportgen.compose.tree import Document, Source
from reportgen.diagnostics import Diagnostic
from reportgen.errors import RenderError
from reportgen.page import Layout
from reportgen.render import grid
from reportgen.render.grid import Pads
from reportgen.render.pdf.engine import EngineMissing
from reportgen.render.pdf.process import PdfProcess

FORMATS = ("docx", "pdf", "html")
BUNDLED = ("报告", "自评表")  # a bundle's documents, in order
BUNDLE_SUFFIX = "合订"


@dataclass
class Built:
    source: Path
    outputs: list[Path]
    warnings: list[Diagnostic]
    failures: list[str] = field(default_factory=list)  # outputs not written, the others were (no PDF engine)


def layout_for(checked: Checked) -> Layout:
    assert checked.template is not None
    return checked.template.layout


def document_for(checked: Checked, kind: str = "报告") -> Document:
    assert checked.report is not None and checked.template is not None
    return compose(checked.report, checked.template, checked.fmt, kind)


def output_stem(source: Path, kind: str) -> str:
    """report → 文件名.docx; self-evaluation table → 文件名-自评表.docx."""
    return source.stem if kind == "报告" else f"{source.stem}-{kind}"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(target: Path) -> Path:
    """A temporary file beside the target, renamed over it only when writing succeeded.  Its name
    carries this process's id, so that a later build can tell a killed build's leftovers."""
    _remove_stale(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # a full disk, a read-only folder
        raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
    os.close(fd)
    temp = Path(name)
    os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    return temp


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the output folder while a build renames its files into it (POSIX
    systems; elsewhere builds into one folder are not serialised)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A file to write in place of `target`, renamed over it when the block ends without error:
    never half-written; removed otherwise."""
    with _signals_held():
        temp = _stage(target)
    try:
        yield temp
        with _signals_held():
            os.replace(temp, target)
    except OSError as exc:
        raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
    finally:
        temp.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    with staged(target) as temp:
        temp.write_bytes(data)


STALE_SECONDS = 600  # a staged file with no process id is an old build's after this long


def _remove_stale(target: Path) -> None:
    """Staged files of the same output left by a build that was killed (SIGKILL, power loss)."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp"):
        owner = leftover.name[len(target.name) + 2 :].split(".")[0]
        try:
            if owner.isdigit() and POSIX_SIGNALS:
                if int(owner) != os.getpid() and not _alive(int(owner)):
                    leftover.unlink()
            elif owner != str(os.getpid()) and time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            continue  # another build took care of it, or it is not ours to remove


# Whether signal 0 asks about a process: on Windows os.kill ends the process instead, so there a
# leftover is only removed once it is old.
POSIX_SIGNALS = os.name == "posix"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process: leave its files alone
    return True


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold termination signals while the outputs are renamed into place, so that a build is
    stopped before its first rename or after its last, never between the DOCX and the PDF."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def build(
    source: Path,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = ("docx", "pdf"),
    *,
    strict: bool = False,
    template_dir: Path | None = None,
    kinds: tuple[str, ...] | None = None,
    pdf_helper: PdfProcess | None = None,
    embed_source: bool | None = None,
    bundle: bool | None = None,
) -> Built:
    """Validate, compose, and write every document in every format.  With `pdf_helper` (a second
    process already loading the PDF engine), the PDFs are written there while the Word files
    are written here.  `embed_source` (default: the template's 嵌入源文件, else yes) attaches the
    YAML to each PDF; `bundle` (default: the template's 合订) also writes the report and its
    自评表 as one PDF."""
    if bundle and kinds is None:
        kinds = BUNDLED
    checked = check(source, template_dir=template_dir, kinds=kinds)
    require(checked, strict=strict)
    assert checked.template is not None
    settings = checked.template.settings
    documents = {kind: document_for(checked, kind) for kind in checked.kinds}
    if settings.嵌入源文件 if embed_source is None else embed_source:
        for document in documents.values():
            document.source = Source(Path(checked.loaded.file).name, checked.loaded.raw)
    layout = layout_for(checked)
    out_dir = out_dir or source.parent
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"{out_dir}: 错误: 无法创建输出文件夹（{exc.strerror}）") from exc
    jobs = [
        (documents[kind], fmt, out_dir / f"{output_stem(source, kind)}.{fmt}")
        for kind in checked.kinds
        for fmt in formats
    ]
    if (settings.合订 if bundle is None else bundle) and "pdf" in formats:
        if set(checked.kinds) != set(BUNDLED):
            raise RenderError(f"{source}: 错误: 合订需要报告和自评表两种文书（本次只生成 {'、'.join(checked.kinds)}）")
        combined = tree.bundle([documents[kind] for kind in BUNDLED])
        jobs.append((combined, "pdf", out_dir / f"{source.stem}-{BUNDLE_SUFFIX}.pdf"))
    targets = [target for _, _, target in jobs]
    if any(t.resolve() == source.resolve() for t in targets):
        raise RenderError(f"{source}: 错误: 输出文件会覆盖输入文件")
    blocked = [t for t in targets if t.is_dir()]
    if blocked:
        raise RenderError(f"{blocked[0]}: 错误: 无法写入（同名的文件夹已存在）")
    staged: list[tuple[Path, Path]] = []
    try:
        for _, _, target in jobs:
            with _signals_held():  # no signal between a staged file's creation and its record
                staged.append((_stage(target), target))
        pdf_jobs = [
            (doc, _turned(layout, doc), temp)
            for (doc, fmt, _), (temp, _) in zip(jobs, staged, strict=True)
            if fmt == "pdf"
        ]
        if pdf_helper is not None and not pdf_jobs:  # a Word file alone: the helper lays it out
            laid_out = [doc for i, (doc, _, _) in enumerate(jobs) if all(doc is not d for d, _, _ in jobs[:i])]
            pdf_jobs = [(doc, _turned(layout, doc), None) for doc in laid_out if grid.followers(doc)]
        helper = pdf_helper if pdf_jobs else None
        if helper is not None:
            helper.submit(pdf_jobs)
        pads: dict[int, Pads] = {}  # per document (by id): the PDF's grid space, for the Word file
        missing: EngineMissing | None = None  # no PDF engine here: the other files are still written
        # PDFs first: the Word file and the HTML take the PDF's grid space
        in_order = sorted(zip(jobs, staged, strict=True), key=lambda job: job[0][1] != "pdf")
        for (document, fmt, target), (temp, _) in in_order:
            if fmt == "pdf" and (helper is not None or missing is not None):
                continue
            turned = _turned(layout, document)

            def space(document: Document = document, turned: Layout = turned, absent: bool = bool(missing)) -> Pads:
                """Asked for by the Word writer once it has built the rest (the layout meanwhile
                going on in the helper), and at once for the HTML."""
                if id(document) not in pads:
                    pads[id(document)] = {} if absent else _pads(document, turned, helper, pdf_jobs)
                return pads[id(document)]

            try:
                got = _render(fmt, document, turned, temp, space)
            except EngineMissing as exc:
                missing = exc
                if fmt == "pdf":
                    continue
                got = _render(fmt, document, turned, temp, dict)
            except OSError as exc:  # a full disk, a read-only folder
                raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
            if got is not None:
                pads[id(document)] = got
        if helper is not None:
            try:
                helper.wait()
            except EngineMissing as exc:
                missing = exc
        failures: list[str] = []
        if missing is not None:
            failures.append(_without_pdf(missing, jobs, staged))
            kept = [(job, stage) for job, stage in zip(jobs, staged, strict=True) if job[1] != "pdf"]
            if not kept:
                raise RenderError(failures[0])
            jobs, staged = [job for job, _ in kept], [stage for _, stage in kept]
            targets = [target for _, _, target in jobs]
        with _signals_held(), _folder_lock(out_dir):
            # another build into the same folder renames its pair before or after this one's
            for temp, target in staged:
                try:
                    os.replace(temp, target)
                except OSError as exc:
                    raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
    except BaseException as exc:
        with _signals_held():  # a second signal must not cut the cleaning short
            if pdf_helper is not None:
                if isinstance(exc, Exception):
                    with suppress(Exception):
                        pdf_helper.wait()  # the helper must be done with a file before it is removed
                else:  # stopped (a signal, Ctrl-C): so is the helper, before its files are removed
                    pdf_helper.abandon()
            for temp, _ in staged:
                temp.unlink(missing_ok=True)
        raise
    return Built(source, targets, checked.warnings, failures)


def _without_pdf(missing: EngineMissing, jobs: list[Any], staged: list[tuple[Path, Path]]) -> str:
    """The PDFs' staged files removed, and the one line that says why and what to do instead."""
    from reportgen.render.pdf.engine import missing_message

    for (_, fmt, _), (temp, _) in zip(jobs, staged, strict=True):
        if fmt == "pdf":
            temp.unlink(missing_ok=True)
    words = [target.name for (_, fmt, target) in jobs if fmt == "docx"]
    if not words:
        return f"{missing.message}；或生成 Word 文件（-f docx）后用 Word 或 WPS 另存为 PDF"
    return missing_message(missing.missing, missing.fix, "、".join(words))


def _turned(layout: Layout, document: Document) -> Layout:
    """A document set across the sheet (a wide 自评表) takes the landscape page."""
    return layout.landscape() if document.landscape else layout


def _pads(document: Document, layout: Layout, helper: PdfProcess | None, pdf_jobs: list[Any]) -> Pads:
    """The space that puts text after tables on the line grid: from the PDF being written (here,
    or by the helper), else from a layout of its own; none where the PDF engine cannot load,
    so that a Word file is still written.  A document without tables needs no layout: a Word file
    alone is then written without loading the PDF engine."""
    if not grid.followers(document):
        return {}
    if helper is not None:
        index = next(i for i, (doc, _, _) in enumerate(pdf_jobs) if doc is document)
        try:
            return helper.pads(index)
        except EngineMissing:
            if pdf_jobs[index][2] is not None:
                raise
            return {}  # laid out for a Word file alone, which is written without the space
    from reportgen.render.pdf import engine

    if not engine.available():
        return {}
    from reportgen.render.pdf.writer import lay_out

    return lay_out(document, layout)[1]


def _render(fmt: str, document: Document, layout: Layout, path: Path, pads: Callable[[], Pads]) -> Pads | None:
    """Write one file; a PDF returns the grid space it was laid out with."""
    if fmt == "docx":
        from reportgen.render.word.writer import render

        render(document, layout, path, pads)
    elif fmt == "pdf":
        from reportgen.render.pdf.writer import render as render_pdf

        return render_pdf(document, layout, path)
    elif fmt == "html":
        from reportgen.render.pdf.html import render as render_html

        path.write_text(render_html(document, layout, pads=pads()), encoding="utf-8")
    else:
        raise RenderError(f"不支持的输出格式「{fmt}」，可选：{'、'.join(FORMATS)}")
    return None
