"""The order keys take in the format (the JSON Schema's order), so that a key the page adds lands
where an officer would have written it: 执行数 after 全年预算数, not at the end of the file."""

from __future__ import annotations

from functools import cache
from typing import Any

from reportgen.diagnostics import Path_


@cache
def _schema() -> dict[str, Any]:
    from reportgen.input.model import json_schema

    return json_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A schema node with its $ref followed and its `null` alternative dropped."""
    seen = 0
    while seen < 20:
        seen += 1
        if "$ref" in node:
            node = _schema()["$defs"][node["$ref"].rsplit("/", 1)[-1]]
            continue
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if options:
            objects = [o for o in options if "$ref" in o or o.get("type") in ("object", "array")]
            node = (objects or options)[0]
            continue
        break
    return node


def schema_at(path: Path_) -> dict[str, Any]:
    """The schema of the value at `path` ({} where the format leaves it free)."""
    node = _resolve(_schema())
    for step in path:
        if isinstance(step, int):
            node = _resolve(node.get("items", {})) if node.get("type") == "array" else {}
            continue
        properties = node.get("properties", {})
        if step in properties:
            node = _resolve(properties[step])
        elif isinstance(node.get("additionalProperties"), dict):
            node = _resolve(node["additionalProperties"])
        else:
            return {}
    return node


def key_order(path: Path_) -> list[str]:
    """The keys of the mapping at `path` in the format's order."""
    return list(schema_at(path).get("properties", {}))
