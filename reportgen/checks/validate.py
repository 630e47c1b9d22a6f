"""Turn a loaded file into a validated report, collecting every problem with its position."""

from __future__ import annotations

import difflib
import typing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from reportgen.checks import rules
from reportgen.compose import templates
from reportgen.figures.numbers import AS_TYPED, NumberFormat
from reportgen.input.diagnostics import Diagnostic, InvalidReport, Level, Path_, ReportgenError
from reportgen.input.loader import Loaded, load
from reportgen.input.model import DOCUMENT_KINDS, Report


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
        elif model.model_config.get("extra") == "allow":
            extra = typing.get_type_hints(model).get("__pydantic_extra__")
            model = _unwrap(typing.get_args(extra)[1]) if extra else None
        else:
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
    elif kind in _MESSAGES:
        message = _MESSAGES[kind]
    else:
        message = error["msg"]
    return Diagnostic(loaded.file, line, col, Level.ERROR, message, path)


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


def _required(loaded: Loaded, kinds: tuple[str, ...]) -> list[Diagnostic]:
    """Parts each document needs, checked up front so that they are reported with every other
    problem (the second part of the report goes by two names; exactly one must be there)."""
    data = loaded.data
    found: list[Diagnostic] = []
    present = [k for k in ("综合评价分析", "绩效自评情况") if k in data]
    if len(present) == 2:
        line, col = loaded.position((present[1],), key=True)
        message = "第二部分应写「综合评价分析」或「绩效自评情况」中的一个（且只写一个）"
        found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, ()))
    elif not present and "报告" in kinds:
        message = "缺少第二部分「综合评价分析」（越秀等区的大纲称「绩效自评情况」）"
        found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, ()))
    if "自评表" in kinds:
        for key, what in (("年度目标", "预期目标与完成情况"), ("主要任务", "各项任务及关键指标")):
            if key not in data:
                message = f"自评表需要「{key}」（{what}）"
                found.append(Diagnostic(loaded.file, 1, 1, Level.ERROR, message, (key,)))
        funds = data.get("基本情况", {}).get("部门整体收支情况") if isinstance(data.get("基本情况"), dict) else None
        here: Path_ = ("基本情况", "部门整体收支情况", "年初预算数")
        if isinstance(funds, dict) and "年初预算数" not in funds:
            line, col = loaded.position(here[:-1], key=True)
            message = "自评表需要「年初预算数」（部门年初预算收入），用于预算调整数和预算调整率"
            found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, here))
        elif isinstance(funds, dict) and funds["年初预算数"] is None:
            line, col = loaded.position(here, key=True)
            found.append(Diagnostic(loaded.file, line, col, Level.WARNING, "「年初预算数」尚未填写", here, "未填写"))
    return found


def number_format(settings: dict[str, Any], report: Report | None) -> NumberFormat:
    base = dict(settings.get("格式") or {})
    if report is not None and report.格式 is not None:
        base.update(report.格式.model_dump(exclude_none=True))
    places = base.get("金额小数位", AS_TYPED)
    return NumberFormat(
        money_places=AS_TYPED if places in (None, AS_TYPED) else int(places),
        thousands=bool(base.get("千位分隔符", False)),
        rate_places=int(base.get("比率小数位", 2)),
    )


def _fill_empty(data: Any, model: Any, path: Path_, loaded: Loaded, found: list[Diagnostic]) -> Any:
    """A required value left empty (as `reportgen init` leaves the figures) is not an error but a
    warning: the number counts as 0 and the text as blank until the author fills it in."""
    if not (isinstance(model, type) and issubclass(model, BaseModel)) or not isinstance(data, dict):
        return data
    result = dict(data)
    for key, value in data.items():
        field = model.model_fields.get(key)
        if field is None:
            continue
        here = (*path, key)
        if value is None and field.is_required():
            kinds = _leaf_types(field.annotation)
            blank: Any = 0 if kinds & {Decimal, int} else "" if str in kinds else None
            if blank is not None:
                result[key] = blank
                line, col = loaded.position(here, key=True)
                found.append(Diagnostic(loaded.file, line, col, Level.WARNING, f"「{key}」尚未填写", here, "未填写"))
            continue
        inner = _unwrap(field.annotation)
        if isinstance(value, dict):
            result[key] = _fill_empty(value, inner, here, loaded, found)
        elif isinstance(value, list) and inner is not None:
            result[key] = [_fill_empty(v, inner, (*here, i), loaded, found) for i, v in enumerate(value)]
    return result


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
    diagnostics.extend(_required(loaded, chosen))
    data = _fill_empty(loaded.data, Report, (), loaded, diagnostics)
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
        diagnostics.extend(rules.run(report, loaded, fmt, settings))
    if loaded.problems:
        report = None
    diagnostics.sort(key=lambda d: (d.line, d.column, d.level is Level.WARNING))
    return Checked(loaded, report, template, fmt, diagnostics, chosen)


def require(checked: Checked, *, strict: bool = False) -> None:
    """Stop a build on errors (and on warnings under --strict)."""
    blocking = checked.diagnostics if strict else checked.errors
    if blocking:
        raise InvalidReport(checked.diagnostics)
