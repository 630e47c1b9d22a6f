"""Turn a loaded file into a validated report, collecting every problem with its position."""

from __future__ import annotations

import difflib
import re
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.checks import rules
from reportgen.compose import templates
from reportgen.figures.numbers import AS_TYPED, NumberFormat, chinese_number
from reportgen.input.diagnostics import Diagnostic, InvalidReport, Level, Path_, ReportgenError
from reportgen.input.loader import Loaded, fullwidth_colon, load
from reportgen.input.model import DOCUMENT_KINDS, PART_ALTERNATIVES, Report


@dataclass
class Checked:
    loaded: Loaded
    report: Report | None
    template: templates.Template | None
    fmt: NumberFormat
    diagnostics: list[Diagnostic]
    kinds: tuple[str, ...] = ("报告",)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]


_MESSAGES = {
    "string_type": "应填文字",
    "int_type": "应填整数",
    "int_parsing": "应填整数",
    "int_from_float": "应填整数（不带小数）",
    "decimal_type": "应填数字",
    "decimal_parsing": "应填数字",
    "bool_type": "应填 true 或 false",
    "bool_parsing": "应填 true 或 false",
    "list_type": "应写成列表（每项另起一行，以「- 」开头）",
    "dict_type": "应写成「键: 值」的形式",
    "model_type": "应写成「键: 值」的形式",
    "model_attributes_type": "应写成「键: 值」的形式",
    "string_too_short": "不能为空",
    "literal_error": "取值不对",
}


def _clean_path(loc: tuple[Any, ...], data: Any) -> tuple[Path_, bool]:
    """Follow an error's location through the user's data, dropping pydantic's union tags.

    Returns the path and whether it reached an existing value (False: the last key is missing).
    """
    path: list[str | int] = []
    current = data
    for item in loc:
        if isinstance(current, dict) and isinstance(item, str):
            if item in current:
                path.append(item)
                current = current[item]
                continue
            if item in ("内容",) or "[" in item or item in ("str", "int", "list", "dict"):
                continue  # a validator's reshaping or a union branch, not the user's key
            path.append(item)
            return tuple(path), False
        if isinstance(current, list) and isinstance(item, int) and 0 <= item < len(current):
            path.append(item)
            current = current[item]
            continue
        # deeper than the user's data (a text block split into paragraphs, a union branch)
    return tuple(path), True


def _model_at(path: Path_) -> type[BaseModel] | None:
    """The model describing the mapping at `path`, to suggest the keys it allows."""
    model: Any = Report
    for item in path:
        if isinstance(item, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(item)
        if field is not None:
            model = _unwrap(field.annotation)
        else:
            model = _model_at_extra(model)
            if model is None:
                return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _unwrap(arg)
        if found is not None:
            return found
    return None


def _translate(error: dict[str, Any], loaded: Loaded) -> Diagnostic:
    path, exists = _clean_path(error["loc"], loaded.data)
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "missing" or not exists:
        key = path[-1] if path else ""
        line, col = loaded.position(path[:-1], key=True) if len(path) > 1 else (1, 1)
        message = f"缺少必填项「{key}」"
        model = _model_at(path[:-1])
        field = model.model_fields.get(str(key)) if model else None
        if field is not None and field.description:
            message += f"（{field.description}）"
        return Diagnostic(loaded.file, line, col, Level.ERROR, message, path)
    if kind == "extra_forbidden":
        key = str(path[-1])
        line, col = loaded.position(path, key=True)
        model = _model_at(path[:-1])
        allowed = list(model.model_fields) if model else []
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.4)
        message = f"未知的键「{key}」"
        if close:
            message += f"；是否想写「{close[0]}」？"
        elif allowed:
            message += f"；这里可以写：{'、'.join(allowed)}"
        return Diagnostic(loaded.file, line, col, Level.ERROR, message, path)
    line, col = loaded.position(path)
    if kind in ("greater_than_equal", "greater_than"):
        limit = ctx.get("ge", ctx.get("gt"))
        message = "金额不能为负数" if str(limit) == "0" else f"不能小于 {limit}"
    elif kind in ("less_than_equal", "less_than"):
        message = f"不能大于 {ctx.get('le', ctx.get('lt'))}"
    elif kind == "too_short":
        message = f"至少要有 {ctx.get('min_length')} 项"
    elif kind == "too_long":
        message = f"最多 {ctx.get('max_length')} 项"
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        message = f"取值不对：只能填 {'、'.join(allowed)} 之一" if allowed else _MESSAGES[kind]
    elif kind in _MESSAGES:
        message = _MESSAGES[kind]
    else:
        message = error["msg"]
    value = _value_at(loaded.data, path)
    if kind in ("dict_type", "model_type", "model_attributes_type") and isinstance(value, str):
        found = fullwidth_colon(value)
        if found is not None:
            message = f"「{found[0]}：」用了全角冒号「：」：键后面应是半角冒号「:」加一个空格，如「{found[0]}: …」"
    return Diagnostic(loaded.file, line, col, Level.ERROR, message, path)


