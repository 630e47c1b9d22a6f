"""Arithmetic and plausibility rules (DOMAIN.md): each yields warnings that point at a line.

Hand-written reports contain sums that do not add up and rates retyped from a calculator; these
rules find them.  They warn rather than fail: the officer may have a reason, and the figures in
a published report are sometimes reproduced as they stood.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.figures import derive
from reportgen.figures.numbers import NumberFormat, agrees_as_typed
from reportgen.figures.scoring import ScoreSheet
from reportgen.input.diagnostics import Diagnostic, Level, Path_
from reportgen.input.loader import Loaded
from reportgen.input.model import Block, Funds, Report

FUNDS: Path_ = ("基本情况", "部门整体收支情况")


@dataclass
class CheckContext:
    report: Report
    loaded: Loaded
    fmt: NumberFormat
    outline: dict[str, list[str]]
    sheet: ScoreSheet

    @functools.cached_property
    def derived(self) -> derive.Funds:
        """The funds figures, computed once for all the rules."""
        return derive.funds(self.report.基本情况.部门整体收支情况)

    def warn(self, path: Path_, message: str, rule: str) -> Diagnostic:
        line, column = self.loaded.position(path, key=True)
        return Diagnostic(self.loaded.file, line, column, Level.WARNING, message, path, rule)


Rule = Callable[[CheckContext], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def _m(ctx: CheckContext, value: Decimal | None) -> str:
    return NumberFormat(money_places=2, thousands=ctx.fmt.thousands).money(value)


def _funds(ctx: CheckContext) -> Funds:
    return ctx.report.基本情况.部门整体收支情况


@rule
def sources_add_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    total = ctx.derived.资金来源合计
    if total is not None and total != f.执行数:
        yield ctx.warn(
            (*FUNDS, "资金来源"),
            f"按资金来源分的支出合计 {_m(ctx, total)} 万元，与执行数 {_m(ctx, f.执行数)} 万元不符"
            f"（相差 {_m(ctx, total - f.执行数)} 万元）",
            "资金来源合计",
        )


@rule
def nature_adds_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    total = ctx.derived.支出性质合计
    if total is not None and total != f.执行数:
        yield ctx.warn(
            (*FUNDS, "支出性质"),
            f"基本支出与项目支出合计 {_m(ctx, total)} 万元，与执行数 {_m(ctx, f.执行数)} 万元不符"
            f"（相差 {_m(ctx, total - f.执行数)} 万元）",
            "支出性质合计",
        )
    n = f.支出性质
    if n and n.人员经费 is not None and n.公用经费 is not None and n.基本支出 is not None:
        basic = n.人员经费 + n.公用经费
        if basic != n.基本支出:
            yield ctx.warn(
                (*FUNDS, "支出性质", "基本支出"),
                f"人员经费与公用经费合计 {_m(ctx, basic)} 万元，与基本支出 {_m(ctx, n.基本支出)} 万元不符",
                "基本支出构成",
            )


@rule
def spending_matches(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    if f.本年支出 is not None and f.本年支出 != f.执行数:
        yield ctx.warn(
            (*FUNDS, "本年支出"),
            f"本年支出 {_m(ctx, f.本年支出)} 万元与执行数 {_m(ctx, f.执行数)} 万元不符",
            "本年支出",
        )
    if f.总收入 is not None and f.总支出 is not None and f.总收入 != f.总支出:
        yield ctx.warn(
            (*FUNDS, "总支出"),
            f"总支出 {_m(ctx, f.总支出)} 万元与总收入 {_m(ctx, f.总收入)} 万元不符（决算中两者应相等，含结转结余）",
            "总收支",
        )


@rule
def typed_rates(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    d = ctx.derived
    for key, typed, computed, formula in (
        ("预算完成率", f.预算完成率, d.预算完成率, "执行数 ÷ 全年预算数"),
        ("预算调整率", f.预算调整率, d.预算调整率, "（年初预算数 − 全年预算数）÷ 年初预算数"),
    ):
        if typed is None:
            continue
        if computed is None:
            yield ctx.warn((*FUNDS, key), f"填写了{key}，但缺少计算它所需的数字（{formula}）", key)
        elif not ctx.fmt.same_at_precision(typed, computed):
            yield ctx.warn(
                (*FUNDS, key),
                f"手填的{key} {typed}% 与计算值 {ctx.fmt.rate(computed)}（{formula}）不符",
                key,
            )


@rule
def plausible_rates(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    if f.说明:
        return
    d = ctx.derived
    rate = d.预算完成率
    if rate is not None and rate > 100:
        yield ctx.warn(
            (*FUNDS, "执行数"),
            f"预算完成率 {ctx.fmt.rate(rate)} 超过 100%：请核对，或在「说明」中写明原因",
            "完成率过高",
        )
    elif rate is not None and rate < 90:
        yield ctx.warn(
            (*FUNDS, "执行数"),
            f"预算完成率 {ctx.fmt.rate(rate)} 低于 90%：通常需要在「说明」中写明原因",
            "完成率偏低",
        )
    if d.预算调整率 is not None and abs(d.预算调整率) > 30:
        yield ctx.warn(
            (*FUNDS, "年初预算数"),
            f"预算调整率 {ctx.fmt.rate(d.预算调整率)} 超过 30%：通常需要在「说明」中写明原因",
            "调整率过高",
        )


@rule
def year_end_balance(ctx: CheckContext) -> Iterator[Diagnostic]:
    f = _funds(ctx)
    if f.年末结转和结余 is None:
        return
    d = ctx.derived
    if d.结转结余推算 is not None:
        if d.结转结余推算 != f.年末结转和结余:
            yield ctx.warn(
                (*FUNDS, "年末结转和结余"),
                f"年末结转和结余 {_m(ctx, f.年末结转和结余)} 万元，与 年初结转和结余 + 本年收入 − 本年支出"
                f" = {_m(ctx, d.结转结余推算)} 万元不符",
                "结转结余",
            )
        return
    if f.说明:
        return
    gap = f.全年预算数 - f.执行数
    if gap != f.年末结转和结余:
        yield ctx.warn(
            (*FUNDS, "年末结转和结余"),
            f"年末结转和结余 {_m(ctx, f.年末结转和结余)} 万元，与 全年预算数 − 执行数 = {_m(ctx, gap)} 万元不同；"
            "若差额来自以前年度结转，请填写「年初结转和结余」「本年收入」以便核对，或在「说明」中注明",
            "结转结余",
        )


def _blocks(ctx: CheckContext) -> Iterator[tuple[Path_, Block]]:
    for key, part in ctx.report.parts():
        for i, block in enumerate(part.内容):
            yield (key, i), block
        for skey, section in part.sections():
            for i, block in enumerate(section.内容):
                yield (key, skey, "内容", i), block


@rule
def project_coverage(ctx: CheckContext) -> Iterator[Diagnostic]:
    for path, block in _blocks(ctx):
        item = block.项目自评
        if item is None:
            continue
        here = (*path, "项目自评")
        whole = derive.project_total(item, ctx.report)
        computed = derive.coverage(item, ctx.report)
        if whole is None:
            yield ctx.warn(here, "无法计算覆盖率：请填写「项目支出总额」或「支出性质 › 项目支出」", "覆盖率")
            continue
        if item.涉及资金 > whole:
            yield ctx.warn(
                (*here, "涉及资金"),
                f"自评项目涉及资金 {_m(ctx, item.涉及资金)} 万元超过项目支出总额 {_m(ctx, whole)} 万元",
                "覆盖率",
            )
        if item.覆盖率 is not None and computed is not None and not ctx.fmt.same_at_precision(item.覆盖率, computed):
            yield ctx.warn(
                (*here, "覆盖率"),
                f"手填的覆盖率 {item.覆盖率}% 与计算值 {ctx.fmt.rate(computed)}（涉及资金 ÷ 项目支出总额）不符",
                "覆盖率",
            )


@rule
def section_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A section key that is not in the district's outline but resembles a missing one."""
    for key, part in ctx.report.parts():
        known = ctx.outline.get(key) or []
        present = {k for k, _ in part.sections()}
        absent = [k for k in known if k not in present]
        for skey, _ in part.sections():
            if skey in known:
                continue
            close = difflib.get_close_matches(skey, absent, n=1, cutoff=0.6)
            if close:
                yield ctx.warn(
                    (key, skey),
                    f"「{skey}」不是本模板大纲中的小节，将作为自定义小节印出；是否想写「{close[0]}」？",
                    "小节名称",
                )


