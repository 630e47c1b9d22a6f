"""`reportgen watch`: validate and rebuild on every save, in one warm process."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reportgen.commands.common import handled, loop_message, parse_formats, symlink_loop, template_option

if TYPE_CHECKING:  # the rebuilder loads the engines only when the command runs
    from reportgen.live import Outcome, Rebuilder


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
    from reportgen.live import Rebuilder

    if not file.is_file():
        from reportgen.errors import InputError
        from reportgen.filekinds import not_regular

        raise InputError(f"{file}: 错误: 文件{not_regular(file) or '不是普通文件'}")
    rebuilder = Rebuilder(file, out_dir, parse_formats(formats), template_dir)
    stop = threading.Event()
    looping: set[str] = set()  # a link loop already named (by a rebuild or by the watch): once
    try:
        show(_rebuild(rebuilder, looping))
        click.echo(f"正在监视 {file}：保存后自动校验并生成（Ctrl-C 结束）", err=True)
        for _ in _saves(rebuilder, stop, looping):
            show(_rebuild(rebuilder, looping))
    except KeyboardInterrupt:
        click.echo("已停止监视", err=True)
    finally:
        stop.set()
        rebuilder.close()


def _rebuild(rebuilder: Rebuilder, looping: set[str]) -> Outcome:
    """One rebuild; a file that has become a link to itself is a message (once), not the end of
    the watch."""
    from reportgen.live import Outcome

    try:
        outcome = rebuilder.rebuild()
    except RuntimeError as exc:
        loop = symlink_loop(exc)
        if loop is None:
            raise
        message = loop_message(loop)
        said = message in looping
        looping.add(message)
        return Outcome() if said else Outcome(failure=message)
    looping.clear()
    return outcome


def _saves(rebuilder: Rebuilder, stop: threading.Event, looping: set[str]) -> Iterator[None]:
    """Each save of the file.  While the file is a link that leads back to itself, it is named
    once (here or by the rebuild that met it first) and looked at again every tick; when it is a
    file again, the watch goes on."""
    from reportgen.live import TICK_MS, changes

    while not stop.is_set():
        try:
            for _ in changes(rebuilder.watched, stop, lambda: rebuilder.stamp):
                yield None
            return
        except RuntimeError as exc:
            loop = symlink_loop(exc)
            if loop is None:
                raise
            message = loop_message(loop)
            if message not in looping:
                click.echo(message, err=True)
            looping.add(message)
            stop.wait(TICK_MS / 1000)
