"""Pydantic's errors in the officer's words: each becomes one Chinese message at the line and
column of the value it is about, with the keys that were meant when a key is unknown."""

from __future__ import annotations

import difflib
import re
import typing
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from reportgen.diagnostics import FORMAT, Diagnostic, Level, Path_
from reportgen.input.loader import Loaded, fullwidth_colon, fullwidth_message

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
    "string_too_long": "文字过长",
    "literal_error": "取值不对",
    "float_type": "应填数字",
    "float_parsing": "应填数字",
    "tuple_type": "应写成列表",
    "string_pattern_mismatch": "格式不对",
    "string_unicode": "应填文字",
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


def model_at(root: type[BaseModel], path: Path_) -> type[BaseModel] | None:
    """The model describing the mapping at `path`, to suggest the keys it allows."""
    model: Any = root
    for item in path:
        if isinstance(item, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(item)
        if field is not None:
            model = unwrap(field.annotation)
        else:
            model = model_at_extra(model)
            if model is None:
                return None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def unwrap(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = unwrap(arg)
        if found is not None:
            return found
    return None


def translate(error: dict[str, Any], loaded: Loaded, root: type[BaseModel]) -> Diagnostic:
    path, exists = _clean_path(error["loc"], loaded.data)
    kind = error["type"]
    if kind == "missing" or not exists:
        return _missing(path, loaded, root)
    if kind == "extra_forbidden":
        return _unknown_key(path, loaded, root)
    line, col = loaded.position(path)
    what = _field_description(root, path)
    message = _hint(kind, value_at(loaded.data, path)) or _message(kind, error["msg"], error.get("ctx") or {}, what)
    return Diagnostic(loaded.file, line, col, Level.ERROR, message, path, FORMAT)


def _missing(path: Path_, loaded: Loaded, root: type[BaseModel]) -> Diagnostic:
    """A required key that is not there: a key written with a full-width colon, or missing."""
    key = path[-1] if path else ""
    siblings = value_at(loaded.data, path[:-1])
    typo = next((k for k in siblings if str(k).startswith(f"{key}：")), None) if isinstance(siblings, dict) else None
    if typo is not None:  # written with a full-width colon: that is the one thing to mend
        where = (*path[:-1], typo)
        line, col = loaded.position(where, key=True)
        return Diagnostic(loaded.file, line, col, Level.ERROR, fullwidth_message(str(key)), where, FORMAT)
    line, col = loaded.position(path[:-1], key=True) if len(path) > 1 else (1, 1)
    message = f"缺少必填项「{key}」"
    model = model_at(root, path[:-1])
    field = model.model_fields.get(str(key)) if model else None
    if field is not None and field.description:
        message += f"（{field.description}）"
    return Diagnostic(loaded.file, line, col, Level.ERROR, message, path, FORMAT)


def _unknown_key(path: Path_, loaded: Loaded, root: type[BaseModel]) -> Diagnostic:
    """A key the mapping does not allow, with the key that was meant."""
    key = str(path[-1])
    line, col = loaded.position(path, key=True)
    model = model_at(root, path[:-1])
    allowed = list(model.model_fields) if model else []
    head = key.split("：")[0].strip()
    if "：" in key and head in allowed:
        return Diagnostic(loaded.file, line, col, Level.ERROR, fullwidth_message(head), path, FORMAT)
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.4)
    message = f"未知的键「{key}」"
    if close:
        message += f"；是否想写「{close[0]}」？"
    elif allowed:
        message += f"；这里可以写：{'、'.join(allowed)}"
    return Diagnostic(loaded.file, line, col, Level.ERROR, message, path, FORMAT)


def _field_description(root: type[BaseModel], path: Path_) -> str:
    """The description of the field a value stands in (to tell an amount from a count or a width)."""
    if not path or isinstance(path[-1], int):
        return ""
    model = model_at(root, path[:-1])
    field = model.model_fields.get(str(path[-1])) if model is not None else None
    return (field.description or "") if field is not None else ""


def _message(kind: str, original: str, ctx: dict[str, Any], what: str = "") -> str:
    """The message for a value of the wrong kind or out of its range."""
    if kind == "greater_than":
        return f"应大于 {ctx.get('gt')}"
    if kind == "greater_than_equal":
        limit = ctx.get("ge")
        if str(limit) == "0":
            return "金额不能为负数" if "万元" in what else "不能为负数"
        return f"不能小于 {limit}"
    limits = {
        "less_than_equal": lambda: f"不能大于 {ctx.get('le', ctx.get('lt'))}",
        "less_than": lambda: f"不能大于 {ctx.get('le', ctx.get('lt'))}",
        "too_short": lambda: f"至少要有 {ctx.get('min_length')} 项",
        "too_long": lambda: f"最多 {ctx.get('max_length')} 项",
        "string_too_long": lambda: f"文字过长：最多 {ctx.get('max_length')} 字，请分成几段",
    }
    if kind in limits:
        return limits[kind]()
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"取值不对：只能填 {'、'.join(allowed)} 之一" if allowed else _MESSAGES[kind]
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if re.search(r"[\u4e00-\u9fff]", original):  # the format's own messages are Chinese already
        return original
    return f"取值不对（{original}）"


_MAPPING_KINDS = ("dict_type", "model_type", "model_attributes_type")


def _hint(kind: str, value: Any) -> str | None:
    """What the value as written shows was meant: 12人 for 12, a key written with a full-width
    colon, a number where a section's text belongs."""
    if kind in ("int_type", "int_parsing") and isinstance(value, str) and re.fullmatch(r"\s*\d+\s*\D{0,3}", value):
        digits = "".join(ch for ch in value if ch.isdigit())
        return f"应填整数：写成 {digits}（不加单位，如「年」「人」「个」）"
    if kind in _MAPPING_KINDS and isinstance(value, str):
        found = fullwidth_colon(value)
        return fullwidth_message(found[0]) if found is not None else None
    if kind in _MAPPING_KINDS and isinstance(value, int | Decimal | bool):
        # a number or yes/no where a section's text or a group of figures belongs
        return f'这里应写文字（一段或几段）或下一层的「键: 值」，而不是 {value}；若是文字，请加引号："{value}"'
    return None


def value_at(data: Any, path: Path_) -> Any:
    for item in path:
        try:
            data = data[item]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def model_at_extra(model: type[BaseModel]) -> type[BaseModel] | None:
    """The model of a mapping's free keys (a part's sections, the report's own parts)."""
    if model.model_config.get("extra") != "allow":
        return None
    extra = typing.get_type_hints(model).get("__pydantic_extra__")
    return unwrap(typing.get_args(extra)[1]) if extra else None
