"""load → validate → derive → compose → render: one YAML file into its documents, every file of
a build written in one transaction (output.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportgen.checks.validate import Checked, check, require
from reportgen.compose import tree
from reportgen.compose.composer import compose
from reportgen.compose.tree import Document, Source
from reportgen.diagnostics import Diagnostic
from reportgen.errors import RenderError
from reportgen.output import NAME_MAX, Transaction, name_too_long
from reportgen.page import Layout
from reportgen.render.jobs import FORMATS, Job, Rendering
from reportgen.render.pdf.engine import EngineMissing
from reportgen.render.pdf.process import PdfProcess

__all__ = ["FORMATS", "Built", "build", "document_for", "layout_for", "output_stem"]

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
    raw: bytes | None = None,
    draft: bool = False,
) -> Built:
    """Validate, compose, and write every document in every format.  With `pdf_helper` (a second
    process already loading the PDF engine), the PDFs are written there while the Word files
    are written here.  `embed_source` (default: the template's 嵌入源文件) attaches the YAML to
    each PDF; `bundle` (default: the template's 合订) also writes the report and its 自评表 as
    one PDF.  `raw`: the file's text as an editor holds it, built in place of what is on disk;
    `draft`: laid out despite errors wherever the file reads as a report (the editor's pages)."""
    unbundled: list[str] = []  # why a bundle asked for was not made
    if bundle and kinds is None:
        kinds, unbundled = _bundle_kinds(source, template_dir)
        bundle = not unbundled
    checked = check(source, template_dir=template_dir, kinds=kinds, raw=raw)
    if not draft or checked.report is None or checked.template is None:
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
    planned = _plan(source, out_dir, documents, formats, settings.合订 if bundle is None else bundle)
    with Transaction() as outputs:
        jobs = [Job(document, fmt, target, outputs.stage(target)) for document, fmt, target in planned]
        try:
            missing = Rendering(layout, pdf_helper).run(jobs)
        except BaseException as exc:
            _stop(pdf_helper, exc)  # the helper must be done with a file before it is removed
            raise
        failures = [] if missing is None else [_without_pdf(missing, jobs, outputs)]
        outputs.commit()
    written = [job.target for job in jobs if missing is None or job.fmt != "pdf"]
    notices = checked.template.notices if "docx" in formats else []  # what its reference.docx lost
    return Built(source, written, [*checked.warnings, *notices], [*unbundled, *failures])


def _bundle_kinds(source: Path, template_dir: Path | None) -> tuple[tuple[str, ...], list[str]]:
    """The documents of a bundle asked for on the command line: the report and its 自评表.  A file
    that has no report is told so; a report without what its 自评表 needs is still written, and
    told why there is no bundle."""
    declared = check(source, template_dir=template_dir)
    if declared.report is not None and "报告" not in declared.kinds:
        raise RenderError(
            f"{source}: 错误: 合订是报告在前、自评表作附件：本文件只有{'、'.join(declared.kinds)}（「文书」），"
            "没有报告可合订；只要自评表就去掉 --bundle"
        )
    both = check(source, template_dir=template_dir, kinds=BUNDLED)
    needs = [d for d in both.errors if d.rule == "自评表必填"]
    if not needs or declared.errors:
        return BUNDLED, []
    what = "、".join(dict.fromkeys(d.message.removeprefix("自评表需要") for d in needs))
    return declared.kinds, [f"{source}: 未合订：自评表需要{what}，本文件没有；报告照常生成"]


def _plan(
    source: Path, out_dir: Path, documents: dict[str, Document], formats: tuple[str, ...], bundle: bool
) -> list[tuple[Document, str, Path]]:
    """Each file to write: (document, format, target); a bundle's PDF after the others."""
    planned = [
        (document, fmt, out_dir / f"{output_stem(source, kind)}.{fmt}")
        for kind, document in documents.items()
        for fmt in formats
    ]
    if bundle and "pdf" in formats:
        if set(documents) != set(BUNDLED):
            raise RenderError(f"{source}: 错误: 合订需要报告和自评表两种文书（本次只生成 {'、'.join(documents)}）")
        combined = tree.bundle([documents[kind] for kind in BUNDLED])
        planned.append((combined, "pdf", out_dir / f"{source.stem}-{BUNDLE_SUFFIX}.pdf"))
    targets = [target for _, _, target in planned]
    long = [t for t in targets if name_too_long(t)]
    if long:
        raise RenderError(
            f"{source}: 错误: 输出文件名「{long[0].name}」过长（文件系统的一个文件名最多 {NAME_MAX} 字节，"
            f"一个汉字占 3 字节）：请把 YAML 文件改用短一些的名字"
        )
    if any(t.resolve() == source.resolve() for t in targets):
        raise RenderError(f"{source}: 错误: 输出文件会覆盖输入文件")
    blocked = [t for t in targets if t.is_dir()]
    if blocked:
        raise RenderError(f"{blocked[0]}: 错误: 无法写入（同名的文件夹已存在）")
    return planned


def _stop(helper: PdfProcess | None, exc: BaseException) -> None:
    """A build that failed waits for its helper; one that was stopped (a signal, Ctrl-C) stops it."""
    from contextlib import suppress

    from reportgen.output import signals_held

    if helper is None:
        return
    with signals_held():
        if isinstance(exc, Exception):
            with suppress(Exception):
                helper.wait()
        else:
            helper.abandon()


def _without_pdf(missing: EngineMissing, jobs: list[Job], outputs: Transaction) -> str:
    """The PDFs given up, and the one line that says why and what to do instead; when nothing else
    was to be written, that line is the build's error."""
    from reportgen.render.pdf.engine import missing_message

    for job in jobs:
        if job.fmt == "pdf":
            outputs.drop(job.target)
    words = [job.target.name for job in jobs if job.fmt == "docx"]
    if not words:
        message = f"{missing.message}；或生成 Word 文件（-f docx）后用 Word 或 WPS 另存为 PDF"
    else:
        message = missing_message(missing.missing, missing.fix, "、".join(words))
    if all(job.fmt == "pdf" for job in jobs):
        raise RenderError(message)
    return message
