"""A warm process while the officer writes: the libraries loaded once, the file validated and the
documents rewritten on every save (`reportgen watch`), and a page on 127.0.0.1 that shows the
pages and the messages and refreshes itself (`reportgen preview`)."""

from __future__ import annotations

import html
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.diagnostics import Diagnostic
from reportgen.errors import InputError, InvalidReport, ReportgenError

DEBOUNCE_MS = 150
TICK_MS = 400  # how often the watch looks at the file when no event came


@dataclass
class Outcome:
    """What one rebuild found and wrote."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    failure: str = ""  # a message when nothing could be written (unreadable file, errors, a broken template)
    seconds: float = 0.0

    @property
    def lines(self) -> list[str]:
        return [d.format() for d in self.diagnostics] + ([self.failure] if self.failure else [])


class Rebuilder:
    """Validates and builds one file again and again in the same process, the PDF engine (and,
    with two cores, the helper that writes PDFs beside the Word files) loaded once."""

    def __init__(
        self,
        source: Path,
        out_dir: Path | None,
        formats: tuple[str, ...],
        template_dir: Path | None = None,
        kinds: tuple[str, ...] | None = None,
    ) -> None:
        from reportgen.render.pdf import process as pdf_process

        self.source, self.out_dir, self.formats = source, out_dir, formats
        self.template_dir, self.kinds = template_dir, kinds
        self.helper = pdf_process.PdfProcess() if "docx" in formats and pdf_process.usable() else None
        self.lock = threading.Lock()
        self.stamp: tuple[tuple[str, int, int], ...] = ()

    def rebuild(self) -> Outcome:
        from reportgen.build import build

        started = time.perf_counter()
        outcome = Outcome()
        with self.lock:
            self.stamp = stamp([self.source.resolve()])  # what this build reads; a save after it is seen
            try:
                built = build(
                    self.source,
                    self.out_dir,
                    self.formats,
                    template_dir=self.template_dir,
                    kinds=self.kinds,
                    pdf_helper=self.helper,
                )
                outcome.diagnostics, outcome.outputs = list(built.warnings), list(built.outputs)
                outcome.failure = "；".join(built.failures)
            except InvalidReport as exc:
                errors = sum(d.level.value == "错误" for d in exc.diagnostics)
                outcome.diagnostics = list(exc.diagnostics)
                outcome.failure = f"{self.source}: 未生成：有 {errors} 个错误"
            except ReportgenError as exc:
                outcome.failure = exc.message
        outcome.seconds = time.perf_counter() - started
        return outcome

    def watched(self) -> list[Path]:
        """The file and, when it names one of its own, its template folder."""
        paths = [self.source.resolve()]
        try:
            from reportgen.checks.validate import check

            template = check(self.source, template_dir=self.template_dir).template
        except (InputError, ReportgenError):
            template = None
        if template is not None:
            from reportgen.template.folders import shipped_root

            paths += [d for d in template.dirs if not d.is_relative_to(shipped_root())]
        return paths

    def close(self) -> None:
        if self.helper is not None:
            self.helper.close()


def stamp(files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    """Each file's modification time and size, to tell whether it was saved since."""
    found = []
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        found.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(found)


def changes(
    paths: Callable[[], list[Path]], stop: threading.Event, built: Callable[[], tuple[Any, ...]] | None = None
) -> Iterator[None]:
    """One item each time a watched file is saved (an editor's burst of writes counted once).
    `built`: the file as the last build read it.  The watch starts first and the file is compared
    with what the build read at its first tick, so a save made while the build ran, or while the
    watch was starting, is seen too, however slow the machine."""
    import watchfiles

    while not stop.is_set():
        watched = paths()
        folders = sorted({p if p.is_dir() else p.parent for p in watched})
        files = {p for p in watched if not p.is_dir()}
        source = [p for p in watched if not p.is_dir()][:1]
        for batch in watchfiles.watch(
            *folders, stop_event=stop, debounce=DEBOUNCE_MS, rust_timeout=TICK_MS, yield_on_timeout=True
        ):
            touched = {Path(p).resolve() for _, p in batch}
            saved = built is not None and bool(built()) and stamp(source) != built()
            if saved or any(t in files or any(t.is_relative_to(d) for d in watched if d.is_dir()) for t in touched):
                yield None
                break  # the template a file names may have changed: watch again


