"""`reportgen edit`: the report filled in through a page in the officer's browser."""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

import click

from reportgen.commands.common import handled, template_option


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8766, show_default=True, help="端口（0 为任选一个空闲端口）"
)
@click.option("--open/--no-open", "open_browser", default=False, help="打开浏览器")
@click.option("--starter", "new_template", default=None, help="文件不存在时按这个区模板新建（如 荔湾；默认通用模板）")
@template_option
@handled
def edit(file: Path, port: int, open_browser: bool, new_template: str | None, template_dir: Path | None) -> None:
    """在本机浏览器中填写报告（只监听 127.0.0.1）：表单填数字、指标和正文，「源文件」页可直接改 YAML，
    每个问题标在它的栏目旁，右边的页面随手更新；「保存」写回这个 YAML（注释和格式不变），「生成」写出 Word 和 PDF。

    文件不存在时先按区模板新建（同 reportgen init）。网址中带有本次编辑的随机字符串，只有用这个网址才能打开。
    按 Ctrl-C 结束。"""
    from reportgen.editing.server import Routes
    from reportgen.editing.session import Session
    from reportgen.errors import InputError, ReportgenError
    from reportgen.loopback import LoopbackServer

    if file.is_dir():
        raise InputError(f"{file}: 错误: 这是文件夹，请给出 YAML 文件")
    if not file.exists():
        from reportgen.compose.starter import write
        from reportgen.template import folders as templates

        chosen = templates.resolve(new_template, relative_to=Path.cwd()) if new_template else templates.resolve(None)
        write(file, chosen, None, None)
        click.echo(f"已新建 {file}（{chosen.name}模板）", err=True)
    session = Session(file, template_dir)
    routes = Routes(session)
    try:
        server = LoopbackServer(port, routes.get, routes.post)
    except OSError as exc:
        session.close()
        raise ReportgenError(f"无法在端口 {port} 上启动（{exc.strerror or exc}）：换一个端口，如 --port 0") from exc
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    session.start()
    serving.start()
    try:
        click.echo(f"编辑 {file}：{server.url}（在浏览器中打开；Ctrl-C 结束）")
        if open_browser:
            webbrowser.open(server.url)
        idle = threading.Event()
        while not idle.wait(0.5):  # wake now and then: a signal taken by another thread is handled here
            pass
    except KeyboardInterrupt:
        click.echo("已结束编辑", err=True)
    finally:
        if session.dirty:
            click.echo(f"页面上有未保存的修改，未写入 {file}", err=True)
        server.shutdown()
        server.server_close()
        session.close()
