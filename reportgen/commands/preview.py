"""`reportgen preview`: the pages and the messages on a local page that refreshes on save."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import click

from reportgen.commands.common import handled, template_option


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="端口（0 为任选一个空闲端口）"
)
@click.option("--open/--no-open", "open_browser", default=False, help="打开浏览器")
@template_option
@handled
def preview(file: Path, port: int, open_browser: bool, template_dir: Path | None) -> None:
    """在本机 http://127.0.0.1 上预览：显示生成的各页和校验信息，每次保存后自动刷新（按 Ctrl-C 结束）。

    网址中带有本次预览的随机字符串，只有用这个网址才能打开；结束时删除预览用的临时文件。"""
    from reportgen.live import Preview, Rebuilder, changes

    if not file.is_file():
        from reportgen.errors import InputError

        raise InputError(f"{file}: 错误: 文件不存在")
    try:
        session = Preview(Rebuilder(file, None, ("pdf",), template_dir), port)
    except OSError as exc:
        from reportgen.errors import ReportgenError

        raise ReportgenError(f"无法在端口 {port} 上启动预览（{exc.strerror or exc}）：换一个端口，如 --port 0") from exc
    session.rebuilder.out_dir = session.folder  # the preview's own copy: the officer's files stay as they are
    stop = threading.Event()
    session.start()
    try:
        outcome = session.refresh()
        click.echo(f"预览：{session.url}（保存后自动刷新，Ctrl-C 结束）")
        _status(outcome)
        if open_browser:
            webbrowser.open(session.url)
        for _ in changes(session.rebuilder.watched, stop, lambda: session.rebuilder.stamp):
            _status(session.refresh())
    except KeyboardInterrupt:
        click.echo("已停止预览", err=True)
    finally:  # Ctrl-C, a termination signal (commands/common.py) or an error: nothing left behind
        stop.set()
        session.close()
        session.rebuilder.close()


def _status(outcome: object) -> None:
    for line in outcome.lines:  # type: ignore[attr-defined]
        click.echo(line, err=True)
    if outcome.outputs:  # type: ignore[attr-defined]
        click.echo(f"已更新（{outcome.seconds:.2f} 秒）", err=True)  # type: ignore[attr-defined]
