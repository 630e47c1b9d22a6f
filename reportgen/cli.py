"""The `reportgen` command.  Heavy libraries load inside the commands that need them, so that
`reportgen --help` answers at once; every failure prints a message, never a traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__

F = TypeVar("F", bound=Callable[..., Any])


def _handled(fn: F) -> F:
    """Turn the project's errors into one clear message and the documented exit code."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .diagnostics import ReportgenError

        try:
            return fn(*args, **kwargs)
        except ReportgenError as exc:
            click.echo(exc.message, err=True)
            sys.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except KeyboardInterrupt:
            click.echo("已中断", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug of ours: say so plainly; REPORTGEN_DEBUG=1 shows details
            if os.environ.get("REPORTGEN_DEBUG"):
                raise
            click.echo(f"内部错误（{type(exc).__name__}: {exc}）。设置 REPORTGEN_DEBUG=1 可查看详情。", err=True)
            sys.exit(3)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reportgen")
def main() -> None:
    """部门整体支出绩效自评报告：从 YAML 文件校验数字、计算比率，生成 Word 和 PDF。

    \b
    常用：
      reportgen validate 报告.yaml     检查文件，列出所有错误和警告
      reportgen build 报告.yaml        生成 报告.docx 和 报告.pdf
      reportgen build 报告.yaml -k 自评表   生成自评表
      reportgen score 报告.yaml        计算自评得分和等级
      reportgen schema                 输出 JSON Schema（供编辑器补全键名）
    """


def _formats(value: str) -> tuple[str, ...]:
    from .build import FORMATS

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise click.BadParameter(f"可选格式：{','.join(FORMATS)}（用逗号分隔）")
    return chosen


_KIND_NAMES = {"报告": "报告", "report": "报告", "自评表": "自评表", "table": "自评表"}


def _kinds(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    names = [v.strip().lower() for v in value.replace("，", ",").split(",") if v.strip()]
    unknown = [n for n in names if n not in _KIND_NAMES]
    if unknown or not names:
        raise click.BadParameter("可选：报告、自评表（或 report、table），用逗号分隔", param_hint="--kind")
    return tuple(dict.fromkeys(_KIND_NAMES[n] for n in names))


_template_option = click.option(
    "--template",
    "template_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="模板文件夹（优先于 YAML 中的「模板」和内置模板）",
)


@main.command()
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
@_template_option
@click.option("--strict", is_flag=True, help="有警告也视为失败")
@_handled
def build(
    files: tuple[Path, ...],
    out_dir: Path | None,
    formats: str,
    kind: str | None,
    template_dir: Path | None,
    strict: bool,
) -> None:
    """生成 Word 和 PDF（报告与 YAML 同名，自评表加「-自评表」）。"""
    from .build import build as run_build
    from .diagnostics import InvalidReport, ReportgenError
    from .fonts import harfbuzz_subset_available

    chosen = _formats(formats)
    kinds = _kinds(kind)
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


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="把警告也当作错误（退出码 1）")
@click.option("-k", "--kind", default=None, help="按哪种文书检查必填项：报告、自评表")
@_template_option
@_handled
def validate(files: tuple[Path, ...], strict: bool, kind: str | None, template_dir: Path | None) -> None:
    """检查 YAML：类型、必填项、未知键、加总与比率。有错误时退出码 1，文件无法读取时 2。"""
    from .diagnostics import InputError
    from .validate import check

    worst = 0
    for file in files:
        try:
            checked = check(file, template_dir=template_dir, kinds=_kinds(kind))
        except InputError as exc:
            click.echo(exc.message, err=True)
            worst = max(worst, exc.exit_code)
            continue
        for d in checked.diagnostics:
            click.echo(d.format())
        errors, warnings = len(checked.errors), len(checked.warnings)
        failed = errors > 0 or (strict and warnings > 0)
        summary = "通过" if not failed else "未通过"
        click.echo(f"{file}: {summary}（{errors} 个错误，{warnings} 个警告）")
        if failed:
            worst = max(worst, 1)
    sys.exit(worst)


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="写入文件（默认输出到屏幕）")
@_handled
def schema(output: Path | None) -> None:
    """输出输入格式的 JSON Schema（标题和说明为中文），供 VS Code 等编辑器补全。"""
    import json

    from .model import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"已写入 {output}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@_template_option
