"""Figures written into an existing YAML without touching anything else in it.

The file is the officer's: comments, order, quoting and blank lines stay byte for byte.  Each
figure is an edit of its own line — a value replaced where the key is, a line inserted at the
end of its mapping where it is not — located through the YAML parser's own marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

import yaml

from reportgen.errors import InputError
from reportgen.input.yaml_writer import entry, scalar

if TYPE_CHECKING:
    from reportgen.importing.final_accounts import Found

FUNDS = "部门整体收支情况"


@dataclass
class _Edit:
    start: int  # character offsets into the text
    end: int
    text: str


def _plain(value: Decimal) -> str:
    return scalar(value)


def _mapping_items(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _after_block(text: str, node: yaml.Node) -> int:
    """The offset where a line may be inserted after the last line of `node`'s content (its
    deepest last value: a mapping's own end mark runs on to the next key)."""
    last: yaml.Node = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and last.value:
        tail = last.value[-1]
        last = tail[1] if isinstance(tail, tuple) else tail
    end = last.end_mark.index
    if last.end_mark.column == 0:
        return end  # a block scalar ends at the start of the next line
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def fill(base: str, found: Found, source_name: str) -> tuple[str, list[tuple[int, str]]]:
    try:
        root = yaml.compose(base, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise InputError(f"错误: 要填入的 YAML 有语法错误，请先用 reportgen validate 检查（{exc}）") from exc
    if not isinstance(root, yaml.MappingNode):
        raise InputError("错误: 要填入的 YAML 最外层应是「键: 值」形式")
    top = _mapping_items(root)
    funds_node: yaml.MappingNode | None = None
    for _key, (_k, value) in top.items():
        if isinstance(value, yaml.MappingNode) and FUNDS in _mapping_items(value):
            candidate = _mapping_items(value)[FUNDS][1]
            if isinstance(candidate, yaml.MappingNode):
                funds_node = candidate
                break
    edits: list[_Edit] = []
    notes: list[str] = []
    if funds_node is None:
        part = top.get("基本情况")
        if part is None or not isinstance(part[1], yaml.MappingNode):
            raise InputError(
                "错误: YAML 中没有「部门整体收支情况」小节，也没有可放入它的「基本情况」：请先写出这一小节"
            )
        key_column = part[1].value[0][0].start_mark.column if part[1].value else 2
        at = _after_block(base, part[1])
        block = [entry(key_column, FUNDS)]
        block += _lines(found, key_column + 2, source_name)
        edits.append(_Edit(at, at, "\n".join(block) + "\n"))
        notes.append(f"新增「{FUNDS}」小节")
    else:
        edits += _into_mapping(base, funds_node, found, source_name, notes)
    if found.in_yuan:
        edits += _print_two_places(base, top, notes)
    text = base
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    located = [(_line_of(text, note), note) for note in notes]
    return text, located


def _line_of(text: str, note: str) -> int:
    """The line a note speaks of: the figure's key line when it names one."""
    key = note.split("」")[0].split("「")[-1] if "「" in note else ""
    for number, line in enumerate(text.splitlines(), 1):
        if key and line.strip().startswith(f"{key}:"):
            return number
    return 1


def _lines(found: Found, indent: int, source_name: str) -> list[str]:
    groups: dict[str, list[tuple[str, Decimal, str]]] = {}
    out: list[str] = []
    for key, value in found.figures.items():
        where = found.where.get(key, "")
        if len(key) == 1:
            out.append(entry(indent, key[0], scalar(value), f"{source_name} {where}"))
        else:
            groups.setdefault(key[0], []).append((key[1], value, where))
    for group, items in groups.items():
        out.append(entry(indent, group))
        out += [entry(indent + 2, name, scalar(v), f"{source_name} {w}") for name, v, w in items]
    return out


def _into_mapping(text: str, node: yaml.MappingNode, found: Found, source_name: str, notes: list[str]) -> list[_Edit]:
    edits: list[_Edit] = []
    items = _mapping_items(node)
    column = node.value[0][0].start_mark.column if node.value else 4
    pending: dict[str, list[tuple[str, Decimal, str]]] = {}
    for key, value in found.figures.items():
        where = found.where.get(key, "")
        if len(key) == 1:
            edits += _set(text, node, items, key[0], value, column, f"{source_name} {where}", notes)
            continue
        group, name = key
        sub = items[group][1] if group in items else None
        if isinstance(sub, yaml.MappingNode):
            sub_items = _mapping_items(sub)
            sub_column = sub.value[0][0].start_mark.column if sub.value else column + 2
            edits += _set(text, sub, sub_items, name, value, sub_column, f"{source_name} {where}", notes)
        else:
            pending.setdefault(group, []).append((name, value, where))
    for group, children in pending.items():
        at = _after_block(text, node)
        lines = [entry(column, group)]
        lines += [entry(column + 2, n, scalar(v), f"{source_name} {w}") for n, v, w in children]
        if group in items:  # written empty: replace that line
            k = items[group][0]
            start = _line_start(text, k.start_mark.index)
            end = text.index("\n", k.start_mark.index) + 1 if "\n" in text[k.start_mark.index :] else len(text)
            edits.append(_Edit(start, end, "\n".join(lines) + "\n"))
        else:
            edits.append(_Edit(at, at, "\n".join(lines) + "\n"))
        notes += [f"「{n}」由决算表填入（{source_name} {w}）" for n, _, w in children]
    return edits


def _set(
    text: str,
    mapping: yaml.MappingNode,
    items: dict[str, tuple[yaml.Node, yaml.Node]],
    name: str,
    value: Decimal,
    column: int,
    origin: str,
    notes: list[str],
) -> list[_Edit]:
    shown = _plain(value)
    if name in items:
        key_node, value_node = items[name]
        if not isinstance(value_node, yaml.ScalarNode):
            notes.append(f"「{name}」不是一个数字，未改动")
            return []
        old = text[value_node.start_mark.index : value_node.end_mark.index]
        if value_node.start_mark.index == value_node.end_mark.index:  # written empty: "执行数:"
            at = key_node.end_mark.index + 1  # after the colon
            notes.append(f"「{name}」由决算表填入（{origin}）")
            return [_Edit(at, at, f" {shown}")]
        try:
            same = Decimal(old.strip().strip("'\"").replace(",", "")) == value
        except ArithmeticError:
            same = False
        if same:
            return []
        notes.append(f"「{name}」原为 {old.strip()}，按决算表改为 {shown}（{origin}）")
        return [_Edit(value_node.start_mark.index, value_node.end_mark.index, shown)]
    at = _after_block(text, mapping)
    notes.append(f"「{name}」由决算表填入（{origin}）")
    return [_Edit(at, at, entry(column, name, shown, origin) + "\n")]


def _print_two_places(text: str, top: dict[str, tuple[yaml.Node, yaml.Node]], notes: list[str]) -> list[_Edit]:
    """Amounts turned from 元 into 万元 keep every digit; the report prints them with two places."""
    reason = "决算表以元为单位，换算为万元后保留全部位数，印出时取两位小数"
    if "格式" in top and isinstance(top["格式"][1], yaml.MappingNode):
        fmt = top["格式"][1]
        items = _mapping_items(fmt)
        column = fmt.value[0][0].start_mark.column if fmt.value else 2
        return _set(text, fmt, items, "金额小数位", Decimal(2), column, reason, notes)
    anchor = top.get("模板") or top.get("年度") or top.get("部门名称")
    if anchor is None:
        return []
    at = text.index("\n", anchor[1].end_mark.index) + 1 if "\n" in text[anchor[1].end_mark.index :] else len(text)
    notes.append(f"「金额小数位」设为 2（{reason}）")
    return [_Edit(at, at, entry(0, "格式") + "\n" + entry(2, "金额小数位", "2", reason) + "\n")]
