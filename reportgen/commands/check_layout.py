"""`reportgen check-layout`: a PDF or Word file measured against GB/T 9704-2012."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from reportgen.commands.common import handled


@click.command(name="check-layout")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@handled
def check_layout(files: tuple[Path, ...]) -> None:
    """按 GB/T 9704-2012 检查 PDF 或 Word 文件的版式：逐项列出实测值、要求和是否相符；有不符时退出码 1。"""
    from reportgen.conformance.outcome import render

    worst = 0
    for file in files:
        outcomes = _measure(file)
        click.echo(render(outcomes, str(file)))
        if not all(o.ok for o in outcomes):
            worst = 1
    sys.exit(worst)


MAX_PDF_BYTES = 200_000_000
MAX_PDF_PAGES = 200
MAX_DOCX_BYTES = 50_000_000
MAX_DOCX_UNPACKED = 60_000_000


def _measure(file: Path) -> list[Any]:
    """The file's outcomes, or one line on why it cannot be measured: missing, too large, locked,
    damaged, or not a PDF or Word file at all."""
    import os

    from reportgen.errors import InputError
    from reportgen.input.archives import check_archive

    if not file.is_file():
        raise InputError(f"{file}: 错误: 文件不存在" if not file.exists() else f"{file}: 错误: 不是文件")
    suffix = file.suffix.lower()
    size = file.stat().st_size
    if suffix == ".docx":
        from reportgen.conformance.docx_rules import check as run

        if size > MAX_DOCX_BYTES:
            raise InputError(f"{file}: 错误: 文件过大（{size // 1_000_000} MB，上限 {MAX_DOCX_BYTES // 1_000_000} MB）")
        check_archive(file, "该文件", MAX_DOCX_UNPACKED)
    elif suffix == ".pdf":
        from reportgen.conformance.pdf_rules import check as run

        if size > MAX_PDF_BYTES:
            raise InputError(f"{file}: 错误: 文件过大（{size // 1_000_000} MB，上限 {MAX_PDF_BYTES // 1_000_000} MB）")
        from reportgen.conformance.pdf_scan import scan

        scan(file)
    else:
        raise InputError(f"{file}: 错误: 只能检查 .pdf 或 .docx 文件")
    try:
        if suffix == ".pdf":
            from reportgen.conformance.pdf_rules import check as check_pdf

            return check_pdf(file, max_pages=MAX_PDF_PAGES)
        return run(file)
    except InputError:
        raise
    except Exception as exc:  # a damaged or foreign file: the reading libraries' errors are many
        if os.environ.get("REPORTGEN_DEBUG"):
            raise
        if _locked(exc):
            raise InputError(
                f"{file}: 错误: PDF 文件有密码保护，无法检查：请先去掉密码（另存一份不加密的 PDF）"
            ) from exc
        reason = str(exc).strip() or type(exc).__name__
        raise InputError(
            f"{file}: 错误: 无法读取，文件可能已损坏或不是{'PDF' if suffix == '.pdf' else 'Word'}文件（{reason}）"
        ) from exc


def _locked(exc: BaseException) -> bool:
    """Whether the PDF library gave up for want of a password (its error wraps another)."""
    seen: BaseException | None = exc
    while seen is not None:
        if "Password" in type(seen).__name__ or "password" in str(seen).lower():
            return True
        seen = (
            seen.__cause__
            or seen.__context__
            or (seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None)
        )
    return False
