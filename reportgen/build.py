"""load → validate → derive → compose → render, writing each output atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from reportgen.checks.validate import Checked, check, require
from reportgen.compose.composer import compose
from reportgen.compose.tree import Document
from reportgen.input.diagnostics import Diagnostic, RenderError, TemplateError
from reportgen.render.layout import Layout

FORMATS = ("docx", "pdf", "html")


@dataclass
class Built:
    source: Path
    outputs: list[Path]
    warnings: list[Diagnostic]


def layout_for(checked: Checked) -> Layout:
    template = checked.template
    overrides = (template.settings.get("版式") if template else None) or {}
    try:
        layout = Layout().with_overrides(overrides, template.dirs[0] if template else None)
    except TemplateError as exc:
        where = next((d / "settings.yaml" for d in template.dirs if (d / "settings.yaml").is_file()), None)
        raise TemplateError(f"{where}: 错误: {exc.message}") from exc
    reference = (
        next((d / "reference.docx" for d in template.dirs if (d / "reference.docx").is_file()), None)
        if template
        else None
    )
    return replace(layout, reference_docx=str(reference)) if reference else layout


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


@contextmanager
def _staged(target: Path) -> Iterator[Path]:
    """A temporary file beside the target, renamed over it only when writing succeeded."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    temp = Path(name)
    os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    try:
        yield temp
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def build(
    source: Path,
    out_dir: Path | None = None,
    formats: tuple[str, ...] = ("docx", "pdf"),
    *,
    strict: bool = False,
    template_dir: Path | None = None,
    kinds: tuple[str, ...] | None = None,
) -> Built:
    checked = check(source, template_dir=template_dir, kinds=kinds)
    require(checked, strict=strict)
    documents = {kind: document_for(checked, kind) for kind in checked.kinds}
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
    targets = [target for _, _, target in jobs]
    if any(t.resolve() == source.resolve() for t in targets):
        raise RenderError(f"{source}: 错误: 输出文件会覆盖输入文件")
    blocked = [t for t in targets if t.is_dir()]
    if blocked:
        raise RenderError(f"{blocked[0]}: 错误: 无法写入（同名的文件夹已存在）")
    staged: list[tuple[Path, Path]] = []
    try:
        for document, fmt, target in jobs:
            try:
                with _staged(target) as temp:
                    _render(fmt, document, layout, temp)
                    staged.append((temp, target))
            except OSError as exc:  # a full disk, a read-only folder
                raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
        for temp, target in staged:
            try:
                os.replace(temp, target)
            except OSError as exc:
                raise RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）") from exc
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    return Built(source, targets, checked.warnings)


def _render(fmt: str, document: Document, layout: Layout, path: Path) -> None:
    if fmt == "docx":
        from reportgen.render.docx_writer import render

        render(document, layout, path)
    elif fmt == "pdf":
        from reportgen.render.pdf_writer import render

        render(document, layout, path)
    elif fmt == "html":
        from reportgen.render.html_writer import render

        path.write_text(render(document, layout), encoding="utf-8")
    else:
        raise RenderError(f"不支持的输出格式「{fmt}」，可选：{'、'.join(FORMATS)}")
