"""Rules on 机构和人员: the breakdowns add up to their totals, staff within the establishment."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic, Path_
from reportgen.figures import derive
from reportgen.input.model import Staffing


def _staffing(ctx: CheckContext) -> tuple[Path_, Staffing] | None:
    found = ctx.report.section("机构和人员")
    if found is None or not isinstance(found[1], Staffing):
        return None
    return found[0], found[1]


@rule("人员", "人数合计")
def headcounts_add_up(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Staff by kind add up to the totals quoted."""
    found = _staffing(ctx)
    if found is None:
        return
    here, s = found
    p = derive.people(s)
    for total_key, parts_key, total, parts in (
        ("编制数", "编制构成", s.编制数, p.编制构成合计),
        ("实有人数", "实有构成", s.实有人数, p.实有构成合计),
        ("在职人数", "在职构成", p.在职人数, p.在职构成合计),
    ):
        if total is not None and parts is not None and total != parts:
            yield ctx.warn(
                (*here, parts_key),
                f"{parts_key}各项合计 {parts} 人，与{total_key} {total} 人不符（相差 {parts - total} 人）",
                "人数合计",
            )
    listed = next((s.实有构成[k] for k in derive.ON_POST if s.实有构成 and k in s.实有构成), None)
    if s.在职人数 is not None and listed is not None and listed != s.在职人数:
        yield ctx.warn(
            (*here, "在职人数"),
            f"在职人数 {s.在职人数} 人，与「实有构成」中的在职 {listed} 人不符",
            "人数合计",
        )
    if p.在职人数 is not None and s.实有人数 is not None and p.在职人数 > s.实有人数:
        yield ctx.warn(
            (*here, "在职人数" if s.在职人数 is not None else "实有构成"),
            f"在职人数 {p.在职人数} 人超过实有人数 {s.实有人数} 人（实有人数含在职和离退休等）",
            "人数合计",
        )


@rule("人员", "超编")
def within_establishment(ctx: CheckContext) -> Iterator[Diagnostic]:
    """More staff in post than the establishment allows needs a reason."""
    found = _staffing(ctx)
    if found is None:
        return
    here, s = found
    p = derive.people(s)
    if p.在职人数 is None or s.编制数 is None:
        return
    if p.在职人数 > s.编制数 and not s.说明:
        yield ctx.warn(
            (*here, "在职人数" if s.在职人数 is not None else "实有构成"),
            f"在职人数 {p.在职人数} 人超过编制数 {s.编制数} 人（在职人员控制率 {ctx.fmt.rate(p.在职人员控制率)}）："
            "请核对，或在「说明」中写明原因",
            "超编",
        )


@rule("人员", "在职人员控制率")
def typed_staffing_rate(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A typed 在职人员控制率 against 在职人数 ÷ 编制数."""
    found = _staffing(ctx)
    if found is None or found[1].在职人员控制率 is None:
        return
    here, s = found
    typed: Decimal = s.在职人员控制率  # type: ignore[assignment]
    computed = derive.people(s).在职人员控制率
    if computed is None:
        yield ctx.warn(
            (*here, "在职人员控制率"),
            "填写了在职人员控制率，但缺少计算它所需的数字（在职人数 ÷ 编制数）",
            "在职人员控制率",
        )
    else:
        formula = "在职人数 ÷ 编制数"
        yield from ctx.typed_rate(
            (*here, "在职人员控制率"), "在职人员控制率", typed, computed, formula, "在职人员控制率"
        )


# Kinds of people that hold no post of the establishment: written under 编制构成 they are a slip.
NOT_ESTABLISHMENT = ("离休", "退休", "离退休", "临聘", "临时", "协管", "外包", "劳务派遣", "编外", "聘用", "遗属")


@rule("人员", "编制构成", "分类超编")
def kinds_of_post(ctx: CheckContext) -> Iterator[Diagnostic]:
    """编制构成 holds kinds of post only (离退休 and 临聘 are people, not posts), and no kind of
    post has more people in post than it has posts."""
    found = _staffing(ctx)
    if found is None:
        return
    here, s = found
    for kind in s.编制构成 or {}:
        word = next((w for w in NOT_ESTABLISHMENT if w in kind), None)
        if word is not None:
            yield ctx.warn(
                (*here, "编制构成", kind),
                f"「编制构成」中的「{kind}」不是编制：{word}人员写在「实有构成」（或「在职构成」）中，"
                "「编制构成」只写行政编制、事业编制、工勤编制等",
                "编制构成",
            )
    if s.说明:
        return
    posts, people = s.编制构成 or {}, s.在职构成 or {}
    for kind, count in people.items():
        post = posts.get(kind, posts.get(kind.removesuffix("人员"), posts.get(f"{kind}编制")))
        if post is not None and count > post:
            yield ctx.warn(
                (*here, "在职构成", kind),
                f"「{kind}」在职 {count} 人，超过该类编制 {post} 人：请核对，或在「说明」中写明原因",
                "分类超编",
            )
