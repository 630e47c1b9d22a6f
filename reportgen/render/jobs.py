"""Writing one build's files from their documents: the PDFs first (here, or in the helper process
on the other core), then the Word files and the HTML, which take from the PDF's layout the space
that puts the text after a table back on the line grid and the rows where a page cuts a merged
cell (render/grid.py).

Where the PDF engine cannot load, the other files are still written and the engine's absence is
returned, for the build to say what to install.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportgen.compose.tree import Document
from reportgen.errors import RenderError
from reportgen.output import unwritable
from reportgen.page import Layout
from reportgen.render import grid
from reportgen.render.grid import UNSETTLED, Settled
from reportgen.render.pdf.engine import EngineMissing
from reportgen.render.pdf.process import Job as PdfJob
from reportgen.render.pdf.process import PdfProcess

FORMATS = ("docx", "pdf", "html")


@dataclass(frozen=True)
class Job:
    document: Document
    fmt: str
    target: Path  # the file it becomes (for messages)
    temp: Path  # where it is written


def turned(layout: Layout, document: Document) -> Layout:
    """A document set across the sheet (a wide 自评表) takes the landscape page."""
    return layout.landscape() if document.landscape else layout


class Rendering:
    """One build's files written; what each document was laid out with, shared by its Word file
    and its HTML."""

    def __init__(self, layout: Layout, helper: PdfProcess | None) -> None:
        self.layout = layout
        self.helper = helper
        self.settled: dict[int, Settled] = {}  # per document (by id)
        self.missing: EngineMissing | None = None  # no PDF engine here: the other files are still written
        self.pdf_jobs: list[PdfJob] = []

    def run(self, jobs: list[Job]) -> EngineMissing | None:
        """Write every job; the PDF engine's absence, or None when every file was written."""
        self.pdf_jobs = [
            (job.document, turned(self.layout, job.document), job.temp) for job in jobs if job.fmt == "pdf"
        ]
        if self.helper is not None and not self.pdf_jobs:  # a Word file alone: the helper lays it out
            distinct = list({id(job.document): job.document for job in jobs}.values())
            self.pdf_jobs = [(doc, turned(self.layout, doc), None) for doc in distinct if grid.needs_layout(doc)]
        if not self.pdf_jobs:
            self.helper = None
        if self.helper is not None:
            self.helper.submit(self.pdf_jobs)
        for job in sorted(jobs, key=lambda job: job.fmt != "pdf"):  # PDFs first: the others take their space
            if job.fmt == "pdf" and (self.helper is not None or self.missing is not None):
                continue
            self._write(job)
        if self.helper is not None:
            try:
                self.helper.wait()
            except EngineMissing as exc:
                self.missing = exc
        return self.missing

    def _write(self, job: Job) -> None:
        layout = turned(self.layout, job.document)
        absent = self.missing is not None

        def settled() -> Settled:
            """Asked for by the Word writer once it has built the rest (the layout meanwhile going
            on in the helper), and at once for the HTML."""
            if id(job.document) not in self.settled:
                self.settled[id(job.document)] = UNSETTLED if absent else self._layout(job.document, layout)
            return self.settled[id(job.document)]

        try:
            got = write(job.fmt, job.document, layout, job.temp, settled)
        except EngineMissing as exc:
            self.missing = exc
            if job.fmt == "pdf":
                return
            got = write(job.fmt, job.document, layout, job.temp, lambda: UNSETTLED)
        except OSError as exc:  # a full disk, a read-only folder
            raise unwritable(job.target, exc) from exc
        if got is not None:
            self.settled[id(job.document)] = got

    def _layout(self, document: Document, layout: Layout) -> Settled:
        """What the PDF's layout settled: from the PDF being written (here, or by the helper), else
        from a layout of its own; nothing where the PDF engine cannot load, so that a Word file is
        still written.  A document without tables needs no layout: a Word file alone is then
        written without loading the PDF engine."""
        if not grid.needs_layout(document):
            return UNSETTLED
        if self.helper is not None:
            index = next(i for i, (doc, _, _) in enumerate(self.pdf_jobs) if doc is document)
            try:
                return self.helper.settled(index)
            except EngineMissing:
                if self.pdf_jobs[index][2] is not None:
                    raise
                return UNSETTLED  # laid out for a Word file alone, which is written without it
        from reportgen.render.pdf import engine

        if not engine.available():
            return UNSETTLED
        from reportgen.render.pdf.writer import lay_out

        return lay_out(document, layout)[1]


def write(fmt: str, document: Document, layout: Layout, path: Path, settled: Callable[[], Settled]) -> Settled | None:
    """Write one file; a PDF returns what it was laid out with."""
    if fmt == "docx":
        from reportgen.render.word.writer import render

        render(document, layout, path, settled)
    elif fmt == "pdf":
        from reportgen.render.pdf.writer import render as render_pdf

        return render_pdf(document, layout, path)
    elif fmt == "html":
        from reportgen.render.pdf.html import render as render_html

        path.write_text(render_html(document, layout, settled=settled()), encoding="utf-8")
    else:
        raise RenderError(f"不支持的输出格式「{fmt}」，可选：{'、'.join(FORMATS)}")
    return None
