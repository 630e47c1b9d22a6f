"""The figures a report quotes, computed once from the validated data."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportgen.figures import formulas, scoring
from reportgen.figures.scoring import Score, ScoreSheet
from reportgen.input.model import Funds as FundsData
from reportgen.input.model import KeyProject, ProjectEval, Report


@dataclass(frozen=True)
class Funds:
    预算完成率: Decimal | None
    年度预算调整数: Decimal | None
    预算调整率: Decimal | None
    资金来源合计: Decimal | None
    支出性质合计: Decimal | None
    基本支出占比: Decimal | None
    项目支出占比: Decimal | None
    结转结余推算: Decimal | None  # 年初结转结余 + 本年收入 − 本年支出, when all three are given


def funds(f: FundsData) -> Funds:
    initial = f.年初预算数
    sources = f.资金来源
    nature = f.支出性质
    source_total = (
        formulas.total(
            [
                sources.一般公共预算财政拨款,
                sources.政府性基金预算财政拨款,
                sources.国有资本经营预算财政拨款,
                sources.其他资金,
            ]
        )
        if sources
        else None
    )
    nature_total = (
        formulas.total([nature.基本支出, nature.项目支出])
        if nature and (nature.基本支出 is not None or nature.项目支出 is not None)
        else None
    )
    balance = None
    spending = f.本年支出 if f.本年支出 is not None else f.执行数
    if f.年初结转和结余 is not None and f.本年收入 is not None:
        balance = formulas.year_end_balance(f.年初结转和结余, f.本年收入, spending)
    return Funds(
        预算完成率=formulas.completion_rate(f.执行数, f.全年预算数),
        年度预算调整数=formulas.adjustment(initial, f.全年预算数) if initial is not None else None,
        预算调整率=formulas.adjustment_rate(initial, f.全年预算数) if initial is not None else None,
        资金来源合计=source_total,
        支出性质合计=nature_total,
        基本支出占比=formulas.share(nature.基本支出, f.执行数) if nature and nature.基本支出 is not None else None,
        项目支出占比=formulas.share(nature.项目支出, f.执行数) if nature and nature.项目支出 is not None else None,
        结转结余推算=balance,
    )


def project_total(block: ProjectEval, report: Report) -> Decimal | None:
    """The denominator of 项目自评覆盖率: stated in the block, else the report's 项目支出."""
    if block.项目支出总额 is not None:
        return block.项目支出总额
    nature = report.基本情况.部门整体收支情况.支出性质
    return nature.项目支出 if nature else None


def coverage(block: ProjectEval, report: Report) -> Decimal | None:
    whole = project_total(block, report)
    return formulas.coverage_rate(block.涉及资金, whole) if whole is not None else None


def score(report: Report, sheet: ScoreSheet) -> Score:
    """The department's self-evaluation score from its 绩效指标 and its 预算完成率."""
    rate = funds(report.基本情况.部门整体收支情况).预算完成率
    return scoring.score(report.绩效指标 or [], rate, sheet)


def project_score(project: KeyProject, sheet: ScoreSheet) -> Score:
    """A key project's score: its own indicators and its own budget execution."""
    rate = (
        formulas.completion_rate(project.执行数, project.预算数)
        if project.执行数 is not None and project.预算数 is not None
        else None
    )
    return scoring.score(project.绩效指标 or [], rate, sheet)


def find_project(report: Report, name: str) -> KeyProject | None:
    return next((p for p in report.重点项目 or [] if p.名称 == name), None)