@rule
def scores(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Typed scores against the score sheet, and indicators the sheet cannot score."""
    if not ctx.report.绩效指标:
        return
    result = derive.score(ctx.report, ctx.sheet)
    for i, item in enumerate(result.items):
        here: Path_ = ("绩效指标", i)
        if item.problem:
            yield ctx.warn(
                here, f"指标「{item.indicator.三级指标 or item.indicator.二级指标}」{item.problem}", "指标评分"
            )
        typed = item.indicator.得分
        if typed is not None and not agrees_as_typed(typed, item.score):
            yield ctx.warn((*here, "得分"), f"手填的得分 {typed} 与按评分表计算的 {item.score} 不符", "指标评分")
    typed_total = ctx.report.自评得分
    if typed_total is not None and not agrees_as_typed(typed_total, result.total):
        yield ctx.warn(
            ("自评得分",),
            f"手填的自评得分 {typed_total} 与按「{ctx.sheet.name}」计算的 {result.total}（{result.grade}）不符",
            "自评得分",
        )


@rule
def project_scores(ctx: CheckContext) -> Iterator[Diagnostic]:
    for i, project in enumerate(ctx.report.重点项目 or []):
        if not project.绩效指标:
            continue
        result = derive.project_score(project, ctx.sheet)
        typed = project.自评得分
        if typed is not None and not agrees_as_typed(typed, result.total):
            yield ctx.warn(
                ("重点项目", i, "自评得分"),
                f"项目「{project.名称}」手填的自评得分 {typed} 与计算的 {result.total}（{result.grade}）不符",
                "项目得分",
            )
    names = {p.名称 for p in ctx.report.重点项目 or []}
    for path, block in _blocks(ctx):
        if block.项目评分 is not None and block.项目评分.项目 not in names:
            yield ctx.warn((*path, "项目评分"), f"「重点项目」中没有名为「{block.项目评分.项目}」的项目", "项目得分")


@rule
def district_indicators(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Indicators the district's score sheet lists that the file does not report."""
    if not ctx.sheet.indicators or ctx.report.绩效指标 is None:
        return
    present = {i.三级指标 for i in ctx.report.绩效指标}
    for name in ctx.sheet.indicators:
        if name not in present:
            yield ctx.warn(("绩效指标",), f"评分表列出的指标「{name}」没有填写", "评分表指标")


def run(report: Report, loaded: Loaded, fmt: NumberFormat, settings: dict[str, Any]) -> list[Diagnostic]:
    ctx = CheckContext(report, loaded, fmt, settings.get("大纲") or {}, ScoreSheet.from_settings(settings.get("评分")))
    found: list[Diagnostic] = []
    for check in RULES:
        found.extend(check(ctx))
    return found
