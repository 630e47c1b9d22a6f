"""`reportgen watch`: validate and rebuild on every save, in one warm process."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import click

from reportgen.commands.common import handled, parse_formats, template_option


def show(outcome: Any) -> None:
    """One rebuild's messages, then what was written and how long it took."""
    for line in outcome.lines:
        click.echo(line, err=True)
    if outcome.outputs:
        names = "、".join(str(p) for p in outcome.outputs)
        click.echo(f"已更新 {names}（{outcome.seconds:.2f} 秒）")


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="输出文件夹")
@click.option("-f", "--format", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔")
@template_option
@handled
def watch(file: Path, out_dir: Path | None, formats: str, template_dir: Path | None) -> None:
    """监视 YAML：每次保存都重新校验、重新生成 Word 和 PDF（按 Ctrl-C 结束）。"""
    from reportgen.live import Rebuilder, changes

    if not file.is_file():
        from reportgen.errors import InputError

        raise InputError(f"{file}: 错误: 文件不存在")
    rebuilder = Rebuilder(file, out_dir, parse_formats(formats), template_dir)
    stop = threading.Event()
    try:
        show(rebuilder.rebuild())
        click.echo(f"正在监视 {file}：保存后自动校验并生成（Ctrl-C 结束）", err=True)
        for _ in changes(rebuilder.watched, stop, lambda: rebuilder.stamp):
            show(rebuilder.rebuild())
    except KeyboardInterrupt:
        click.echo("已停止监视", err=True)
    finally:
        stop.set()
        rebuilder.close()
