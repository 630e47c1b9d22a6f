"""One file being edited: the text the page holds (the draft), what validate says of it, the
figures the build would compute, the pages it would print, and the file on disk it saves to.

The draft is checked by the same code as `reportgen validate` and laid out by the same code as
`reportgen build`, in this warm process; saving writes the draft only when it reads, and only
over the file as it was loaded (a change made on disk meanwhile is the officer's to settle).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportgen.diagnostics import Diagnostic
from reportgen.editing.yaml_edit import Change, EditError, apply
from reportgen.errors import InputError, InvalidReport, ReportgenError

KINDS = {"报告": "report", "自评表": "form"}  # the documents, and their names in the page's addresses
RENDER_DELAY = 0.1  # seconds of quiet after a change (the page already waits for a pause in typing)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Pages:
    """The pages last laid out: the PDFs and their page counts; each page's image is drawn when
    the page asks for it (the officer sees the first pages while the others wait)."""

    counts: dict[str, int] = field(default_factory=dict)
    pdfs: dict[str, Path] = field(default_factory=dict)
    version: int = 0
    seconds: float = 0.0
    problem: str = ""  # why the pages shown are not of the latest text
    of_version: int = -1  # the draft version they show


class Session:
    """The draft of one file and everything the page shows of it."""

    def __init__(self, path: Path, template_dir: Path | None = None) -> None:
        from reportgen.importing.into import Text

        self.path = path
        self.template_dir = template_dir
        self.lock = threading.RLock()
        dressed = Text.read(path)
        self.dress = dressed
        self.draft = dressed.body
        self.saved = dressed.body  # the text as last loaded or saved
        self.disk = digest(path.read_bytes())
        self.version = 0
        self.undo: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="reportgen-edit-"))
        self.pages = Pages()
        self._wanted = threading.Event()
        self._closed = threading.Event()
        self._renderer = threading.Thread(target=self._render_loop, daemon=True)
        self._analysis: tuple[int, dict[str, Any]] | None = None
        self._drawn: dict[tuple[int, str, int], bytes] = {}
        self._checked: Any = None

    def start(self) -> None:
        self._renderer.start()
        self._wanted.set()

    def close(self) -> None:
        self._closed.set()
        self._wanted.set()
        if self._renderer.is_alive():
            self._renderer.join(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the draft ------------------------------------------------------------------------------

    def raw(self) -> bytes:
        return self.dress.back(self.draft).encode("utf-8")

    @property
    def dirty(self) -> bool:
        return self.draft != self.saved

    def disk_changed(self) -> bool:
        try:
            return digest(self.path.read_bytes()) != self.disk
        except OSError:
            return True

    def change(self, changes: list[Change]) -> None:
        """The page's changes made to the draft; raises EditError and keeps the draft otherwise."""
        with self.lock:
            text = apply(self.draft, changes)
            self._replace(text)

    def set_text(self, text: str) -> None:
        """The whole text as typed in the source tab (it may not read yet: that is shown, not refused)."""
        with self.lock:
            self._replace(text.replace("\r\n", "\n"))

    def undo_last(self) -> bool:
        with self.lock:
            if not self.undo:
                return False
            self.draft = self.undo.pop()
            self._touched()
            return True

    def _replace(self, text: str) -> None:
        if text == self.draft:
            return
        self.undo.append(self.draft)
        del self.undo[:-200]
        self.draft = text
        self._touched()

    def _touched(self) -> None:
        self.version += 1
        self._wanted.set()

    def reload(self) -> None:
        """The file as it now is on disk; what the page held is dropped (the officer chose so)."""
        from reportgen.importing.into import Text

        with self.lock:
            dressed = Text.read(self.path)
            self.undo.append(self.draft)
            self.dress, self.draft, self.saved = dressed, dressed.body, dressed.body
            self.disk = digest(self.path.read_bytes())
            self._touched()

    def keep_mine(self) -> None:
        """The officer keeps the page's text: the file as it now is on disk becomes the one the
        next save replaces (asked once, not at every look)."""
        with self.lock:
            self.disk = digest(self.path.read_bytes())

    def merge_disk(self) -> str:
        """The change made on disk and the page's own, both kept where they touch different lines
        (as a version control merge does); refused, with nothing changed, where they touch the same."""
        from reportgen.editing.merge import merge3, merge_values
        from reportgen.importing.into import Text
        from reportgen.input.loader import load

        with self.lock:
            theirs = Text.read(self.path)
            merged = merge3(self.saved, self.draft, theirs.body) or merge_values(self.saved, self.draft, theirs.body)
            if merged is None:
                raise EditError("错误: 磁盘上的修改与本页的修改改到了同一处，无法合并：请选择保留哪一边")
            try:
                load(self.path, theirs.back(merged).encode("utf-8"))
            except InputError as exc:
                raise EditError("错误: 两边的修改合在一起后文件无法读取，未合并：请选择保留哪一边") from exc
            self.undo.append(self.draft)
            self.dress, self.saved, self.draft = theirs, theirs.body, merged
            self.disk = digest(self.path.read_bytes())
            self._touched()
            return "已合并：磁盘上的修改和本页的修改都在页面上（尚未保存）"

    def save(self, *, force: bool = False) -> str:
        """Write the draft over the file: only a draft that reads, and only over the file as it was
        loaded unless `force`.  Returns what to tell the officer."""
        from reportgen.input.loader import load
        from reportgen.output import write_atomically

        with self.lock:
            if not self.dirty and not self.disk_changed():
                return "没有要保存的修改"
            if self.disk_changed() and not force:
                raise EditError("错误: 文件在别处被修改过：请选择「载入磁盘上的版本」或「仍然保存」")
            data = self.raw()
            try:
                load(self.path, data)
            except InputError as exc:
                raise EditError(f"未保存：源文件有语法错误，改正后再保存（{exc.message.split(': ', 1)[-1]}）") from exc
            write_atomically(self.path, data)
            if self.path.read_bytes() != data:
                raise EditError("错误: 保存后读回的内容与页面上的不同，请检查磁盘空间和权限")
            self.saved = self.draft
            self.disk = digest(data)
            return f"已保存 {self.path}"

    # -- what the page shows --------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """Everything the page shows of the draft: its data, messages, computed figures, outline."""
        with self.lock:
            version, raw, draft = self.version, self.raw(), self.draft
            cached = self._analysis
        if cached is None or cached[0] != version:
            analysis = self._analyse(raw)
            with self.lock:
                self._analysis = (version, analysis)
        else:
            analysis = cached[1]
        pages = self.pages
        return {
            **analysis,
            "version": version,
            "text": draft,
            "dirty": self.dirty,
            "diskChanged": self.disk_changed(),
            "file": str(self.path),
            "pages": {KINDS[k]: n for k, n in pages.counts.items() if k in KINDS},
            "pagesVersion": pages.version,
            "pagesOf": pages.of_version,
            "pagesSeconds": round(pages.seconds, 2),
            "pagesProblem": pages.problem,
            "canUndo": bool(self.undo),
        }

    def _analyse(self, raw: bytes) -> dict[str, Any]:
        from reportgen.checks.validate import check
        from reportgen.editing.figures import derived, plain

        started = time.perf_counter()
        try:
            checked = check(self.path, template_dir=self.template_dir, raw=raw)
        except InputError as exc:
            return {"readable": False, "problem": exc.message, "diagnostics": _unreadable(exc.message)}
        with self.lock:
            self._checked = checked
        template = checked.template
        return {
            "readable": True,
            "data": plain(checked.loaded.data),
            "positions": [[list(p), line] for p, (line, _col) in checked.loaded.key_positions.items()],
            "diagnostics": [_diagnostic(d) for d in checked.diagnostics],
            "derived": derived(checked),
            "outline": {part: sections for part, sections in (template.settings.大纲.items() if template else [])},
            "template": template.name if template else None,
            "kinds": list(checked.kinds),
            "formNeeds": list(template.settings.自评表.必填) if template else [],
            "checkSeconds": round(time.perf_counter() - started, 3),
        }

    def checked(self) -> Any:
        with self.lock:
            return self._checked

    # -- the pages ------------------------------------------------------------------------------

    def _render_loop(self) -> None:
        while not self._closed.is_set():
            self._wanted.wait()
            if self._closed.is_set():
                return
            time.sleep(RENDER_DELAY)  # the officer may still be typing: lay out once they pause
            self._wanted.clear()
            with self.lock:
                version, raw = self.version, self.raw()
            self._render(version, raw)

    def _render(self, version: int, raw: bytes) -> None:
        from reportgen.build import build

        started = time.perf_counter()
        problem = ""
        counts: dict[str, int] = {}
        pdfs: dict[str, Path] = {}
        try:
            folder = self.folder / f"v{version}"
            built = build(
                self.path, folder, ("pdf",), template_dir=self.template_dir, embed_source=False, raw=raw, draft=True
            )
            for output in built.outputs:
                kind = "自评表" if output.stem.endswith("-自评表") else "报告"
                pdfs[kind] = output
                counts[kind] = page_count(output)
        except InvalidReport as exc:
            errors = sum(d.level.value == "错误" for d in exc.diagnostics)
            problem = f"有 {errors} 个错误使页面无法排出，显示的是上一次排出的样子"
        except ReportgenError as exc:
            problem = exc.message
        except Exception as exc:  # the pages are a view: a fault there must not end the editing
            problem = f"生成页面时出错（{type(exc).__name__}）：请用 reportgen build 查看"
        seconds = time.perf_counter() - started
        with self.lock:
            old = self.pages
            if counts:
                self.pages = Pages(counts, pdfs, old.version + 1, seconds, "", version)
                self._drawn.clear()
                for stale in self.folder.glob("v*"):
                    if stale.name != f"v{version}":
                        shutil.rmtree(stale, ignore_errors=True)
            else:
                self.pages = Pages(old.counts, old.pdfs, old.version + 1, seconds, problem, old.of_version)

    def wait_pages(self, version: int, timeout: float = 60) -> bool:
        """Wait until the pages show draft `version` (or later), for tests and the build button."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.pages.of_version >= version or (self.pages.problem and self.pages.version):
                return True
            time.sleep(0.05)
        return False

    def page_image(self, kind: str, number: int) -> bytes | None:
        """The page drawn as PNG (once per layout: kept until the next)."""
        with self.lock:
            pages = self.pages
            known = self._drawn.get((pages.version, kind, number))
        if known is not None:
            return known
        pdf = pages.pdfs.get(kind)
        if pdf is None or not 1 <= number <= pages.counts.get(kind, 0):
            return None
        try:
            image = png_page(pdf, number)
        except OSError:  # the layout was replaced (its folder removed) meanwhile: the page asks again
            return None
        with self.lock:
            if self.pages.version == pages.version:
                self._drawn[(pages.version, kind, number)] = image
        return image

    # -- building the files ---------------------------------------------------------------------

    def build(self) -> dict[str, Any]:
        """Save, then write the Word and PDF files exactly as `reportgen build` does."""
        from reportgen.build import build

        message = self.save() if self.dirty else ""
        try:
            built = build(self.path, None, ("docx", "pdf"), template_dir=self.template_dir)
        except InvalidReport as exc:
            errors = [d for d in exc.diagnostics if d.level.value == "错误"]
            named = "；".join(f"第 {d.line} 行{_where(d)}{d.message}" for d in errors[:3])
            more = f"等 {len(errors)} 个错误" if len(errors) > 3 else ""
            return {"ok": False, "message": f"未生成：{named}{more}（见「问题」）", "saved": message}
        except ReportgenError as exc:
            return {"ok": False, "message": exc.message, "saved": message}
        return {
            "ok": True,
            "outputs": [str(p) for p in built.outputs],
            "failures": built.failures,
            "message": "已生成：" + "、".join(str(p) for p in built.outputs),
            "saved": message,
        }


def _where(d: Diagnostic) -> str:
    return "［" + " › ".join(str(step) for step in d.path) + "］" if d.path else "："


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    return {
        "level": "error" if d.level.value == "错误" else "warning",
        "line": d.line,
        "column": d.column,
        "path": [step for step in d.path],
        "message": d.message,
        "text": d.format(),
    }


def _unreadable(message: str) -> list[dict[str, Any]]:
    """A file that does not read: each of its lines (file:line:col: 错误: …) as a message."""
    import re

    found: list[dict[str, Any]] = []
    for line in message.splitlines():
        where = re.match(r"^.*?:(\d+):(\d+): 错误: (.*)$", line)
        found.append(
            {
                "level": "error",
                "line": int(where.group(1)) if where else 1,
                "column": int(where.group(2)) if where else 1,
                "path": [],
                "message": where.group(3) if where else line,
                "text": line,
            }
        )
    return found


PDFIUM = threading.Lock()  # the PDF library serves one thread at a time (pages drawn, text read)


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    with PDFIUM:
        document = pdfium.PdfDocument(str(pdf))
        try:
            return len(document)
        finally:
            document.close()


def png_page(pdf: Path, number: int, dpi: int = 80) -> bytes:
    import io

    import pypdfium2 as pdfium

    with PDFIUM:
        try:
            document = pdfium.PdfDocument(str(pdf))
        except pdfium.PdfiumError as exc:
            raise OSError(str(exc)) from exc
        try:
            image = document[number - 1].render(scale=dpi / 72).to_pil()
        finally:
            document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def located(session: Session, kind: str, number: int, x: float, y: float) -> dict[str, Any]:
    """The input a point on a page came from: the field's path and the line in the file."""
    from reportgen.editing.locate import find_source, text_around

    pdf = session.pages.pdfs.get(kind)
    checked = session.checked()
    if pdf is None or checked is None:
        return {"path": None, "message": "页面尚未生成"}
    with PDFIUM:
        around = text_around(pdf, number, x, y)
    if around is None:
        return {"path": None, "message": "这里没有文字"}
    path = find_source(checked.loaded.data, *around)
    if path is None:
        return {"path": None, "message": "这段文字由模板生成（如按数字写成的句子、表头），没有对应的一处输入"}
    line, column = checked.loaded.position(path, key=True)
    return {"path": list(path), "line": line, "column": column}