def _value_at(data: Any, path: Path_) -> Any:
    for item in path:
        try:
            data = data[item]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def document_kinds(
    data: dict[str, Any], settings: dict[str, Any], requested: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Which documents to make: asked on the command line, else the YAML's 文书, else the template's."""
    if requested:
        return requested
    declared = data.get("文书")
    if isinstance(declared, list) and all(k in DOCUMENT_KINDS for k in declared) and declared:
        return tuple(declared)
    return tuple(settings.get("文书") or ("报告",))


def outline(settings: dict[str, Any]) -> dict[str, list[str]]:
    """The template's parts, in order, each with its standard sections."""
    declared = settings.get("大纲")
    if not isinstance(declared, dict):
        return {}
    return {str(k): [str(x) for x in (v or [])] for k, v in declared.items()}


def _outline_text(parts: dict[str, list[str]]) -> str:
    return " ".join(f"{chinese_number(i)}、{key}" for i, key in enumerate(parts, 1))


def _required(loaded: Loaded, kinds: tuple[str, ...], parts: dict[str, list[str]]) -> list[Diagnostic]:
    """Parts each document needs, checked up front so that they are reported with every other
    problem: for a report, every part of the template's outline (the second part goes by two
    names; exactly one must be there)."""
    data = loaded.data
    found: list[Diagnostic] = []
    present = [k for k in ("综合评价分析", "绩效自评情况") if k in data]
    if len(present) == 2:
        line, col = loaded.position((present[1],), key=True)
        message = "第二部分应写「综合评价分析」或「绩效自评情况」中的一个（且只写一个）"
        found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, ()))
    if "报告" in kinds:
        for number, key in enumerate(parts, 1):
            if key in data or PART_ALTERNATIVES.get(key) in data:
                continue
            other = PART_ALTERNATIVES.get(key)
            also = f"（也可写作「{other}」）" if other else ""
            message = f"缺少第{chinese_number(number)}部分「{key}」{also}。本模板的大纲：{_outline_text(parts)}"
            found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, (key,)))
    if "自评表" in kinds:
        for key, what in (
            ("年度目标", "预期目标与完成情况"),
            ("主要任务", "各项任务及关键指标"),
            ("存在的主要问题", "存在问题"),
            ("下一步改进措施", "改进措施或下一步计划"),
        ):
            if key not in data:
                message = f"自评表需要「{key}」（{what}）"
                found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, (key,)))
        funds_path = _funds_path(data)
        funds = _value_at(data, funds_path) if funds_path else None
        here: Path_ = (*(funds_path or ("基本情况", "部门整体收支情况")), "年初预算数")
        if not isinstance(funds, dict):
            message = "自评表需要「部门整体收支情况」（全年预算数、年初预算数、执行数）"
            found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, here[:-1]))
        elif "年初预算数" not in funds:
            line, col = loaded.position(here[:-1], key=True)
            message = "自评表需要「年初预算数」（部门年初预算收入），用于预算调整数和预算调整率"
            found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, here))
    return found


def _funds_path(data: dict[str, Any]) -> Path_ | None:
    """Where 部门整体收支情况 stands in the raw data (any part may hold it)."""
    for key, part in data.items():
        if isinstance(part, dict) and "部门整体收支情况" in part:
            return (key, "部门整体收支情况")
    return None


def _undeclared_parts(
    data: dict[str, Any], parts: dict[str, list[str]], loaded: Loaded, found: list[Diagnostic]
) -> dict[str, Any]:
    """Top-level keys that are neither the format's own nor a part: the template's outline
    declares its parts, and a part with its own 标题 may be added.  Anything else is reported
    (with a did-you-mean) and left out, so that it is not mistaken for a part."""
    known = list(Report.model_fields)
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key in known or key in parts or (isinstance(value, dict) and "标题" in value):
            kept[key] = value
            continue
        line, col = loaded.position((key,), key=True)
        close = difflib.get_close_matches(key, known + list(parts), n=1, cutoff=0.4)
        message = f"未知的键「{key}」"
        if close:
            message += f"；是否想写「{close[0]}」？"
        message += f"若要增加一个部分，在「{key}:」下写「标题: 一级标题文字」和「内容:」"
        found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, (key,)))
    return kept


