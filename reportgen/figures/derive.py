"""The figures a report quotes, computed once from the validated data.

A figure the author did not write stays None, and so does every figure computed from it: the
sentences then leave it out and the checks that need it do not run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from reportgen.figures import formulas, scoring
from reportgen.figures.scoring import BudgetPart, Score, ScoreSheet
from reportgen.input.model import (
    YEAR_ON_YEAR_KEYS,
    IncomeSources,
    Indicator,
    KeyProject,
    Nature,
    ProjectEval,
    Report,
    Sources,
    Staffing,
)
from reportgen.input.model import Funds as FundsData


@dataclass(frozen=True)
class Change:
    """One figure against last year's: 增减额 and 增减率 (None when last year was 0)."""

    current: Decimal
    previous: Decimal
    amount: Decimal
    rate: Decimal | None


@dataclass(frozen=True)
class Funds:
    支出: Decimal | None  # 执行数, else 本年支出: what was spent
    本年收入: Decimal | None  # typed, else the sum of 收入来源
    基本支出: Decimal | None  # typed, else 人员经费 + 公用经费
    预算完成率: Decimal | None
    年度预算调整数: Decimal | None
    预算调整率: Decimal | None
    资金来源合计: Decimal | None
    支出性质合计: Decimal | None  # 基本支出 + 项目支出, when both are known
    收入来源合计: Decimal | None
    财政拨款收入: Decimal | None  # typed, else the sum of its three kinds
    基本支出占比: Decimal | None
    项目支出占比: Decimal | None
    结转结余推算: Decimal | None  # 年初结转结余 + 本年收入 − 本年支出, when all three are given
    年初结转推算: Decimal | None  # 年末 − 本年收入 + 本年支出, when 年初 is not written
    同比: dict[str, Change] = field(default_factory=dict)

    def current(self, key: str, data: FundsData) -> Decimal | None:
        """This year's value of a figure that 上年 may name."""
        nature = data.支出性质
        values: dict[str, Decimal | None] = {
            "全年预算数": data.全年预算数,
            "执行数": data.执行数 if data.执行数 is not None else data.本年支出,
            "本年收入": self.本年收入,
            "本年支出": data.本年支出 if data.本年支出 is not None else data.执行数,
            "财政拨款收入": self.财政拨款收入,
            "基本支出": self.基本支出,
            "项目支出": nature.项目支出 if nature else None,
            "人员经费": nature.人员经费 if nature else None,
            "公用经费": nature.公用经费 if nature else None,
            "年末结转和结余": data.年末结转和结余,
        }
        return values.get(key)


def _sum_if_any(values: list[Decimal | None]) -> Decimal | None:
    return formulas.total(values) if any(v is not None for v in values) else None


def _given(formula: Callable[..., Decimal | None], *values: Decimal | None) -> Decimal | None:
    """A formula's value when every figure it needs is given; None otherwise (never a 0 for it)."""
    if any(v is None for v in values):
        return None
    return formula(*values)


def _sources_total(sources: Sources | None) -> Decimal | None:
    if sources is None:
        return None
    return _sum_if_any(
        [
            sources.一般公共预算财政拨款,
            sources.政府性基金预算财政拨款,
            sources.国有资本经营预算财政拨款,
            sources.其他资金,
        ]
    )


def _basic(nature: Nature | None) -> Decimal | None:
    """基本支出 as typed, else 人员经费 + 公用经费 when both are."""
    if nature is None:
        return None
    if nature.基本支出 is not None:
        return nature.基本支出
    return _given(lambda staff, running: staff + running, nature.人员经费, nature.公用经费)


def _income(income: IncomeSources | None) -> tuple[Decimal | None, Decimal | None]:
    """(财政拨款收入, the sum of the sources of income): the appropriation as typed, else its kinds."""
    if income is None:
        return None, None
    kinds = [income.一般公共预算财政拨款收入, income.政府性基金预算财政拨款收入, income.国有资本经营预算财政拨款收入]
    appropriation = income.财政拨款收入 if income.财政拨款收入 is not None else _sum_if_any(kinds)
    others = [income.上级补助收入, income.事业收入, income.经营收入, income.附属单位上缴收入, income.其他收入]
    return appropriation, _sum_if_any([appropriation, *others])


def _first(*values: Decimal | None) -> Decimal | None:
    return next((v for v in values if v is not None), None)


