"""Rules on the outline: a section that looks like a misspelt standard one, and blocks that
quote what the file does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from reportgen.checks.registry import CheckContext, rule
from reportgen.figures import derive
from reportgen.input.diagnostics import Diagnostic
from reportgen.input.model import FIGURE_SECTIONS


@rule
def section_names(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A section key that is not in the template's outline but resembles a missing one.  A section
    with its own 标题 is the author's on purpose and never warned about."""
    for key, part in ctx.report.parts():
        known = ctx.outline.get(key) or []
        present = {k for k, _ in part.sections()}
        absent = [k for k in known if k not in present]
        for skey, section in part.sections():
            if skey in known or skey in FIGURE_SECTIONS or section.标题 is not None:
                continue
            close = difflib.get_close_matches(skey, absent, n=1, cutoff=0.6)
            if close:
                yield ctx.warn(
                    (key, skey),
                    f"「{skey}」不是本模板大纲中的小节，将作为自定义小节印出；是否想写「{close[0]}」？"
                    f"若就用这个标题，写成「{skey}:」下加「标题: {skey}」和「内容:」，不再提示",
                    "小节名称",
                )


@rule
def project_coverage(ctx: CheckContext) -> Iterator[Diagnostic]:
    for path, block in ctx.blocks():
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
                f"自评项目涉及资金 {ctx.money(item.涉及资金)} 万元超过项目支出总额 {ctx.money(whole)} 万元",
                "覆盖率",
            )
        if item.覆盖率 is not None and computed is not None and not ctx.fmt.same_at_precision(item.覆盖率, computed):
            yield ctx.warn(
                (*here, "覆盖率"),
                f"手填的覆盖率 {item.覆盖率}% 与计算值 {ctx.fmt.rate(computed)}（涉及资金 ÷ 项目支出总额）不符",
                "覆盖率",
            )
