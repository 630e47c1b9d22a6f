"""Rules on the file as read, before it is a report: the parts each document needs, keys that are
no part, values left empty, a file too long to build, characters no font has.

They run on the raw data so that their problems are reported with every other, even when the
file cannot yet be read into the model.  `known_parts` and `filled` give the data the model then
reads: unknown parts left out, empty values as the model takes them.
"""

from __future__ import annotations

import difflib
import typing
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from reportgen.checks.glyphs import strings
from reportgen.checks.registry import FileContext, rule
from reportgen.diagnostics import Diagnostic, Path_
from reportgen.figures.numbers import chinese_number
from reportgen.input.errors import model_at_extra, unwrap, value_at
from reportgen.input.loader import Loaded
from reportgen.input.model import PART_ALTERNATIVES, Report

SECOND_PARTS = ("综合评价分析", "绩效自评情况")


@rule("写法", "第二部分", phase="file")
def one_second_part(ctx: FileContext) -> Iterator[Diagnostic]:
    """The second part goes by two names; exactly one may be there."""
    present = [k for k in SECOND_PARTS if k in ctx.loaded.data]
    if len(present) == 2:
        line, col = ctx.loaded.position((present[1],), key=True)
        message = "第二部分应写「综合评价分析」或「绩效自评情况」中的一个（且只写一个）"
        yield ctx.error_at(line, col, message, (), "第二部分")


@rule("写法", "文书重复", phase="file")
def repeated_kinds(ctx: FileContext) -> Iterator[Diagnostic]:
    """Each document is made once: a kind 文书 names again is said once, at its first repeat."""
    declared = ctx.loaded.data.get("文书")
    if not isinstance(declared, list):
        return
    counts = Counter(k for k in declared if isinstance(k, str))
    for kind, count in counts.items():
        if count > 1:
            again = next(i for i, k in enumerate(declared) if k == kind and i > declared.index(kind))
            message = f"「文书」中「{kind}」写了 {count} 次：每种文书只生成一次，请删去重复的"
            yield ctx.warn(("文书", again), message, "文书重复", at_value=True)


@rule("大纲", "缺少部分", phase="file")
def missing_parts(ctx: FileContext) -> Iterator[Diagnostic]:
    """A report has every part of the template's outline."""
    if "报告" not in ctx.kinds:
        return
    data, parts = ctx.loaded.data, ctx.outline
    missing = [(n, k) for n, k in enumerate(parts, 1) if k not in data and PART_ALTERNATIVES.get(k) not in data]
    for number, key in missing:
        other = PART_ALTERNATIVES.get(key)
        message = f"缺少第{chinese_number(number)}部分「{key}」" + (f"（也可写作「{other}」）" if other else "")
        (line, col), where = _where_part_goes(ctx.loaded, list(parts), number)
        message += where
        if number == missing[0][0]:  # the outline once, with the first
            message += "。本模板的大纲：" + " ".join(f"{chinese_number(i)}、{k}" for i, k in enumerate(parts, 1))
        yield ctx.error_at(line, col, message, (key,), "缺少部分")


def _where_part_goes(loaded: Loaded, outline: list[str], number: int) -> tuple[tuple[int, int], str]:
    """Where a missing part of the outline belongs: before the next part that is there, else at
    the end of the file."""
    for later in outline[number:]:
        for key in (later, PART_ALTERNATIVES.get(later)):
            if key is not None and key in loaded.data:
                return loaded.position((key,), key=True), f"，应写在「{key}」之前"
    return (loaded.raw.count(b"\n") + 1, 1), "，应写在文件末尾"


NEED_WHAT = {
    "年度目标": "预期目标与完成情况",
    "绩效指标": "各项指标的分值、年度指标值和实际完成值",
    "主要任务": "各项任务及关键指标",
    "存在的主要问题": "存在问题",
    "下一步改进措施": "改进措施或下一步计划",
}
FUNDS_NEEDS = {
    "部门整体收支情况": "全年预算数、年初预算数、执行数",
    "年初预算数": "部门年初预算收入，用于预算调整数和预算调整率",
    "全年预算数": "调整后的全年预算数，用于预算执行率",
}


@rule("大纲", "自评表必填", phase="file")
def form_needs(ctx: FileContext) -> Iterator[Diagnostic]:
    """The parts the template's 自评表 cannot be printed without (its 「自评表 › 必填」)."""
    if "自评表" not in ctx.kinds:
        return
    data = ctx.loaded.data
    needs = ctx.settings.自评表.必填
    for key in needs:
        if key in NEED_WHAT and key not in data:
            yield ctx.error_at(1, 1, f"自评表需要「{key}」（{NEED_WHAT[key]}）", (key,), "自评表必填")
    funds_needs = [k for k in needs if k in FUNDS_NEEDS]
    if not funds_needs:
        return
    funds_path = _funds_path(data)
    funds = value_at(data, funds_path) if funds_path else None
    where: Path_ = funds_path or ("基本情况", "部门整体收支情况")
    if not isinstance(funds, dict):
        message = f"自评表需要「部门整体收支情况」（{FUNDS_NEEDS['部门整体收支情况']}）"
        yield ctx.error_at(1, 1, message, where, "自评表必填")
        return
    for key in funds_needs:
        if key != "部门整体收支情况" and key not in funds:
            line, col = ctx.loaded.position(where, key=True)
            yield ctx.error_at(line, col, f"自评表需要「{key}」（{FUNDS_NEEDS[key]}）", (*where, key), "自评表必填")