def funds(f: FundsData) -> Funds:
    spent = _first(f.执行数, f.本年支出)
    basic = _basic(f.支出性质)
    project = f.支出性质.项目支出 if f.支出性质 is not None else None
    appropriation, income_total = _income(f.收入来源)
    this_income = _first(f.本年收入, income_total)
    this_spending = _first(f.本年支出, spent)
    opening = None
    if f.年初结转和结余 is None:
        opening = _given(lambda end, got, paid: end - got + paid, f.年末结转和结余, this_income, this_spending)
    result = Funds(
        支出=spent,
        本年收入=this_income,
        基本支出=basic,
        预算完成率=_given(formulas.completion_rate, spent, f.全年预算数),
        年度预算调整数=_given(formulas.adjustment, f.年初预算数, f.全年预算数),
        预算调整率=_given(formulas.adjustment_rate, f.年初预算数, f.全年预算数),
        资金来源合计=_sources_total(f.资金来源),
        支出性质合计=_given(lambda a, b: a + b, basic, project),
        收入来源合计=income_total,
        财政拨款收入=appropriation,
        基本支出占比=_given(formulas.share, basic, spent),
        项目支出占比=_given(formulas.share, project, spent),
        结转结余推算=_given(formulas.year_end_balance, f.年初结转和结余, this_income, this_spending),
        年初结转推算=opening,
    )
    if f.上年 is not None:
        for key in YEAR_ON_YEAR_KEYS:
            previous = getattr(f.上年, key)
            current = result.current(key, f)
            if previous is not None and current is not None:
                result.同比[key] = Change(
                    current, previous, current - previous, formulas.year_on_year(current, previous)
                )
    return result


@dataclass(frozen=True)
class People:
    在职人数: int | None  # typed, else 实有构成's 在职
    编制构成合计: int | None
    实有构成合计: int | None
    在职构成合计: int | None
    在职人员控制率: Decimal | None


ON_POST = ("在职", "在职人员", "在职人数")


def people(s: Staffing) -> People:
    on_post = s.在职人数
    if on_post is None and s.实有构成:
        on_post = next((s.实有构成[k] for k in ON_POST if k in s.实有构成), None)
    return People(
        在职人数=on_post,
        编制构成合计=sum(s.编制构成.values()) if s.编制构成 else None,
        实有构成合计=sum(s.实有构成.values()) if s.实有构成 else None,
        在职构成合计=sum(s.在职构成.values()) if s.在职构成 else None,
        在职人员控制率=(
            formulas.staffing_rate(Decimal(on_post), Decimal(s.编制数))
            if on_post is not None and s.编制数 is not None
            else None
        ),
    )


def project_total(block: ProjectEval, report: Report) -> Decimal | None:
    """The denominator of 项目自评覆盖率: stated in the block, else the report's 项目支出."""
    if block.项目支出总额 is not None:
        return block.项目支出总额
    nature = report.funds.支出性质
    return nature.项目支出 if nature else None


def coverage(block: ProjectEval, report: Report) -> Decimal | None:
    whole = project_total(block, report)
    return formulas.coverage_rate(block.涉及资金, whole) if whole is not None else None


def score(report: Report, sheet: ScoreSheet) -> Score:
    """The department's self-evaluation score from its own 绩效指标 (never a project's) and its
    预算完成率; where the inputs for a part are missing, the figures the unit stated for it."""
    data = report.funds
    return scoring.score(
        report.绩效指标 or [],
        funds(data).预算完成率,
        sheet,
        stated_rate=data.预算完成率,
        stated_budget_score=data.执行率得分,
        typed=report.自评得分,
        typed_grade=report.自评等级,
    )


def quoted_score(
    indicators: list[Indicator] | None, typed: Decimal | None, budget: BudgetPart, sheet: ScoreSheet, computed: Score
) -> Score | None:
    """The score a document may print: from the indicators, else the typed one (which validation
    reports as not computed), else none at all."""
    if indicators:
        return computed
    if typed is not None:
        return Score(sheet, budget, typed=typed, typed_grade=computed.typed_grade, by_indicators=False)
    return None


def department_quote(report: Report, sheet: ScoreSheet) -> Score | None:
    result = score(report, sheet)
    return quoted_score(report.绩效指标, report.自评得分, result.budget, sheet, result)


def project_quote(project: KeyProject, sheet: ScoreSheet) -> Score | None:
    result = project_score(project, sheet)
    return quoted_score(project.绩效指标, project.自评得分, result.budget, sheet, result)


def _project_rate(project: KeyProject) -> Decimal | None:
    if project.执行数 is None or project.预算数 is None:
        return None
    return formulas.completion_rate(project.执行数, project.预算数)


def project_score(project: KeyProject, sheet: ScoreSheet) -> Score:
    """A key project's score: its own indicators and its own budget execution."""
    return scoring.score(project.绩效指标 or [], _project_rate(project), sheet, typed=project.自评得分)


def find_project(report: Report, name: str) -> KeyProject | None:
    return next((p for p in report.重点项目 or [] if p.名称 == name), None)
