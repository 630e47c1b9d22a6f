"""What the page shows beside the inputs: the figures a build computes from them (完成率, 调整率,
sums, shares, each indicator's score, the total and grade), by the build's own code and in the
template's number format, and the data as JSON."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

# The computed funds figures shown under the inputs, in this order: (name, kind).
_FUNDS = (
    ("预算完成率", "rate"),
    ("年度预算调整数", "money"),
    ("预算调整率", "rate"),
    ("资金来源合计", "money"),
    ("支出性质合计", "money"),
    ("基本支出", "money"),
    ("收入来源合计", "money"),
    ("基本支出占比", "rate"),
    ("项目支出占比", "rate"),
    ("结转结余推算", "money"),
)


def plain(value: Any) -> Any:
    """The loaded data as JSON: a figure as the text it was typed as (1234.50 stays 1234.50)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def derived(checked: Any) -> dict[str, Any]:
    """The computed figures, with where each belongs (a path the page shows it beside)."""
    from reportgen.figures.derive import funds, people

    report, fmt = checked.report, checked.fmt
    found: dict[str, Any] = {"funds": None, "people": None, "score": None}
    if report is None:
        return found
    if report.funds_path is not None:
        figures = funds(report.funds)
        shown = []
        for name, kind in _FUNDS:
            value = getattr(figures, name)
            if value is not None:
                shown.append([name, fmt.rate(value) if kind == "rate" else f"{fmt.money(value)} 万元"])
        found["funds"] = {"path": list(report.funds_path), "figures": shown}
    staffing = report.staffing
    section = report.section("机构和人员")
    if staffing is not None and section is not None:
        counted = people(staffing)
        shown = [["在职人员控制率", fmt.rate(counted.在职人员控制率)]] if counted.在职人员控制率 is not None else []
        found["people"] = {"path": list(section[0]), "figures": shown}
    found["score"] = _score(checked)
    return found


def _score(checked: Any) -> dict[str, Any] | None:
    from reportgen.figures.derive import score

    report, fmt = checked.report, checked.fmt
    if not report.绩效指标 or checked.template is None:
        return None
    result = score(report, checked.template.settings.score_sheet())
    items = []
    for item in result.items:
        index = next((i for i, ind in enumerate(report.绩效指标) if ind is item.indicator), None)
        items.append(
            {
                "index": index,
                "points": format(round(item.points, 2).normalize(), "f"),
                "completion": fmt.rate(item.completion) if item.completion is not None else "",
                "score": format(item.score, "f") if item.score is not None else "",
                "stated": item.source == "手填",
                "problem": item.problem,
            }
        )
    return {
        "total": format(result.total, "f") if result.total is not None else "",
        "grade": result.grade or "",
        "source": result.source,  # 计算, 手填 (some part the unit's own), 缺 (some part missing)
        "budgetRate": fmt.rate(result.budget_rate) if result.budget_rate is not None else "",
        "budgetScore": format(result.budget_score, "f") if result.budget_score is not None else "",
        "fullMarks": format(result.full_marks.normalize(), "f"),
        "items": items,
    }
