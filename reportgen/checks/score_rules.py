"""Rules on scores: a score block prints only what the sheet computes, typed scores agree with
the computed ones, and the indicators cover the score sheet."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic, Path_
from reportgen.figures import derive
from reportgen.figures.numbers import agrees_as_typed
from reportgen.figures.scoring import (
    COMPUTED,
    MISSING,
    STATED,
    ItemScore,
    Score,
    category_of,
    looks_like_fraction,
    parse_actual,
    parse_target,
    sheet_gaps,
    unit_of,
)
from reportgen.input.model import Indicator
from reportgen.template.form_columns import points as points_text

# What is done about a lower-is-better thing is higher-is-better: 投诉办结率, 事故隐患整改率, 发案下降率.
HANDLED = (
    "办结", "处理", "处置", "解决", "回复", "答复", "整改", "化解", "调处", "查处", "结案", "破案", "下降", "减少",
    "降低", "满意", "知晓", "覆盖", "及时", "受理", "挽回",
)  # fmt: skip


def _sheet(ctx: CheckContext) -> str:
    return f"按「{ctx.sheet.name}」" if ctx.sheet.name else "按评分表"


@rule("评分", "评分依据")
def score_blocks(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Only a computed score, or one the author typed and is told is not computed, is printed
    (in the report's text: a form alone leaves an empty cell empty)."""
    if "报告" not in ctx.kinds:
        return
    report = ctx.report
    for path, block in ctx.blocks():
        if block.评分 is not None and not report.绩效指标:
            here = (*path, "评分")
            if block.评分 == "结论" and report.自评得分 is not None:
                yield ctx.warn(
                    here,
                    f"没有「绩效指标」，自评得分未经计算：印出手填的 {report.自评得分} 分，等级按评分表的分档",
                    "评分依据",
                )
            elif block.评分 == "结论":
                yield ctx.error(
                    here,
                    "没有「绩效指标」，无法计算自评得分：请在「绩效指标」中列出部门的指标"
                    "（重点项目的指标不计入部门得分），或填写手算的「自评得分」",
                    "评分依据",
                )
            else:
                yield ctx.error(here, "没有「绩效指标」，无法印出评分表：请在「绩效指标」中列出部门的指标", "评分依据")
        elif block.评分 == "结论" and derive.score(report, ctx.sheet).total is None:
            yield ctx.error(
                (*path, "评分"),
                "自评得分无法计算（有指标或预算执行率没有得分，见「绩效指标」处的提示），也没有手填的「自评得分」："
                "请补上缺的数字，或填写单位自评的得分",
                "评分依据",
            )
        quoted = block.项目评分
        if quoted is None:
            continue
        project = derive.find_project(report, quoted.项目)
        if project is None or project.绩效指标:
            continue
        here = (*path, "项目评分")
        if quoted.形式 == "结论" and project.自评得分 is not None:
            yield ctx.warn(
                here,
                f"项目「{project.名称}」没有「绩效指标」，得分未经计算：印出手填的 {project.自评得分} 分",
                "评分依据",
            )
        else:
            what = "得分" if quoted.形式 == "结论" else "评分表"
            yield ctx.error(
                here,
                f"项目「{project.名称}」没有「绩效指标」，无法印出{what}：请在该项目下列出「绩效指标」"
                + ("，或填写手算的「自评得分」" if quoted.形式 == "结论" else ""),
                "评分依据",
            )


def _item_problems(ctx: CheckContext, result: Score, at: Path_, prefix: str = "") -> Iterator[Diagnostic]:
    for i, item in enumerate(result.items):
        here = (*at, i)
        name = item.indicator.三级指标 or item.indicator.二级指标
        typed = item.indicator.得分
        if item.source == STATED:
            yield ctx.warn(
                (*here, "得分"),
                f"{prefix}指标「{name}」的得分 {typed} 是手填的，未经计算：{item.problem}",
                "未经计算",
            )
            continue
        if item.source == MISSING:
            yield ctx.warn(
                here,
                f"{prefix}指标「{name}」没有得分：{item.problem}，也没有手填的「得分」；自评表中这一格空着，总分无法计算",
                "无法计分",
            )
            continue
        if item.problem:
            yield ctx.warn(here, f"{prefix}指标「{name}」{item.problem}", "指标评分")
        if typed is not None and item.score is not None and _full_marks_unmet(item, typed):
            yield ctx.warn(
                (*here, "得分"),
                f"{prefix}指标「{name}」未达到年度指标值（完成率 {ctx.fmt.rate(item.completion)}），"
                f"手填的得分却是满分 {typed}：未完成的定量指标按完成比例计分（自评表印 {item.score}），"
                "并写明「偏差原因」",
                "满分未完成",
            )
        elif typed is not None and item.score is not None and not agrees_as_typed(typed, item.score):
            yield ctx.warn(
                (*here, "得分"),
                f"{prefix}指标「{name}」手填的得分 {typed} 与按评分表计算的 {item.score} 不符，自评表印 {item.score}",
                "指标评分",
            )


