"""Rules on the funds figures: sums that must add up, rates typed by hand, income and balances,
last year's figures.  Each rule runs only when the figures it needs are written."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic
from reportgen.input.model import YEAR_ON_YEAR_KEYS


def _spent_word(ctx: CheckContext) -> str:
    return "执行数" if ctx.funds.执行数 is not None else "本年支出"


@rule("收支", "资金来源合计")
def sources_add_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The four sources of the money spent add up to what was spent."""
    total, spent = ctx.derived.资金来源合计, ctx.derived.支出
    if total is not None and spent is not None and total != spent:
        yield ctx.warn(
            ctx.at_funds("资金来源"),
            f"按资金来源分的支出合计 {ctx.money(total)} 万元，与{_spent_word(ctx)} {ctx.money(spent)} 万元不符"
            f"（相差 {ctx.money(total - spent)} 万元）",
            "资金来源合计",
        )


@rule("收支", "支出性质合计", "基本支出构成")
def nature_adds_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Basic and project spending (or staff, running and project costs) add up to what was spent."""
    n = ctx.funds.支出性质
    if n is None:
        return
    total, spent = ctx.derived.支出性质合计, ctx.derived.支出
    if total is not None and spent is not None and total != spent:
        parts = "基本支出与项目支出" if n.基本支出 is not None else "人员经费、公用经费与项目支出"
        yield ctx.warn(
            ctx.at_funds("支出性质"),
            f"{parts}合计 {ctx.money(total)} 万元，与{_spent_word(ctx)} {ctx.money(spent)} 万元不符"
            f"（相差 {ctx.money(total - spent)} 万元）",
            "支出性质合计",
        )
    if n.人员经费 is not None and n.公用经费 is not None and n.基本支出 is not None:
        basic = n.人员经费 + n.公用经费
        if basic != n.基本支出:
            yield ctx.warn(
                ctx.at_funds("支出性质", "基本支出"),
                f"人员经费与公用经费合计 {ctx.money(basic)} 万元，与基本支出 {ctx.money(n.基本支出)} 万元不符",
                "基本支出构成",
            )
    if n.基本支出 is None and (n.人员经费 is None) != (n.公用经费 is None):
        given, absent = ("人员经费", "公用经费") if n.人员经费 is not None else ("公用经费", "人员经费")
        yield ctx.warn(
            ctx.at_funds("支出性质", given),
            f"只填了{given}，没有{absent}，也没有基本支出：请补填{absent}或基本支出，以便核对支出合计",
            "基本支出构成",
        )


@rule("收支", "收入来源合计", "财政拨款收入构成")
def income_adds_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The sources of income add up to the year's income, and the appropriations to their parts."""
    income = ctx.funds.收入来源
    if income is None:
        return
    total = ctx.derived.收入来源合计
    if ctx.funds.本年收入 is not None and total is not None and total != ctx.funds.本年收入:
        yield ctx.warn(
            ctx.at_funds("收入来源"),
            f"按来源分的收入合计 {ctx.money(total)} 万元，与本年收入 {ctx.money(ctx.funds.本年收入)} 万元不符"
            f"（相差 {ctx.money(total - ctx.funds.本年收入)} 万元）",
            "收入来源合计",
        )
    kinds = [
        income.一般公共预算财政拨款收入,
        income.政府性基金预算财政拨款收入,
        income.国有资本经营预算财政拨款收入,
    ]
    if income.财政拨款收入 is not None and any(k is not None for k in kinds):
        parts = sum((k for k in kinds if k is not None), Decimal(0))
        if parts != income.财政拨款收入:
            yield ctx.warn(
                ctx.at_funds("收入来源", "财政拨款收入"),
                f"财政拨款收入 {ctx.money(income.财政拨款收入)} 万元，与其中一般公共预算、政府性基金、"
                f"国有资本经营预算财政拨款收入之和 {ctx.money(parts)} 万元不符",
                "财政拨款收入构成",
            )


