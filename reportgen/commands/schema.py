"""`reportgen schema`: the input format as JSON Schema, for editors."""

from __future__ import annotations

from pathlib import Path

import click

from reportgen.commands.common import handled


@click.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="写入文件（默认输出到屏幕）")
@handled
def schema(output: Path | None) -> None:
    """输出输入格式的 JSON Schema（标题和说明为中文），供 VS Code 等编辑器补全。"""
    import json

    from reportgen.input.model import json_schema
    from reportgen.output import write_atomically

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"已写入 {output}")