def _funds_path(data: dict[str, Any]) -> Path_ | None:
    """Where 部门整体收支情况 stands in the raw data (any part may hold it)."""
    for key, part in data.items():
        if isinstance(part, dict) and "部门整体收支情况" in part:
            return (key, "部门整体收支情况")
    return None


def _is_part(key: str, value: Any, outline: dict[str, list[str]]) -> bool:
    """The format's own keys, the outline's parts, and a part with its own 标题."""
    return key in Report.model_fields or key in outline or (isinstance(value, dict) and "标题" in value)


def known_parts(data: dict[str, Any], outline: dict[str, list[str]]) -> dict[str, Any]:
    """The file without its top-level keys that are no part (reported by `unknown_parts`), so
    that they are not mistaken for one."""
    return {key: value for key, value in data.items() if _is_part(key, value, outline)}


@rule("写法", "未知的键", phase="file")
def unknown_parts(ctx: FileContext) -> Iterator[Diagnostic]:
    """Top-level keys that are neither the format's own nor a part, with a did-you-mean."""
    known = list(Report.model_fields)
    for key, value in ctx.loaded.data.items():
        if _is_part(key, value, ctx.outline):
            continue
        close = difflib.get_close_matches(key, known + list(ctx.outline), n=1, cutoff=0.4)
        message = f"未知的键「{key}」；" + (f"是否想写「{close[0]}」？" if close else "")
        message += f"若要增加一个部分，在「{key}:」下写「标题: 一级标题文字」和「内容:」"
        yield ctx.error((key,), message, "未知的键")


# What a document cannot be written without: left empty, these are errors, not reminders.
MUST_FILL: dict[Path_, str] = {("部门名称",): "标题和落款都用它", ("年度",): "被评价年度，如 2024"}


def _empty(data: Any, model: Any, path: Path_) -> Iterator[tuple[Path_, Any, Any]]:
    """Every value left empty (as `reportgen init` leaves the figures): (path, its field, what the
    model takes in its place — 0, "", or None for not given)."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(data, dict):
        return
    extra = model_at_extra(model)
    for key, value in data.items():
        field = model.model_fields.get(key)
        here = (*path, key)
        if field is None:
            if extra is not None and isinstance(value, dict):
                yield from _empty(value, extra, here)
        elif value is None:
            kinds = _leaf_types(field.annotation)
            yield here, field, 0 if kinds & {Decimal, int} else "" if str in kinds else None
        elif isinstance(value, dict):
            yield from _empty(value, unwrap(field.annotation), here)
        elif isinstance(value, list) and unwrap(field.annotation) is not None:
            for i, item in enumerate(value):
                yield from _empty(item, unwrap(field.annotation), (*here, i))


def _leaf_types(annotation: Any) -> set[Any]:
    args = typing.get_args(annotation)
    if not args:
        return {annotation}
    found: set[Any] = set()
    for arg in args:
        found |= _leaf_types(arg)
    return found


def filled(data: dict[str, Any]) -> dict[str, Any]:
    """The data with each empty required value as the model takes it: a required number counts as
    0 and a required text as blank until the author fills it in (`empty_values` says so)."""
    result: Any = dict(data)
    for path, field, blank in _empty(data, Report, ()):
        if field.is_required() and blank is not None:
            result = _set(result, path, blank)
    return typing.cast(dict[str, Any], result)


def _set(data: Any, path: Path_, value: Any) -> Any:
    """A copy of `data` with the value at `path` replaced (the containers along it copied)."""
    head, rest = path[0], path[1:]
    copied = list(data) if isinstance(data, list) else dict(data)
    copied[head] = _set(data[head], rest, value) if rest else value  # type: ignore[index]
    return copied


@rule("写法", "未填写", phase="file")
def empty_values(ctx: FileContext) -> Iterator[Diagnostic]:
    """A value left empty is a warning, not an error; the unit's name and the year are errors."""
    for path, field, blank in _empty(known_parts(ctx.loaded.data, ctx.outline), Report, ()):
        key = path[-1]
        if path in MUST_FILL:
            yield ctx.error(path, f"「{key}」必须填写（{MUST_FILL[path]}）", "未填写")
        elif blank is not None and (field.is_required() or blank == 0):
            message = f"「{key}」尚未填写" + ("" if field.is_required() else "：填上数字，不适用时删去这一行")
            yield ctx.warn(path, message, "未填写")


MAX_DOCUMENT_CHARS = 120_000  # about 250 pages, built in about 10 s; the longest seed has 10,000
MAX_DOCUMENT_ITEMS = 1_500  # paragraphs, list items and table rows together


@rule("篇幅", "篇幅", phase="text")
def too_long(ctx: FileContext) -> Iterator[Diagnostic]:
    """A document so long it could not be built in reasonable time is refused with its size."""
    chars = items = 0
    for path, text in strings(ctx.loaded.data):
        chars += len(text)
        items += (isinstance(path[-1], int) if path else 0) + text.count("\n")  # a text block: a paragraph a line
    if chars > MAX_DOCUMENT_CHARS:
        yield ctx.error_at(1, 1, f"正文过长：共 {chars} 字，上限 {MAX_DOCUMENT_CHARS} 字（约 250 页）", (), "篇幅")
    if items > MAX_DOCUMENT_ITEMS:
        yield ctx.error_at(1, 1, f"段落、列表项和表格行过多：共 {items} 项，上限 {MAX_DOCUMENT_ITEMS}", (), "篇幅")