def _typed_budget_score(
    ctx: CheckContext, typed: Decimal, rate: Decimal, score: Decimal, source: str
) -> Iterator[Diagnostic]:
    """执行率得分 typed beside a rate that scores the row: the rate's points are printed."""
    if not agrees_as_typed(typed, score):
        basis = "按执行率" if source == COMPUTED else "按手填的执行率"
        yield ctx.warn(
            ctx.at_funds("执行率得分"),
            f"手填的执行率得分 {typed} 与{basis} {ctx.fmt.rate(rate)} 计算的 {score} 不符，"
            f"自评表印 {score}：请删去「执行率得分」或核对",
            "执行率得分",
        )


def _budget_part(ctx: CheckContext, result: Score, at: Path_, prefix: str = "") -> Iterator[Diagnostic]:
    """The budget row's points when 全年预算数 or 执行数 is missing: the unit's rate or points,
    said to be its own; with neither, said to be missing."""
    budget = result.budget
    typed = None if prefix else ctx.funds.执行率得分
    if typed is not None and budget.rate is not None and budget.score is not None:
        yield from _typed_budget_score(ctx, typed, budget.rate, budget.score, budget.source)
    if budget.source == COMPUTED:
        return
    why = "缺少全年预算数或执行数"
    weight = points_text(result.sheet.budget_points)
    if budget.source == STATED and budget.rate is not None:
        message = (
            f"{prefix}预算执行率按手填的执行率 {budget.rate}% 计分（{weight} 分得 {budget.score}），未经计算：{why}"
        )
        yield ctx.warn(ctx.at_funds("预算完成率") if not prefix else at, message, "未经计算")
    elif budget.source == STATED:
        message = f"{prefix}预算执行率的得分 {budget.score} 是手填的，未经计算：{why}"
        typed = None if prefix else ctx.funds.预算完成率
        if typed is not None and looks_like_fraction(typed):
            percent = (typed * 100).normalize()
            message += f"；手填的预算完成率 {typed} 看起来把百分比写成了小数，未用：百分比请写 {percent:f}"
        yield ctx.warn(ctx.at_funds("执行率得分") if not prefix else at, message, "未经计算")
    elif not prefix and ctx.funds.预算完成率 is not None and looks_like_fraction(ctx.funds.预算完成率):
        typed = ctx.funds.预算完成率
        message = (
            f"手填的预算完成率 {typed} 看起来把百分比写成了小数，未计分：{why}，百分比请写 "
            f"{(typed * 100).normalize():f}；自评表中执行率和得分空着，总分无法计算"
        )
        yield ctx.warn(ctx.at_funds("预算完成率"), message, "无法计分")
    else:
        message = (
            f"{prefix}预算执行率（{weight} 分）无法计分：{why}，也没有手填的「预算完成率」或「执行率得分」；"
            "自评表中这一格空着，总分无法计算"
        )
        yield ctx.warn(ctx.funds_path if not prefix else at, message, "无法计分")


def _total(ctx: CheckContext, result: Score, at: Path_, prefix: str = "") -> Iterator[Diagnostic]:
    """What the total printed is: computed, partly the unit's figures, the unit's own, or none."""
    if result.computed:
        return
    if result.summed is not None:
        yield ctx.warn(
            at,
            f"{prefix}总分 {result.summed} 分中有手填、未经计算的部分（见上面的提示），自评表和报告照印",
            "未经计算",
        )
    elif result.typed is not None:
        yield ctx.warn(
            at,
            f"{prefix}总分无法计算（有部分没有得分），印出手填的自评得分 {result.typed} 分，未经计算",
            "未经计算",
        )
    else:
        yield ctx.warn(
            at,
            f"{prefix}总分无法计算（有部分没有得分），也没有手填的「自评得分」：自评表的总分和等级空着，"
            "报告中不能引用得分",
            "无法计分",
        )


