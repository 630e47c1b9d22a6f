"""Rules on the outline: a section that looks like a misspelt standard one, and blocks that
quote what the file does not have."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic
from reportgen.figures import derive
from reportgen.input.loader import BLOCK_KEYS, fullwidth_message
from reportgen.input.model import FIGURE_SECTIONS


@rule("大纲", "小节名称")
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


@rule("收支", "覆盖率")
def project_coverage(ctx: CheckContext) -> Iterator[Diagnostic]:
    """The money of the projects evaluated against all project spending, and a typed 覆盖率."""
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
        if item.覆盖率 is not None and computed is not None:
            formula = "涉及资金 ÷ 项目支出总额"
            yield from ctx.typed_rate((*here, "覆盖率"), "覆盖率", item.覆盖率, computed, formula, "覆盖率")


@rule("写法", "全角冒号")
def block_keys_written_as_text(ctx: CheckContext) -> Iterator[Diagnostic]:
    """ "- 评分：结论" with a full-width colon is read as a paragraph and would print as one."""
    for path, block in ctx.blocks():
        text = block.段落 or ""
        key = text.split("：", 1)[0].strip() if "：" in text else ""
        if key in BLOCK_KEYS:
            yield ctx.error(path, fullwidth_message(key) + f"（否则这一行会作为正文「{text[:20]}」印出）", "全角冒号")


def _has_figures(section: object) -> bool:
    fields = type(section).model_fields  # type: ignore[attr-defined]
    return any(getattr(section, name) is not None for name in fields if name not in ("标题", "内容", "句子", "形式"))


@rule("写法", "未填写")
def empty_sections(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A heading with nothing under it (as `reportgen init` leaves them) prints as a bare heading."""
    for key, part in ctx.report.parts():
        sections = part.sections()
        if not part.内容 and not sections:
            yield ctx.warn((key,), f"「{key}」尚未填写：写上正文，或删去这一部分", "未填写")
        for skey, section in sections:
            if not section.内容 and not (skey in FIGURE_SECTIONS and _has_figures(section)):
                what = "填上数字（模板把它们写成句子）" if skey in FIGURE_SECTIONS else "写上正文"
                yield ctx.warn((key, skey), f"「{skey}」尚未填写：{what}，或删去这一节", "未填写")
