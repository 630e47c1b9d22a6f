"""A second process that loads the PDF engine while the first validates, and writes the PDFs
while the first writes the Word files: a single build uses both cores where there are two.
The Word file takes what the PDF's layout settled (render/grid.py: the space after its tables,
where pages cut merged cells), so the helper sends that back as soon as a document is laid out,
before it draws the pages.

Only where `fork` is available and safe (Linux) and more than one core is free; elsewhere the
build writes its files one after the other, to the same bytes.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from contextlib import suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from reportgen.compose.tree import Document
from reportgen.errors import RenderError, ReportgenError
from reportgen.orphans import die_with_parent
from reportgen.page import Layout
from reportgen.render.grid import Settled
from reportgen.render.pdf.engine import EngineMissing

Job = tuple[Document, Layout, Path | None]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def usable() -> bool:
    return sys.platform.startswith("linux") and cores() > 1 and not os.environ.get("REPORTGEN_SERIAL")


class PdfProcess:
    """The helper: started at once, given PDF jobs when the documents are composed."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, self._conn, os.getpid()), daemon=True)
        self._process.start()
        child.close()
        self._pending = False
        self._settled: dict[int, Settled] = {}

    def submit(self, jobs: list[Job]) -> None:
        self._conn.send(jobs)
        self._pending = True
        self._settled = {}

    def settled(self, index: int) -> Settled:
        """What the `index`-th job's document was laid out with, once the helper has laid it out."""
        while index not in self._settled:
            self._receive()
        return self._settled[index]

    def wait(self) -> None:
        """The result of the jobs submitted: nothing, or the error they ended in, raised here."""
        while self._pending:
            self._receive()

    def _receive(self) -> None:
        if not self._pending:
            raise RuntimeError("PDF 进程没有待完成的任务")
        try:
            outcome = self._conn.recv()
        except EOFError as exc:  # the helper died (killed, out of memory)
            self._pending = False
            raise RenderError("生成 PDF 的进程意外退出，PDF 未生成") from exc
        if outcome[0] == "settled":
            self._settled[outcome[1]] = outcome[2]
            return
        self._pending = False
        if outcome[0] == "ok":
            return
        if outcome[0] == "missing":  # no PDF engine in the helper: said as the build says it
            raise EngineMissing(outcome[1], outcome[2])
        if outcome[0] == "error":
            error = ReportgenError(outcome[1])
            error.exit_code = outcome[2]
            raise error
        raise RuntimeError(f"PDF 进程出错：\n{outcome[1]}")

    def abandon(self) -> None:
        """Stop the helper at once (the build was interrupted): it writes nothing more."""
        with suppress(OSError, ValueError):
            self._process.kill()
            self._process.join(timeout=5)
        self._pending = False

    def close(self) -> None:
        with suppress(BrokenPipeError, OSError):
            self._conn.send(None)
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
        self._conn.close()


def _serve(conn: Connection, parents_end: Connection, parent: int) -> None:
    """The helper's loop: load the engine, then write each batch of PDFs it is given.  It ends
    with the parent: killed by the kernel when the parent ends (orphans.py), and, where that
    cannot be asked, at the end of the pipe, whose other end only the parent holds."""
    die_with_parent(parent)
    parents_end.close()  # the fork's copy: kept, the pipe would never end while the helper lives
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the build and cleans up
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        from reportgen.render.pdf import engine, justify
        from reportgen.render.pdf.writer import lay_out, write

        engine.weasyprint()
        justify.install()
    except ReportgenError:
        lay_out = write = None  # type: ignore[assignment]  # the same error is raised again when used
    while True:
        try:
            jobs: Any = conn.recv()
        except EOFError:
            break
        if jobs is None:
            break
        try:
            if lay_out is None or write is None:
                from reportgen.render.pdf.writer import lay_out, write
            for index, (document, layout, path) in enumerate(jobs):
                laid, settled = lay_out(document, layout)
                conn.send(("settled", index, settled))
                if path is not None:  # None: only what the layout settled, for a Word file
                    write(laid, document, path)
            conn.send(("ok",))
        except EngineMissing as exc:
            conn.send(("missing", exc.missing, exc.fix))
        except ReportgenError as exc:
            conn.send(("error", exc.message, exc.exit_code))
        except OSError as exc:  # a full disk, a folder made read-only meanwhile
            conn.send(("error", f"{exc.filename or 'PDF'}: 错误: 无法写入（{exc.strerror or exc}）", 1))
        except Exception:
            conn.send(("bug", traceback.format_exc()))
    conn.close()
    os._exit(0)  # no atexit handlers, no flushing the parent's buffers twice
