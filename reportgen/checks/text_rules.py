"""Punctuation in the officer's Chinese text (GB/T 15834): full-width marks, quotes in pairs."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from reportgen.checks.glyphs import strings
from reportgen.checks.registry import CheckContext, rule
from reportgen.diagnostics import Diagnostic
from reportgen.page import Layout

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
# A half-width mark with Chinese on either side of it (a decimal point, "1." or "GB/T" aside).
_HALF = re.compile(rf"(?<=[{_CJK}])[,;:?!()]|[,;:?!()](?=[{_CJK}])")
_NOT_TEXT = ("模板", "$schema", "年度指标值", "实际完成值", "方向")


def _corrected(text: str) -> str:
    return _HALF.sub(lambda m: FULL_WIDTH[m.group()], text)


def _excerpt(text: str, at: int) -> str:
    start = max(0, at - 6)
    return ("…" if start else "") + text[start : at + 7] + ("…" if at + 7 < len(text) else "")


@rule("文字", "半角标点")
def half_width_punctuation(ctx: CheckContext) -> Iterator[Diagnostic]:
    """Chinese text takes full-width punctuation (GB/T 15834)."""
    for path, text in strings(ctx.loaded.data):
        if not path or path[-1] in _NOT_TEXT or (isinstance(path[-1], str) and text == path[-1]):
            continue  # keys, and fields whose marks are part of a figure
        found = list(_HALF.finditer(text))
        if not found:
            continue
        marks = "".join(dict.fromkeys(m.group() for m in found))
        first = found[0].start()
        message = (
            f"中文里用了半角标点「{'」「'.join(marks)}」，应为全角：「{_excerpt(text, first)}」"
            f"应写作「{_excerpt(_corrected(text), first)}」"
        )
        yield ctx.warn(path, message, "半角标点", at_value=True)


@rule("文字", "引号")
def quotes_in_pairs(ctx: CheckContext) -> Iterator[Diagnostic]:
    """An opening quotation mark has its closing one."""
    for path, text in strings(ctx.loaded.data):
        if not path or path[-1] in _NOT_TEXT or ("“" not in text and "”" not in text):
            continue
        depth = 0
        for i, char in enumerate(text):
            if char == "“":
                depth += 1
                if depth > 1:
                    yield ctx.warn(
                        path, f"引号没有配对：「{_excerpt(text, i)}」中前一个“之后又是“（应为”）", "引号", at_value=True
                    )
                    break
            elif char == "”":
                depth -= 1
                if depth < 0:
                    yield ctx.warn(path, f"引号没有配对：「{_excerpt(text, i)}」中的”前面没有“", "引号", at_value=True)
                    break
        else:
            if depth > 0:
                yield ctx.warn(
                    path, f"引号没有配对：「{_excerpt(text, text.rfind('“'))}」中的“没有对应的”", "引号", at_value=True
                )


@rule("文字", "制表符")
def tabs_in_text(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A tab inside a line of text is printed as one space: rarely what was meant."""
    for path, text in strings(ctx.loaded.data):
        if not path or "\t" not in text or (isinstance(path[-1], str) and text == path[-1]):
            continue
        shown = _excerpt(text, text.index("\t")).replace("\t", "⇥")
        message = f"文字中有制表符（Tab，这里以⇥表示）：「{shown}」印出来只是一个空格：请删去或改为文字"
        yield ctx.warn(path, message, "制表符", at_value=True)


# What init and import write where they could not know the text: a file is not finished while
# one stands.
_PLACEHOLDER = re.compile(r"（(?:请(?:补写|填写)[^）]{0,16}|部门全称)）")


@rule("文字", "占位文字")
def placeholders(ctx: CheckContext) -> Iterator[Diagnostic]:
    """A placeholder left in the file would be printed in the PDF and its metadata."""
    for path, text in strings(ctx.loaded.data):
        found = _PLACEHOLDER.search(text)
        if path and found:
            message = f"「{found.group()}」是待填写的占位文字：请写上实际内容，不适用的删去这一项"
            yield ctx.error(path, message, "占位文字")


def _title_lines(text: str, capacity: float) -> int:
    """Lines a title part takes at the title size: a Chinese character an em, a Latin one half."""
    ems = sum(0.5 if ord(c) < 0x2E80 else 1.0 for c in text)
    return max(1, math.ceil(ems / capacity))


@rule("文字", "标题行数")
def title_within_three_lines(ctx: CheckContext) -> Iterator[Diagnostic]:
    """GB/T 9704 §7.2.3 sets a title on one line or more, as a 梯形 or 菱形: past three lines it
    no longer reads as one."""
    report = ctx.report
    if report.标题 is None:
        parts = [f"{report.年度}年度{report.部门名称}", report.文书名称 or ctx.settings.文书名称]
        path: tuple[str, ...] = ("部门名称",)
    else:
        parts = [report.标题] if isinstance(report.标题, str) else list(report.标题)
        path = ("标题",)
    capacity = Layout().title_capacity_em
    lines = sum(_title_lines(part, capacity) for part in parts)
    if lines > 3:
        message = (
            f"标题要排 {lines} 行（每行约 {int(capacity)} 字），超过三行便不像一个标题：请用「标题:」写成"
            "不超过三行（每项一行），如用单位的规范简称"
        )
        yield ctx.warn(path, message, "标题行数")