def _full_marks_unmet(item: ItemScore, typed: Decimal) -> bool:
    """A quantitative indicator short of its target, typed at its full points."""
    if item.completion is None or item.completion >= 100 or item.points <= 0:
        return False
    ind = item.indicator
    quantitative = (
        parse_target(ind.年度指标值, ind.方向).direction != "定性" and parse_actual(ind.实际完成值) is not None
    )
    return quantitative and typed >= item.points


def _typed_grade(ctx: CheckContext, total: Decimal) -> Iterator[Diagnostic]:
    typed = ctx.report.自评等级
    if typed is not None and typed.strip() != ctx.sheet.grade(total):
        bands = "、".join(f"{g} ≥ {t.normalize():f}" for t, g in ctx.sheet.grades)
        yield ctx.warn(
            ("自评等级",),
            f"手填的自评等级“{typed}”与得分 {ctx.fmt.score(total)} 分按评分表分档的“{ctx.sheet.grade(total)}”不符"
            f"（{bands}）",
            "自评等级",
        )


def _printed_grade(ctx: CheckContext, total: Decimal, at: Path_, prefix: str = "") -> Iterator[Diagnostic]:
    """A total rounded for print must not read as another grade than the one it was given."""
    printed = Decimal(ctx.fmt.score(total))
    if ctx.sheet.grade(printed) != ctx.sheet.grade(total):
        yield ctx.warn(
            at,
            f"{prefix}自评得分 {total} 分印作 {printed} 分，等级却按 {total} 分评为“{ctx.sheet.grade(total)}”，"
            "读起来自相矛盾：请把「得分小数位」设为 2，或核对得分",
            "得分与等级",
        )