@rule("收支", "本年支出", "总收支")
def spending_matches(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The spending quoted twice (本年支出 and 执行数; 总收入 and 总支出) is the same figure."""
    f = ctx.funds
    if f.本年支出 is not None and f.执行数 is not None and f.本年支出 != f.执行数:
        yield ctx.warn(
            ctx.at_funds("本年支出"),
            f"本年支出 {ctx.money(f.本年支出)} 万元与执行数 {ctx.money(f.执行数)} 万元不符",
            "本年支出",
        )
    if f.总收入 is not None and f.总支出 is not None and f.总收入 != f.总支出:
        yield ctx.warn(
            ctx.at_funds("总支出"),
            f"总支出 {ctx.money(f.总支出)} 万元与总收入 {ctx.money(f.总收入)} 万元不符（决算中两者应相等，含结转结余）",
            "总收支",
        )


@rule("收支", "结转结余", "收支平衡", "年初结转推算")
def balance(ctx: CheckContext) -> Iterator[Diagnostic]:
    """年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余, and what follows when 年初 is missing."""
    f, d = ctx.funds, ctx.derived
    income = d.本年收入
    spending = f.本年支出 if f.本年支出 is not None else d.支出
    if d.结转结余推算 is not None and f.年末结转和结余 is not None:
        if d.结转结余推算 != f.年末结转和结余:
            yield ctx.warn(
                ctx.at_funds("年末结转和结余"),
                f"年末结转和结余 {ctx.money(f.年末结转和结余)} 万元，与 年初结转和结余 + 本年收入 − 本年支出"
                f" = {ctx.money(d.结转结余推算)} 万元不符",
                "结转结余",
            )
        return
    if f.年初结转和结余 is not None or income is None or spending is None or f.说明:
        return
    opening = d.年初结转推算
    if opening is not None and opening < 0:
        yield ctx.warn(
            ctx.at_funds("年末结转和结余"),
            f"按 年末结转和结余 − 本年收入 + 本年支出 推算，年初结转和结余为 {ctx.money(opening)} 万元，是负数："
            "请核对本年收入、本年支出和年末结转和结余",
            "年初结转推算",
        )
    elif spending > income:
        implied = f"（按年末结转和结余推算应为 {ctx.money(opening)} 万元）" if opening is not None else ""
        yield ctx.warn(
            ctx.at_funds("本年收入" if f.本年收入 is not None else "收入来源"),
            f"本年支出 {ctx.money(spending)} 万元超过本年收入 {ctx.money(income)} 万元，"
            f"但没有填写「年初结转和结余」{implied}：超出部分应来自以前年度结转，请填写年初结转和结余，或核对收支数",
            "收支平衡",
        )


@rule("收支", "结转结余")
def year_end_against_budget(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Without income figures, the year-end balance can only be compared with the unspent budget."""
    f, d = ctx.funds, ctx.derived
    if f.年末结转和结余 is None or d.本年收入 is not None or f.说明:
        return
    if f.全年预算数 is None or d.支出 is None:
        return
    gap = f.全年预算数 - d.支出
    if gap != f.年末结转和结余:
        yield ctx.warn(
            ctx.at_funds("年末结转和结余"),
            f"年末结转和结余 {ctx.money(f.年末结转和结余)} 万元，与 全年预算数 − 执行数 = {ctx.money(gap)} 万元不同；"
            "若差额来自以前年度结转，请填写「年初结转和结余」「本年收入」以便核对，或在「说明」中注明",
            "结转结余",
        )


@rule("收支", "预算完成率", "预算调整率")
def typed_rates(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A rate typed by hand against the one computed from the figures."""
    f, d = ctx.funds, ctx.derived
    for key, typed, computed, formula in (
        ("预算完成率", f.预算完成率, d.预算完成率, "执行数 ÷ 全年预算数"),
        ("预算调整率", f.预算调整率, d.预算调整率, "（年初预算数 − 全年预算数）÷ 年初预算数"),
    ):
        if typed is None:
            continue
        if computed is None and key == "预算完成率" and ctx.report.绩效指标:
            continue  # scored as the unit stated it: the score's own warning says so
        if computed is None:
            hint = f"；{typed}% 看起来写成了小数，百分比请写 {(typed * 100).normalize():f}" if 0 < typed < 2 else ""
            yield ctx.warn(ctx.at_funds(key), f"填写了{key}，但缺少计算它所需的数字（{formula}）{hint}", key)
        elif key == "预算调整率" and typed > 0 and ctx.fmt.same_at_precision(typed, abs(computed)):
            continue  # the size of the change, written without its sign, as most reports print it
        else:
            if key == "预算调整率":
                formula += "，调减为正、调增为负；也可只写调整幅度（正数）"
            yield from ctx.typed_rate(ctx.at_funds(key), key, typed, computed, formula, key)


@rule("收支", "完成率过高", "完成率偏低", "调整率过高")
def plausible_rates(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Rates the bureau asks a reason for: completion over 100% or under 90%, adjustment over 30%."""
    if ctx.funds.说明:
        return
    d = ctx.derived
    rate = d.预算完成率
    if rate is not None and rate > 100:
        yield ctx.warn(
            ctx.at_funds("执行数"),
            f"预算完成率 {ctx.fmt.rate(rate)} 超过 100%：请核对，或在「说明」中写明原因",
            "完成率过高",
        )
    elif rate is not None and rate < 90:
        yield ctx.warn(
            ctx.at_funds("执行数"),
            f"预算完成率 {ctx.fmt.rate(rate)} 低于 90%：通常需要在「说明」中写明原因",
            "完成率偏低",
        )
    if d.预算调整率 is not None and abs(d.预算调整率) > 30:
        way = "调减" if d.预算调整率 > 0 else "调增"  # 年初 − 全年 > 0: the budget was cut
        yield ctx.warn(
            ctx.at_funds("年初预算数"),
            f"预算调整幅度 {ctx.fmt.rate(abs(d.预算调整率))}（{way}）超过 30%：通常需要在「说明」中写明原因",
            "调整率过高",
        )


@rule("收支", "同比")
def year_on_year(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Last year's figures have this year's to compare with; a typed change against the computed one."""
    f, d = ctx.funds, ctx.derived
    for key in YEAR_ON_YEAR_KEYS:
        previous = getattr(f.上年, key) if f.上年 is not None else None
        typed = getattr(f.同比, key) if f.同比 is not None else None
        change = d.同比.get(key)
        if previous is not None and change is None:
            yield ctx.warn(ctx.at_funds("上年", key), f"填写了上年的{key}，但没有本年的{key}，无法计算同比", "同比")
        if typed is None:
            continue
        if change is None:
            yield ctx.warn(
                ctx.at_funds("同比", key),
                f"填写了{key}的同比，但缺少本年或上年的{key}（增减率 =（本年 − 上年）÷ 上年）",
                "同比",
            )
        elif change.rate is None:
            yield ctx.warn(ctx.at_funds("同比", key), f"上年的{key}为 0，无法计算增减率", "同比")
        else:
            formula = "（本年 − 上年）÷ 上年"
            yield from ctx.typed_rate(ctx.at_funds("同比", key), f"{key}同比", typed, change.rate, formula, "同比")


@rule("收支", "上年合计")
def last_year_adds_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Last year's breakdown against last year's totals, as this year's is checked."""
    last = ctx.funds.上年
    if last is None:
        return
    basic = last.基本支出
    if last.人员经费 is not None and last.公用经费 is not None:
        parts = last.人员经费 + last.公用经费
        if basic is not None and parts != basic:
            yield ctx.warn(
                ctx.at_funds("上年", "基本支出"),
                f"上年人员经费与公用经费合计 {ctx.money(parts)} 万元，与上年基本支出 {ctx.money(basic)} 万元不符",
                "上年合计",
            )
        basic = basic if basic is not None else parts
    spent = last.执行数 if last.执行数 is not None else last.本年支出
    if basic is not None and last.项目支出 is not None and spent is not None and basic + last.项目支出 != spent:
        word = "执行数" if last.执行数 is not None else "本年支出"
        yield ctx.warn(
            ctx.at_funds("上年", word),
            f"上年基本支出（或人员经费与公用经费）与项目支出合计 {ctx.money(basic + last.项目支出)} 万元，"
            f"与上年{word} {ctx.money(spent)} 万元不符",
            "上年合计",
        )


@rule("收支", "分来源预算合计")
def source_budgets_add_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The 自评表's rows by source against the totals, and each source's spending against
    资金来源 where both are written."""
    funds = ctx.funds
    by_source = funds.分来源预算 if funds is not None else None
    if funds is None or by_source is None:
        return
    rows = [(name, getattr(by_source, name)) for name in type(by_source).model_fields]
    rows = [(name, row) for name, row in rows if row is not None]
    totals = {"年初预算数": funds.年初预算数, "全年预算数": funds.全年预算数, "执行数": ctx.derived.支出}
    for figure, total in totals.items():
        values = [getattr(row, figure) for _, row in rows]
        if total is None or not values or any(v is None for v in values):
            continue
        added = sum(values, Decimal(0))
        if added != total:
            yield ctx.warn(
                ctx.at_funds("分来源预算"),
                f"各资金来源的{figure}合计 {ctx.money(added)} 万元，与{figure} {ctx.money(total)} 万元不符"
                f"（相差 {ctx.money(added - total)} 万元）",
                "分来源预算合计",
            )
    spent = funds.资金来源
    for name, row in rows:
        typed = getattr(spent, name) if spent is not None else None
        if row.执行数 is not None and typed is not None and row.执行数 != typed:
            yield ctx.warn(
                ctx.at_funds("分来源预算", name, "执行数"),
                f"「{name}」的执行数 {ctx.money(row.执行数)} 万元，与「资金来源」中的 {ctx.money(typed)} 万元不符",
                "分来源预算合计",
            )