_PAGE_IMAGE = re.compile(r"/page/([1-9][0-9]{0,4})\.png")


class Preview:
    """The page at http://127.0.0.1:PORT/TOKEN/: the rendered pages and the messages, refreshed
    after each save.  It answers only requests to this machine's name with the session's token
    (loopback.py), fetches nothing from elsewhere, and its folder of rendered files is removed
    when it closes."""

    def __init__(self, rebuilder: Rebuilder, port: int = 0) -> None:
        from reportgen.loopback import LoopbackServer

        self.rebuilder = rebuilder
        self.version = 0
        self.outcome = Outcome()
        self.pages: list[bytes] = []
        self.state = threading.Lock()
        self.server = LoopbackServer(port, self._route)  # first: a port in use leaves no folder behind
        self.folder = Path(tempfile.mkdtemp(prefix="reportgen-preview-"))
        self._serving: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.server.url

    def start(self) -> None:
        self._serving = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._serving.start()

    def close(self) -> None:
        """Stop answering and remove the rendered files."""
        if self._serving is not None:
            self.server.shutdown()
        self.server.server_close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def refresh(self) -> Outcome:
        outcome = self.rebuilder.rebuild()
        pages = self.pages
        pdf = next((p for p in outcome.outputs if p.suffix == ".pdf"), None)
        if pdf is not None:
            pages = _png_pages(pdf)
        with self.state:
            self.outcome, self.pages = outcome, pages
            self.version += 1
        return outcome

    def _route(self, path: str) -> tuple[bytes, str] | None:
        """The page, its version (polled by the page to reload itself), or a page's image."""
        with self.state:
            version, outcome, pages = self.version, self.outcome, list(self.pages)
        route = path.split("?", 1)[0]
        if route == "/version":
            return str(version).encode(), "text/plain; charset=utf-8"
        if route == "/":
            return _page(self.rebuilder.source, version, outcome, len(pages)).encode(), "text/html; charset=utf-8"
        image = _PAGE_IMAGE.fullmatch(route)
        if image is not None and int(image.group(1)) <= len(pages):
            return pages[int(image.group(1)) - 1], "image/png"
        return None


def _png_pages(pdf: Path) -> list[bytes]:
    from reportgen.editing.session import page_count, png_page

    return [png_page(pdf, number) for number in range(1, page_count(pdf) + 1)]


def _page(source: Path, version: int, outcome: Outcome, pages: int) -> str:
    errors = [d for d in outcome.diagnostics if d.level.value == "错误"]
    items = "".join(
        f'<li class="{"error" if d.level.value == "错误" else "warning"}">{html.escape(d.format())}</li>'
        for d in outcome.diagnostics
    )
    if outcome.failure:
        items += f'<li class="error">{html.escape(outcome.failure)}</li>'
    status = f"未生成：{len(errors)} 个错误" if outcome.failure else f"已更新（{outcome.seconds:.2f} 秒），{pages} 页"
    images = "".join(f'<img alt="第 {n} 页" src="page/{n}.png?v={version}">' for n in range(1, pages + 1))
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>预览 {html.escape(source.name)}</title>
<style>
body {{ font-family: sans-serif; margin: 0; background: #eee; }}
header {{ position: sticky; top: 0; background: #fff; padding: .5em 1em; border-bottom: 1px solid #ccc; }}
ul {{ margin: .3em 0; padding-left: 1.2em; }} .error {{ color: #b00; }} .warning {{ color: #a60; }}
main {{ display: flex; flex-direction: column; align-items: center; gap: 1em; padding: 1em; }}
img {{ background: #fff; box-shadow: 0 1px 4px #999; }}
</style></head>
<body data-version="{version}">
<header><strong>{html.escape(str(source))}</strong> <span id="status">{html.escape(status)}</span>
<ul id="messages">{items}</ul></header>
<main>{images}</main>
<script>
const shown = {version};
setInterval(async () => {{
  try {{
    const now = await (await fetch('version', {{cache: 'no-store'}})).text();
    if (Number(now) !== shown) location.reload();
  }} catch (e) {{}}
}}, 700);
</script>
</body></html>
"""
