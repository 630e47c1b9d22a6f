"""`reportgen build`: validate, then write the documents."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from reportgen.commands.common import handled, parse_formats, parse_kinds, template_option


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), help="输出文件夹（默认与 YAML 相同）"
)
@click.option(
    "-f", "--format", "formats", default="docx,pdf", show_default=True, help="输出格式，逗号分隔：docx,pdf,html"
)
@click.option(
    "-k", "--kind", default=None, help="文书：报告、自评表（report、table），逗号分隔；默认按 YAML 的「文书」或模板"
)
@template_option
@click.option("--strict", is_flag=True, help="有警告也视为失败")
@handled
def build(
    files: tuple[Path, ...],
    out_dir: Path | None,
    formats: str,
    kind: str | None,
    template_dir: Path | None,
    strict: bool,
) -> None:
    """生成 Word 和 PDF（报告与 YAML 同名，自评表加「-自评表」）。"""
    from reportgen.build import build as run_build
    from reportgen.input.diagnostics import InvalidReport, ReportgenError
    from reportgen.render.fonts import harfbuzz_subset_available

    chosen = parse_formats(formats)
    kinds = parse_kinds(kind)
    if "pdf" in chosen and not harfbuzz_subset_available():
        click.echo("警告: 未安装 libharfbuzz-subset0，生成 PDF 会慢 10–30 倍（运行 scripts/setup.sh 安装）", err=True)
    worst = 0
    for file in files:
        try:
            built = run_build(file, out_dir, chosen, strict=strict, template_dir=template_dir, kinds=kinds)
        except InvalidReport as exc:
            for d in exc.diagnostics:
                click.echo(d.format(), err=True)
            errors = sum(d.level.value == "错误" for d in exc.diagnostics)
            click.echo(f"{file}: 未生成：有 {errors} 个错误{'（--strict：警告也算）' if strict else ''}", err=True)
            worst = max(worst, exc.exit_code)
            continue
        except ReportgenError as exc:
            click.echo(exc.message, err=True)
            worst = max(worst, exc.exit_code)
            continue
        for d in built.warnings:
            click.echo(d.format(), err=True)
        for path in built.outputs:
            click.echo(f"已生成 {path}")
    sys.exit(worst)
