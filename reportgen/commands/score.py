"""`reportgen score`: the score sheet in the terminal, aligned for Chinese (double-width) characters."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reportgen.commands.common import handled, template_option
from reportgen.terminal import pad, width

if TYPE_CHECKING:  # the models load only when the command runs, not for --help
    from reportgen.figures.numbers import NumberFormat
    from reportgen.figures.scoring import Score


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@template_option
@handled
def score(file: Path, template_dir: Path | None) -> None:
    """按评分表计算自评得分与等级，在终端列出每个指标的得分。"""
    from reportgen.checks import registry
    from reportgen.checks.validate import check
    from reportgen.errors import InvalidReport
    from reportgen.figures.derive import project_score
    from reportgen.figures.derive import score as compute

    checked = check(file, template_dir=template_dir)
    report = checked.report
    if report is None or checked.template is None:
        raise InvalidReport(checked.errors)
    projects = [p for p in report.重点项目 or [] if p.绩效指标]
    if not report.绩效指标 and not projects:
        typed = f"；文件中手填的自评得分 {report.自评得分} 分未经计算" if report.自评得分 is not None else ""
        click.echo(f"{file}: 没有「绩效指标」，无法计算自评得分{typed}（见 README「自评得分」）", err=True)
        sys.exit(1)
    sheet = checked.template.settings.score_sheet()
    if report.绩效指标:
        click.echo(render(compute(report, sheet), checked.fmt))
    else:
        typed = f"（文件中手填的 {report.自评得分} 分未经计算）" if report.自评得分 is not None else ""
        click.echo(f"部门整体：没有「绩效指标」，不计算部门的自评得分{typed}；重点项目的指标不计入部门得分")
    for project in projects:
        click.echo(f"\n重点项目：{project.名称}")
        click.echo(render(project_score(project, sheet), checked.fmt))
    score_ids = registry.ids("评分")  # the warnings about the score, printed under it
    for d in checked.warnings:
        if d.rule in score_ids:
            click.echo(d.format(), err=True)
    if checked.errors:  # the file as a whole is not ready, though its score could be listed
        raise InvalidReport(checked.errors)


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize() if value == value.to_integral() else value, "f")


def _scored(value: Decimal | None, source: str) -> str:
    """A part's points, marked when the unit stated it; 缺 when there is none."""
    if value is None:
        return "缺"
    return format(value, "f") + ("（手填）" if source == "手填" else "")


def render(score: Score, fmt: NumberFormat) -> str:
    header = ["类别", "指标", "分值", "指标值", "实际完成值", "完成率", "得分"]
    rows: list[list[str]] = []
    rate = score.budget_rate
    capped = min(rate, Decimal(100)) if rate is not None else None
    budget = ["预算执行", "预算执行率", _num(score.sheet.budget_points), "100%", fmt.rate(rate), fmt.rate(capped)]
    rows.append([*budget, _scored(score.budget_score, score.budget.source)])
    for item in score.items:
        ind = item.indicator
        name = ind.三级指标 or ind.二级指标
        actual = ind.实际完成值 or (ind.评价 or "")
        completion = fmt.rate(item.completion) if item.completion is not None else "—"
        rows.append(
            [
                item.category,
                name,
                _num(round(item.points, 2)),
                ind.年度指标值,
                actual,
                completion,
                _scored(item.score, item.source) + (" !" if item.problem else ""),
            ]
        )
    rows.append(["合计", "", _num(score.full_marks), "", "", "", _scored(score.total, score.source)])
    numeric = {2, 5, 6}
    sizes = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"评分表：{score.sheet.title}"]
    rule = "  ".join("─" * s for s in sizes)
    lines.append("  ".join(pad(h, sizes[i], i in numeric) for i, h in enumerate(header)))
    lines.append(rule)
    for i, row in enumerate(rows):
        if i == len(rows) - 1:
            lines.append(rule)
        lines.append("  ".join(pad(c, sizes[j], j in numeric) for j, c in enumerate(row)).rstrip())
    if score.total is None:
        lines.append("自评得分无法计算：有部分没有得分（标「缺」），也没有手填的自评得分")
    else:
        printed = fmt.score(score.total)
        shown = f"（文件中印作 {printed} 分）" if printed != format(score.total, "f") else ""
        own = "，含手填、未经计算的部分（标「手填」）" if score.source != "计算" else ""
        lines.append(f"自评得分 {score.total:f} 分{shown}{own}，等级：{score.grade}")
    problems = [i for i in score.items if i.problem]
    for item in problems:
        lines.append(f"! {item.indicator.三级指标 or item.indicator.二级指标}：{item.problem}")
    return "\n".join(lines)