@_handled
def score(file: Path, template_dir: Path | None) -> None:
    """按评分表计算自评得分与等级，在终端列出每个指标的得分。"""
    from .derive import score as compute
    from .diagnostics import InvalidReport
    from .scoreview import render
    from .scoring import ScoreSheet
    from .validate import check

    checked = check(file, template_dir=template_dir)
    if checked.errors:
        raise InvalidReport(checked.errors)
    assert checked.report is not None and checked.template is not None
    if not checked.report.绩效指标 and not any(p.绩效指标 for p in checked.report.重点项目 or []):
        click.echo(f"{file}: 没有「绩效指标」，无法计算自评得分（见 README「自评得分」）", err=True)
        sys.exit(1)
    from .derive import project_score

    sheet = ScoreSheet.from_settings(checked.template.settings.get("评分"))
    result = compute(checked.report, sheet)
    click.echo(render(result, checked.fmt))
    for project in checked.report.重点项目 or []:
        if project.绩效指标:
            click.echo(f"\n重点项目：{project.名称}")
            click.echo(render(project_score(project, sheet), checked.fmt))
    for d in checked.warnings:
        if d.rule in ("自评得分", "指标评分", "项目得分", "评分表指标"):
            click.echo(d.format(), err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-t", "--template", "template", default=None, help="区模板名（如 荔湾）或模板文件夹；默认通用模板")
@click.option("--name", "department", default=None, help="部门全称")
@click.option("--year", type=int, default=None, help="被评价年度（默认去年）")
@_handled
def init(file: Path, template: str | None, department: str | None, year: int | None) -> None:
    """按区模板的大纲生成带注释的新 YAML（不会覆盖已有文件）。"""
    from . import templates
    from .starter import write

    chosen = templates.resolve(template, relative_to=Path.cwd()) if template else templates.resolve(None)
    write(file, chosen, department, year)
    click.echo(f"已生成 {file}（{chosen.name}模板）。填写数字和正文后运行：reportgen validate {file}")


@main.command(name="templates")
@_template_option
@_handled
def list_templates(template_dir: Path | None) -> None:
    """列出可用的模板（内置的区模板，以及 --template 指定的文件夹）及其来源。"""
    from . import templates

    entries = [("指定文件夹", templates.resolve(None, extra_dir=template_dir))] if template_dir else []
    entries += [("内置", templates.resolve(folder.name)) for _, folder in templates.available()]
    for origin, found in entries:
        settings = found.settings
        click.echo(f"{found.name:<6}{origin}  {found.dirs[0]}")
        chain = " → ".join(d.name for d in found.dirs)
        click.echo(f"      文书：{'、'.join(settings.get('文书') or ['报告'])}；继承：{chain}")
        if found.dirs[0].joinpath("reference.docx").is_file():
            click.echo("      Word 样式：reference.docx")
        if settings.get("说明"):
            click.echo(f"      {settings['说明']}")


@main.command(name="check-layout")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_handled
def check_layout(files: tuple[Path, ...]) -> None:
    """按 GB/T 9704-2012 检查 PDF 或 Word 文件的版式：逐项列出实测值、要求和是否相符；有不符时退出码 1。"""
    from .conformance import render
    from .diagnostics import InputError

    worst = 0
    for file in files:
        if not file.is_file():
            raise InputError(f"{file}: 错误: 文件不存在" if not file.exists() else f"{file}: 错误: 不是文件")
        suffix = file.suffix.lower()
        try:
            if suffix == ".pdf":
                from .check_pdf import check as run
            elif suffix == ".docx":
                from .check_docx import check as run
            else:
                raise InputError(f"{file}: 错误: 只能检查 .pdf 或 .docx 文件")
            outcomes = run(file)
        except InputError:
            raise
        except Exception as exc:  # a damaged or foreign file
            raise InputError(f"{file}: 错误: 无法读取（{type(exc).__name__}: {exc}）") from exc
        click.echo(render(outcomes, str(file)))
        if not all(o.ok for o in outcomes):
            worst = 1
    sys.exit(worst)


@main.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@_template_option
@_handled
def fonts(file: Path | None, template_dir: Path | None) -> None:
    """说明 PDF 各部分用哪种字体：文件位置、是官方字体还是替代字体；给出 YAML 时列出需要后备字体或无字可用的字符。"""
    from . import fonts as fontlib
    from .build import document_for, layout_for
    from .layout import Layout
    from .render_pdf import resolve_roles, text_by_role
    from .validate import check, require

    layout = Layout()
    uses: dict[str, str] = {}
    if file is not None:
        checked = check(file, template_dir=template_dir)
        require(checked)
        layout = layout_for(checked)
        for kind in checked.kinds:
            for role, text in text_by_role(document_for(checked, kind)).items():
                uses[role] = uses.get(role, "") + text
    roles = resolve_roles(layout)
    for role, resolved in roles.items():
        spec = resolved.role
        click.echo(f"{role}：Word 写作「{spec.word_name}」")
        if not resolved.chain:
            click.echo(f"    PDF：没有可用字体（需要 {'、'.join(spec.official + spec.substitutes)} 之一）")
            continue
        first = resolved.chain[0]
        kind = "官方字体" if resolved.official_installed else "替代字体（未安装官方字体）"
        click.echo(f"    PDF：{first.family}{'（粗体）' if resolved.bold else ''}，{kind}，{first.file}")
        if len(resolved.chain) > 1:
            click.echo(f"    后备：{'、'.join(f.family for f in resolved.chain[1:])}")
        text = uses.get(role, "")
        fallback: dict[str, list[str]] = {}
        missing: list[str] = []
        for char in sorted(set(text)):
            if char.isspace():
                continue
            face = resolved.face_for(char)
            if face is None:
                missing.append(char)
            elif face is not first:
                fallback.setdefault(face.family, []).append(char)
        for family, chars in fallback.items():
            click.echo(f"    由 {family} 补字：{''.join(chars)}")
        if missing:
            click.echo(f"    无字可用：{'、'.join(f'{c}(U+{ord(c):04X})' for c in missing)}")
    if not fontlib.harfbuzz_subset_available():
        click.echo("警告: 未安装 libharfbuzz-subset0，生成 PDF 会慢 10–30 倍（运行 scripts/setup.sh 安装）", err=True)