@rule("评分", "自评得分", "指标评分", "满分未完成", "自评等级", "得分与等级", "未经计算", "无法计分", "执行率得分")
def scores(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Typed scores against the score sheet, parts the sheet cannot score (stated by the unit, or
    missing), and a total whose printed figure reads as another grade."""
    report = ctx.report
    if report.绩效指标:
        result = derive.score(report, ctx.sheet)
        yield from _budget_part(ctx, result, ("绩效指标",))
        yield from _item_problems(ctx, result, ("绩效指标",))
        yield from _total(ctx, result, ("自评得分",) if report.自评得分 is not None else ("绩效指标",))
        typed_total, summed = report.自评得分, result.summed
        if typed_total is not None and summed is not None and not agrees_as_typed(typed_total, summed):
            yield ctx.warn(
                ("自评得分",),
                f"手填的自评得分 {typed_total} 与{_sheet(ctx)}计算的 {summed}（{ctx.sheet.grade(summed)}）不符",
                "自评得分",
            )
        if result.total is not None:
            yield from _printed_grade(ctx, result.total, ("绩效指标",))
            yield from _typed_grade(ctx, result.total)
    elif report.自评得分 is not None:
        yield from _printed_grade(ctx, report.自评得分, ("自评得分",))
        yield from _typed_grade(ctx, report.自评得分)
    for i, project in enumerate(report.重点项目 or []):
        if project.绩效指标:
            result = derive.project_score(project, ctx.sheet)
            prefix = f"项目「{project.名称}」："
            at = ("重点项目", i, "绩效指标")
            yield from _budget_part(ctx, result, ("重点项目", i), prefix)
            yield from _item_problems(ctx, result, at, prefix)
            yield from _total(ctx, result, at, prefix)
            if result.total is not None:
                yield from _printed_grade(ctx, result.total, at, prefix)


@rule("评分", "评分表覆盖")
def sheet_coverage(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The indicators against the score sheet: every category present, none over its weight,
    full marks equal to the sheet's total."""
    if ctx.report.绩效指标:
        for gap in sheet_gaps(derive.score(ctx.report, ctx.sheet)):
            yield ctx.warn(("绩效指标",), gap, "评分表覆盖")
    for i, project in enumerate(ctx.report.重点项目 or []):
        if project.绩效指标:
            for gap in sheet_gaps(derive.project_score(project, ctx.sheet)):
                yield ctx.warn(("重点项目", i, "绩效指标"), f"项目「{project.名称}」：{gap}", "评分表覆盖")


@rule("评分", "项目得分")
def project_scores(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A key project's score, as the department's, and the projects a block quotes exist."""
    for i, project in enumerate(ctx.report.重点项目 or []):
        if not project.绩效指标:
            continue
        result = derive.project_score(project, ctx.sheet)
        typed, summed = project.自评得分, result.summed
        if typed is not None and summed is not None and not agrees_as_typed(typed, summed):
            yield ctx.warn(
                ("重点项目", i, "自评得分"),
                f"项目「{project.名称}」手填的自评得分 {typed} 与计算的 {summed}（{ctx.sheet.grade(summed)}）不符",
                "项目得分",
            )
    names = {p.名称 for p in ctx.report.重点项目 or []}
    for path, block in ctx.blocks():
        if block.项目评分 is not None and block.项目评分.项目 not in names:
            yield ctx.error(
                (*path, "项目评分"),
                f"「重点项目」中没有名为「{block.项目评分.项目}」的项目"
                + (f"；现有：{'、'.join(sorted(names))}" if names else ""),
                "项目得分",
            )


@rule("评分", "评分表指标")
def district_indicators(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Indicators the district's score sheet lists that the file does not report."""
    if not ctx.sheet.indicators or ctx.report.绩效指标 is None:
        return
    present = {i.三级指标 for i in ctx.report.绩效指标}
    for name in ctx.sheet.indicators:
        if name not in present:
            yield ctx.warn(("绩效指标",), f"评分表列出的指标「{name}」没有填写", "评分表指标")


@rule("评分", "方向")
def lower_is_better(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An indicator that usually wants a lower figure (调整率, 投诉率, 事故数…), its target written
    without ≤: scored as higher-is-better it would be scored the wrong way round."""
    lists: list[tuple[Path_, list[Indicator]]] = [(("绩效指标",), ctx.report.绩效指标 or [])]
    lists += [(("重点项目", i, "绩效指标"), p.绩效指标 or []) for i, p in enumerate(ctx.report.重点项目 or [])]
    for at, indicators in lists:
        for i, indicator in enumerate(indicators):
            if indicator.方向 is not None:
                continue
            target = parse_target(indicator.年度指标值)
            rule = ctx.sheet.rule_for(indicator, category_of(indicator, ctx.sheet))
            if target.stated or target.direction != "越大越好" or (rule is not None and rule.direction):
                continue
            name = indicator.三级指标 or indicator.二级指标
            word = next((w for w in ctx.sheet.lower_is_better if w in name), None)
            if word is None or any(w in name for w in HANDLED):
                continue
            value = indicator.年度指标值.strip()
            yield ctx.warn(
                (*at, i, "年度指标值"),
                f"指标「{name}」通常越小越好（{word}），年度指标值「{value}」没有写 ≤，现按越大越好计分："
                f"请写成「≤{value}」，或加「方向: 越小越好」；确是越大越好的，加「方向: 越大越好」不再提示",
                "方向",
            )


# Indicators that restate a figure of the funds: their 实际完成值 against the one computed.
FUNDS_INDICATORS = (
    (("预算执行率", "预算完成率"), "预算完成率", "执行数 ÷ 全年预算数"),
    (("预算调整率",), "预算调整率", "调整幅度 = |年初预算数 − 全年预算数| ÷ 年初预算数"),
)


@rule("评分", "指标与收支")
def funds_indicators(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An indicator named 预算执行率 or 预算调整率 is scored on the value the unit typed: that
    value against the figure the funds give, so a rule on it is not met by a figure typed lower."""
    derived = ctx.derived
    for i, indicator in enumerate(ctx.report.绩效指标 or []):
        name = indicator.三级指标 or indicator.二级指标
        actual = parse_actual(indicator.实际完成值)
        found = next((f[1:] for f in FUNDS_INDICATORS if any(n in name for n in f[0])), None)
        if actual is None or found is None or unit_of(indicator.实际完成值) not in ("%", ""):
            continue
        key, formula = found
        computed = getattr(derived, key)
        if computed is None:
            continue
        if key == "预算调整率":
            computed = abs(computed)
        if not ctx.fmt.same_at_precision(actual, computed):
            yield ctx.warn(
                ("绩效指标", i, "实际完成值"),
                f"指标「{name}」的实际完成值 {(indicator.实际完成值 or '').strip()} 与按收支数字计算的 "
                f"{ctx.fmt.rate(computed)}（{formula}）不符，得分按手填的值计算：请核对",
                "指标与收支",
            )