def number_format(settings: dict[str, Any], report: Report | None) -> NumberFormat:
    base = dict(settings.get("格式") or {})
    if report is not None and report.格式 is not None:
        base.update(report.格式.model_dump(exclude_none=True))
    places = base.get("金额小数位", AS_TYPED)
    return NumberFormat(
        money_places=AS_TYPED if places in (None, AS_TYPED) else int(places),
        thousands=bool(base.get("千位分隔符", False)),
        rate_places=int(base.get("比率小数位", 2)),
        score_places=int(base.get("得分小数位", 2)),
    )


def _fill_empty(data: Any, model: Any, path: Path_, loaded: Loaded, found: list[Diagnostic]) -> Any:
    """A value left empty (as `reportgen init` leaves the figures) is not an error but a warning:
    a required number counts as 0 and a required text as blank until the author fills it in; an
    optional figure counts as not given."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(data, dict):
        return data
    result = dict(data)
    extra = _model_at_extra(model)
    for key, value in data.items():
        field = model.model_fields.get(key)
        here = (*path, key)
        if field is None:
            if extra is not None and isinstance(value, dict):
                result[key] = _fill_empty(value, extra, here, loaded, found)
            continue
        if value is None:
            kinds = _leaf_types(field.annotation)
            number = bool(kinds & {Decimal, int})
            blank: Any = 0 if number else "" if str in kinds else None
            if field.is_required() and blank is not None:
                result[key] = blank
            if blank is not None and (field.is_required() or number):
                line, col = loaded.position(here, key=True)
                message = f"「{key}」尚未填写" + ("" if field.is_required() else "：填上数字，不适用时删去这一行")
                found.append(Diagnostic(loaded.file, line, col, Level.WARNING, message, here, "未填写"))
            continue
        inner = _unwrap(field.annotation)
        if isinstance(value, dict):
            result[key] = _fill_empty(value, inner, here, loaded, found)
        elif isinstance(value, list) and inner is not None:
            result[key] = [_fill_empty(v, inner, (*here, i), loaded, found) for i, v in enumerate(value)]
    return result


def _model_at_extra(model: type[BaseModel]) -> type[BaseModel] | None:
    """The model of a mapping's free keys (a part's sections, the report's own parts)."""
    if model.model_config.get("extra") != "allow":
        return None
    extra = typing.get_type_hints(model).get("__pydantic_extra__")
    return _unwrap(typing.get_args(extra)[1]) if extra else None


def _leaf_types(annotation: Any) -> set[Any]:
    args = typing.get_args(annotation)
    if not args:
        return {annotation}
    found: set[Any] = set()
    for arg in args:
        found |= _leaf_types(arg)
    return found


def check(path: Path | str, *, template_dir: Path | None = None, kinds: tuple[str, ...] | None = None) -> Checked:
    """Load, validate and run the arithmetic rules; raises InputError for unreadable files."""
    loaded = load(path)
    diagnostics: list[Diagnostic] = list(loaded.problems)
    template = None
    settings: dict[str, Any] = {}
    template_name = loaded.data.get("模板") if isinstance(loaded.data.get("模板"), str) else None
    try:
        template = templates.resolve(
            template_name, extra_dir=template_dir, relative_to=Path(loaded.file).resolve().parent
        )
        settings = template.settings
    except ReportgenError as exc:
        line, col = loaded.position(("模板",))
        diagnostics.append(Diagnostic(loaded.file, line, col, Level.ERROR, exc.message, ("模板",)))
    chosen = document_kinds(loaded.data, settings, kinds)
    parts = outline(settings)
    diagnostics.extend(_required(loaded, chosen, parts))
    data = _undeclared_parts(loaded.data, parts, loaded, diagnostics)
    data = _fill_empty(data, Report, (), loaded, diagnostics)
    flagged = {d.path for d in diagnostics}
    report: Report | None = None
    try:
        report = Report.model_validate(data)
    except ValidationError as exc:
        seen: set[Path_] = set()
        for error in exc.errors():
            diagnostic = _translate(error, loaded)
            if diagnostic.path in flagged or diagnostic.path in seen:
                continue  # one message per place: the loader's hint, or the first union branch
            seen.add(diagnostic.path)
            diagnostics.append(diagnostic)
    fmt = number_format(settings, report)
    if report is not None and not loaded.problems:
        diagnostics.extend(rules.run(report, loaded, fmt, settings, parts))
    if loaded.problems:
        report = None
    diagnostics.sort(key=lambda d: (d.line, d.column, d.level is Level.WARNING))
    return Checked(loaded, report, template, fmt, diagnostics, chosen)


def require(checked: Checked, *, strict: bool = False) -> None:
    """Stop a build on errors (and on warnings under --strict)."""
    blocking = checked.diagnostics if strict else checked.errors
    if blocking:
        raise InvalidReport(checked.diagnostics)
