"""`reportgen doctor`: what this machine has and lacks, and the command that installs each."""

from __future__ import annotations

import sys

import click

from reportgen.commands.common import handled
from reportgen.terminal import pad
from reportgen.terminal import width as width_of

MARKS = {(True, True): "有", (True, False): "有", (False, True): "缺少", (False, False): "可选"}


@click.command()
@handled
def doctor() -> None:
    """检查本机：Python、PDF 引擎及其库、官方字体与替代字体、fontconfig、LibreOffice，缺少的给出安装命令。

    能生成 Word 和 PDF 时退出码 0，否则 1。"""
    from reportgen import machine

    click.echo(f"本机：{machine.system_name()}")
    found = machine.checks()
    width = max(width_of(c.name) for c in found)
    told: set[str] = set()
    for check in found:
        mark = MARKS[(check.ok, check.needed)]
        click.echo(f"[{pad(mark, 4)}] {pad(check.name, width)}  {check.found}")
        if not check.ok and check.fix:
            click.echo(f"{' ' * 7}安装：{'同上' if check.fix in told else check.fix}")
            told.add(check.fix)
    lacking = [c.name for c in found if c.needed and not c.ok]
    if lacking:
        click.echo(
            f"缺少生成 PDF 所需的：{'、'.join(lacking)}（按上面的命令安装后再运行 reportgen doctor；Word 文件照常生成）"
        )
        sys.exit(1)
    click.echo("可以生成 Word 和 PDF。")
