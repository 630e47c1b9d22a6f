"""The score sheet as a table for the terminal, aligned for Chinese (double-width) characters."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

from .numbers import NumberFormat
from .scoring import Score


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def _num(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize() if value == value.to_integral() else value, "f")


def render(score: Score, fmt: NumberFormat) -> str:
    header = ["类别", "指标", "分值", "指标值", "实际完成值", "完成率", "得分"]
    rows: list[list[str]] = []
    rate = score.budget_rate
    capped = min(rate, Decimal(100)) if rate is not None else None
    budget = ["预算执行", "预算执行率", _num(score.sheet.budget_points), "100%", fmt.rate(rate), fmt.rate(capped)]
    rows.append([*budget, format(score.budget_score, "f")])
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
                format(item.score, "f") + (" !" if item.problem else ""),
            ]
        )
    rows.append(["合计", "", _num(score.full_marks), "", "", "", format(score.total, "f")])
    numeric = {2, 5, 6}
    sizes = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"评分表：{score.sheet.name}"]
    rule = "  ".join("─" * s for s in sizes)
    lines.append("  ".join(_pad(h, sizes[i], i in numeric) for i, h in enumerate(header)))
    lines.append(rule)
    for i, row in enumerate(rows):
        if i == len(rows) - 1:
            lines.append(rule)
        lines.append("  ".join(_pad(c, sizes[j], j in numeric) for j, c in enumerate(row)).rstrip())
    lines.append(f"自评得分 {score.total:f} 分，等级：{score.grade}")
    problems = [i for i in score.items if i.problem]
    for item in problems:
        lines.append(f"! {item.indicator.三级指标 or item.indicator.二级指标}：{item.problem}")
    return "\n".join(lines)
