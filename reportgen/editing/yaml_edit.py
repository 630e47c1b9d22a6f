"""Changes to an officer's YAML made in place: a value set, a key added or removed, a row of a
list inserted, removed or moved, and every other byte of the file left as it was.

The page of `reportgen edit` sends one change at a time as a path and a value; each is an edit of
the text at the place the YAML parser's marks give (comments, order, quoting, blank lines and flow
mappings stay).  A change is kept only when the file reads back with exactly that change and
nothing else: anything the text cannot take in place is refused with a message, never written
approximately.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from reportgen.diagnostics import Path_
from reportgen.errors import ReportgenError
from reportgen.input.yaml_writer import entry, flow, printable, scalar

Value = str | int | Decimal | bool | list[Any] | dict[str, Any] | None


class EditError(ReportgenError):
    """A change the file cannot take in place; the file is as it was."""


@dataclass(frozen=True)
class Change:
    """One change from the page.  `op`: set (path → value; None empties it), remove (path),
    insert (a row `value` into the list at `path`, before `index`), move (the row at `index` of
    the list at `path` to `to`)."""

    op: str
    path: Path_
    value: Value = None
    index: int = 0
    to: int = 0


@dataclass
class _Edit:
    start: int
    end: int
    text: str


def compose(text: str) -> yaml.MappingNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise EditError("错误: 源文件有语法错误，请先在「源文件」中改正") from exc
    if not isinstance(root, yaml.MappingNode):
        raise EditError("错误: 源文件的最外层应是「键: 值」形式，请先在「源文件」中改正")
    return root


def _items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value)


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node, yaml.Node | None] | None:
    """The node under `step` and its key node (None for a list item)."""
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value, key
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], None
    return None


def _is_empty(node: yaml.Node) -> bool:
    """Written with nothing after the key (`执行数:`) or as null."""
    return isinstance(node, yaml.ScalarNode) and node.style is None and node.value in ("", "~", "null", "Null", "NULL")


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", index)
    return len(text) if end < 0 else end


def _after_block(text: str, node: yaml.Node) -> int:
    """Where a line may go after the last line of `node` (a block collection's own end mark runs on
    to the next key; a flow value ends at its bracket; a block scalar at the next line)."""
    last: yaml.Node = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and last.value and not last.flow_style:
        tail = last.value[-1]
        last = tail[1] if isinstance(tail, tuple) else tail
    end = last.end_mark.index
    if last.end_mark.column == 0 and end > 0 and text[end - 1] == "\n":
        return _trim_blank_tail(text, _line_start(text, last.start_mark.index), end)
    return min(len(text), _line_end(text, end) + 1)


def _trim_blank_tail(text: str, start: int, end: int) -> int:
    """A block scalar's scan takes the empty lines after it: a line added after it goes before them
    (a line of spaces at its indentation is its own, as the starter's empty sections have)."""
    while end > start:
        previous = _line_start(text, end - 1)
        if text[previous:end] != "\n":
            break
        end = previous
    return end


def _dash(text: str, item: yaml.Node) -> int:
    """The offset of the `-` that opens a block list item."""
    index = item.start_mark.index - 1
    while index >= 0 and text[index] in " \t\n":
        index -= 1
    return index if index >= 0 and text[index] == "-" else item.start_mark.index


def _block_lines(value: Value, indent: int) -> list[str]:
    """`value` as the lines of a block collection at `indent` (a mapping's keys, a list's items)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for key, inner in value.items():
            lines += _keyed(key, inner, indent)
        return lines
    assert isinstance(value, list)
    lines = []
    for item in value:
        if isinstance(item, dict | list):  # a row in block style: one key to a line, as people write them
            inner = _block_lines(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}" if inner else f"{pad}- {flow(item)}")
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {_inline(item)}")
    return lines


def _keyed(key: str, value: Value, indent: int) -> list[str]:
    """A `key: value` entry in a block mapping, as many lines as the value needs."""
    if isinstance(value, dict | list) and value:
        return [entry(indent, key), *_block_lines(value, indent + 2)]
    if isinstance(value, str) and "\n" in value and _literal_ok(value):
        return [entry(indent, key, "|"), *_literal(value, indent + 2)]
    return [entry(indent, key, _inline(value))]


def _inline(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return flow(value)
    return scalar(value)


def _literal_ok(value: str) -> bool:
    """Whether the text can be a literal block (`|`): no character YAML would refuse there."""
    return printable(value.replace("\n", ""))


def _literal(value: str, indent: int) -> list[str]:
    """The lines of a literal block: one paragraph to a line, no spaces at either end (a leading
    space would be taken for indentation)."""
    pad = " " * indent
    return [f"{pad}{line.strip(' ')}" if line.strip(" ") else "" for line in value.strip("\n").split("\n")]


class Editor:
    """The text of one file and the changes made to it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root = compose(text)

    # -- locating -------------------------------------------------------------------------------

    def _find(self, path: Path_) -> tuple[yaml.Node | None, int]:
        """The node at `path`, or the deepest node found on the way and how many steps it took."""
        node: yaml.Node = self.root
        for depth, step in enumerate(path):
            found = _child(node, step)
            if found is None:
                return node, depth
            node = found[0]
        return node, len(path)

    def _parent_and_key(self, path: Path_) -> tuple[yaml.Node, yaml.Node | None, yaml.Node]:
        parent, depth = self._find(path[:-1])
        assert parent is not None and depth == len(path) - 1
        found = _child(parent, path[-1])
        assert found is not None
        return parent, found[1], found[0]

    def _indent_of(self, parent: yaml.Node, key: yaml.Node | None, node: yaml.Node) -> int:
        """The column at which the contents of `node` are written in block style."""
        if key is not None:
            return key.start_mark.column + 2
        return self.text.index("-", _dash(self.text, node)) - _line_start(self.text, _dash(self.text, node)) + 2

    # -- the changes ----------------------------------------------------------------------------

    def apply(self, change: Change) -> str:
        if change.op == "set":
            edits = self._set(change.path, change.value)
        elif change.op == "remove":
            edits = self._remove(change.path)
        elif change.op == "insert":
            edits = self._insert(change.path, change.index, change.value)
        elif change.op == "move":
            edits = self._move(change.path, change.index, change.to)
        else:
            raise EditError(f"错误: 不认识的修改「{change.op}」")
        text = self.text
        for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text

    def _set(self, path: Path_, value: Value) -> list[_Edit]:
        node, depth = self._find(path)
        if depth < len(path):
            if value is None or value == [] or value == {}:
                return []  # nothing to empty
            return self._create(path, depth, value)
        assert node is not None
        parent, key, _ = self._parent_and_key(path) if path else (self.root, None, self.root)
        flow_context = getattr(parent, "flow_style", False)
        if value is None and flow_context:
            return self._remove(path)
        if isinstance(node, yaml.ScalarNode):
            return self._set_scalar(parent, key, node, value, bool(flow_context))
        if flow_context or getattr(node, "flow_style", False):
            return [_Edit(node.start_mark.index, node.end_mark.index, _inline(value) if value is not None else "null")]
        if value is None or isinstance(value, list | dict):
            return self._replace_block(parent, key, node, value)
        listed = isinstance(node, yaml.SequenceNode) and node.value and key is not None
        if listed and isinstance(value, str) and _literal_ok(value):
            assert key is not None and isinstance(node, yaml.SequenceNode)
            return self._list_to_text(key, node, value)
        raise EditError(f"错误: 「{path[-1]}」在文件中写成了一组内容，不能在表单中改成一段文字：请在「源文件」中修改")

    def _set_scalar(
        self, parent: yaml.Node, key: yaml.Node | None, node: yaml.ScalarNode, value: Value, flow_context: bool
    ) -> list[_Edit]:
        start, end = node.start_mark.index, node.end_mark.index
        if flow_context:
            return [_Edit(start, end, _inline(value) if value is not None else "null")]
        indent = self._indent_of(parent, key, node)
        if isinstance(value, list) and value and key is not None and not _is_empty(node):
            return self._text_to_list(key, node, value, indent)
        if node.style in ("|", ">"):
            return self._set_literal(node, value, indent)
        if isinstance(value, dict | list) and value:
            if not _is_empty(node):
                raise EditError("错误: 这里在文件中写的是一段文字，不能在表单中改成一组内容：请在「源文件」中修改")
            lines = _block_lines(value, indent)
            at = _line_end(self.text, max(start, end))
            gap = start - 1 if start > 0 and self.text[start - 1] == " " else start
            return [_Edit(gap, end, ""), _Edit(at, at, "\n" + "\n".join(lines))]
        if isinstance(value, str) and "\n" in value and _literal_ok(value):
            if start == end:  # `key:` with nothing after it
                colon_end = start
                return [_Edit(colon_end, colon_end, " |"), self._after_line(colon_end, _literal(value, indent))]
            return [_Edit(start, end, "|"), self._after_line(end, _literal(value, indent))]
        shown = _inline(value)
        if start == end:
            return [_Edit(start, end, f" {shown}")] if shown else []
        if not shown and start > 0 and self.text[start - 1] == " ":
            start -= 1  # `key:` rather than `key: ` with a space left at the end of the line
        return [_Edit(start, end, shown)]

    def _text_to_list(self, key: yaml.Node, node: yaml.ScalarNode, value: list[Any], indent: int) -> list[_Edit]:
        """A section's text becomes a list (its paragraphs, then a block such as 评分: 结论); the
        comment on the key's line stays."""
        colon = self.text.index(":", key.end_mark.index) + 1
        lines = "\n".join(_block_lines(value, indent))
        if node.style in ("|", ">"):
            header_end = _line_end(self.text, node.start_mark.index)
            indicator = re.match(r"[|>][-+0-9]*", self.text[node.start_mark.index : header_end])
            cut = node.start_mark.index + (indicator.end() if indicator else 1)
            body_start = min(len(self.text), header_end + 1)
            body_end = _trim_blank_tail(self.text, body_start, node.end_mark.index)
            if body_start == len(self.text) and not self.text.endswith("\n"):
                return [_Edit(colon, cut, ""), _Edit(body_start, body_end, "\n" + lines + "\n")]
            return [_Edit(colon, cut, ""), _Edit(body_start, body_end, lines + "\n")]
        at = _line_end(self.text, node.end_mark.index)
        return [_Edit(colon, node.end_mark.index, ""), _Edit(at, at, "\n" + lines)]

    def _list_to_text(self, key: yaml.Node, node: yaml.SequenceNode, value: str) -> list[_Edit]:
        """The other way: a section's list of paragraphs written back as one literal block."""
        colon = self.text.index(":", key.end_mark.index) + 1
        first = _line_start(self.text, _dash(self.text, node.value[0]))
        column = _dash(self.text, node.value[0]) - first
        end = _after_block(self.text, node)
        lines = _literal(value, max(column, key.start_mark.column + 2))
        return [_Edit(colon, colon, " |"), _Edit(first, end, "".join(f"{line}\n" for line in lines))]

    def _after_line(self, index: int, lines: list[str]) -> _Edit:
        at = _line_end(self.text, index)
        return _Edit(at, at, "\n" + "\n".join(lines))

    def _set_literal(self, node: yaml.ScalarNode, value: Value, indent: int) -> list[_Edit]:
        """A literal block keeps its header (`|  # 注释`) and its blank lines after; its lines change."""
        header_end = _line_end(self.text, node.start_mark.index)
        body_start = min(len(self.text), header_end + 1)
        body_end = _trim_blank_tail(self.text, body_start, node.end_mark.index)
        old = [line for line in self.text[body_start:body_end].split("\n") if line.strip()]
        if old:
            indent = min(len(line) - len(line.lstrip(" ")) for line in old)
        text = "" if value is None else value if isinstance(value, str) else _inline(value)
        if not _literal_ok(text) and text:
            raise EditError("错误: 这段文字含有不能写在多行文字中的字符（控制字符）：请删除它")
        lines = _literal(text, indent) if text.strip() else []
        body = "".join(f"{line}\n" for line in lines)
        if body_start == len(self.text) and lines and not self.text.endswith("\n"):
            body = "\n" + body
        return [_Edit(body_start, body_end, body)]

    def _replace_block(self, parent: yaml.Node, key: yaml.Node | None, node: yaml.Node, value: Value) -> list[_Edit]:
        """A block list or mapping written anew (its own comments go with it)."""
        first = node.value[0] if node.value else None
        start_node = first[0] if isinstance(first, tuple) else first
        if start_node is None:
            return []
        start = _line_start(
            self.text,
            _dash(self.text, start_node) if isinstance(node, yaml.SequenceNode) else start_node.start_mark.index,
        )
        end = _after_block(self.text, node)
        column = (
            _dash(self.text, start_node) if isinstance(node, yaml.SequenceNode) else start_node.start_mark.index
        ) - start
        if value is None or value == [] or value == {}:
            gap = self.text.rfind("\n", 0, start)
            return [_Edit(gap if gap >= 0 else start, end - 1 if end > start else end, "")]
        lines = _block_lines(value, column)
        return [_Edit(start, end, "\n".join(lines) + "\n")]

    def _create(self, path: Path_, depth: int, value: Value) -> list[_Edit]:
        """A key (or a row) that is not in the file yet, with what it needs above it."""
        holder, _ = self._find(path[:depth])
        assert holder is not None
        nested: Value = value
        for step in reversed(path[depth + 1 :]):
            if isinstance(step, int):
                raise EditError("错误: 要填的那一行不在文件中：请先添加这一行")
            nested = {step: nested}
        step = path[depth]
        if isinstance(holder, yaml.SequenceNode):
            if not isinstance(step, int) or step != len(holder.value):
                raise EditError("错误: 要填的那一行不在文件中：请先添加这一行")
            return self._insert(path[:depth], step, nested)
        if isinstance(holder, yaml.ScalarNode):
            if not _is_empty(holder) or isinstance(step, int):
                raise EditError(
                    f"错误: 「{path[depth - 1]}」在文件中写的是一段文字，不能在其下再填内容：请在「源文件」中修改"
                )
            parent, key, _ = self._parent_and_key(path[:depth])
            return self._set_scalar(
                parent,
                key,
                holder,
                {str(step): nested} if not isinstance(step, int) else [nested],
                bool(getattr(parent, "flow_style", False)),
            )
        assert isinstance(holder, yaml.MappingNode)
        if isinstance(step, int):
            raise EditError("错误: 这里在文件中是「键: 值」形式，不是列表：请在「源文件」中修改")
        return [self._add_key(holder, step, nested, path[:depth])]

    def _add_key(self, mapping: yaml.MappingNode, name: str, value: Value, where: Path_) -> _Edit:
        if mapping.flow_style:
            close = mapping.end_mark.index - 1
            before = self.text[mapping.start_mark.index + 1 : close].rstrip()
            separator = "" if not mapping.value or before.endswith(",") else ", "
            return _Edit(close, close, f"{separator}{scalar(name)}: {_inline(value)}")
        column = mapping.value[0][0].start_mark.column if mapping.value else 0
        lines = _keyed(name, value, column)
        at = self._place(mapping, name, where, column)
        if column == 0 and len(lines) > 1 and at > 1 and self.text[at - 2 : at] != "\n\n":
            lines.insert(0, "")  # a new part of the file stands apart, as the others do
        return _Edit(at, at, "\n".join(lines) + "\n")

    def _place(self, mapping: yaml.MappingNode, name: str, where: Path_, column: int = 0) -> int:
        """Where a new key goes: after the last key that comes before it in the format's order,
        else before the first that comes after it, else at the end of the mapping."""
        from reportgen.editing.order import key_order

        order = key_order(where)
        present = [(k.value, k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode)]
        if name in order:
            rank = order.index(name)
            before = [p for p in present if p[0] in order and order.index(p[0]) < rank]
            if before:
                return self._past_comments(_after_block(self.text, before[-1][2]), column)
            after = [p for p in present if p[0] in order and order.index(p[0]) > rank]
            if after:
                return _line_start(self.text, after[0][1].start_mark.index)
        if not mapping.value:
            return len(self.text)
        end = _after_block(self.text, mapping)
        if end == len(self.text) and not self.text.endswith("\n"):
            self.text += "\n"
            return len(self.text)
        return end

    def _past_comments(self, at: int, column: int) -> int:
        """Past the comment lines that belong to the block above (indented deeper than the new key):
        the starter's commented-out choices stay with their group."""
        while at < len(self.text):
            end = _line_end(self.text, at)
            line = self.text[at:end]
            stripped = line.lstrip(" ")
            if not stripped.startswith("#") or len(line) - len(stripped) <= column:
                break
            at = min(len(self.text), end + 1)
        return at

    def _remove(self, path: Path_) -> list[_Edit]:
        if not path:
            raise EditError("错误: 不能删除整个文件")
        node, depth = self._find(path)
        if depth < len(path):
            return []
        parent, key, node = self._parent_and_key(path)
        if getattr(parent, "flow_style", False):
            return [self._remove_flow(parent, key, node)]
        if isinstance(parent, yaml.SequenceNode):
            index = parent.value.index(node)
            start = _line_start(self.text, _dash(self.text, node))
            if index + 1 < len(parent.value):
                end = _line_start(self.text, _dash(self.text, parent.value[index + 1]))
            else:
                end = _after_block(self.text, node)
            if len(parent.value) == 1 and len(path) > 1 and isinstance(path[-2], str):
                return self._remove(path[:-1])  # the last row gone: its list goes too, not left as `主要任务:`
            if len(parent.value) == 1:
                return self._empty_parent(start, end)
            return [_Edit(start, end, "")]
        assert key is not None
        start = _line_start(self.text, key.start_mark.index)
        assert isinstance(parent, yaml.MappingNode)
        siblings = [k for k, _ in parent.value]
        at = siblings.index(key)
        if self.text[start : key.start_mark.index].strip() and at + 1 < len(siblings):
            # the first key of a list item (`- 名称: …`): the next key moves up beside the dash
            return [_Edit(key.start_mark.index, siblings[at + 1].start_mark.index, "")]
        end = (
            _line_start(self.text, siblings[at + 1].start_mark.index)
            if at + 1 < len(siblings)
            else _after_block(self.text, node)
        )
        if len(parent.value) == 1 and parent is not self.root:
            return self._empty_parent(start, end)
        return [_Edit(start, end, "")]

    def _empty_parent(self, start: int, end: int) -> list[_Edit]:
        """The last entry of a block collection removed: the key above it stays, empty."""
        gap = start - 1 if start > 0 else start
        return [_Edit(gap, max(gap, end - 1), "")]

    def _remove_flow(self, parent: yaml.Node, key: yaml.Node | None, node: yaml.Node) -> _Edit:
        start = key.start_mark.index if key is not None else node.start_mark.index
        end = node.end_mark.index
        rest = self.text[end:]
        comma = re.match(r"\s*,\s*", rest)
        if comma:
            return _Edit(start, end + comma.end(), "")
        before = self.text[:start]
        trail = re.search(r",\s*$", before)
        return _Edit(trail.start() if trail else start, end, "")

    def _list(self, path: Path_) -> yaml.SequenceNode | None:
        node, depth = self._find(path)
        if depth < len(path) or node is None or _is_empty(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            raise EditError(f"错误: 「{path[-1] if path else ''}」在文件中不是列表：请在「源文件」中修改")
        return node

    def _insert(self, path: Path_, index: int, value: Value) -> list[_Edit]:
        listed = self._list(path)
        if listed is None:
            return self._set(path, [value])
        index = max(0, min(index, len(listed.value)))
        if listed.flow_style:
            texts = [self.text[i.start_mark.index : i.end_mark.index] for i in listed.value]
            texts.insert(index, _inline(value))
            return [_Edit(listed.start_mark.index, listed.end_mark.index, "[" + ", ".join(texts) + "]")]
        first = listed.value[0]
        column = _dash(self.text, first) - _line_start(self.text, _dash(self.text, first))
        lines = _block_lines([value], column)
        if index < len(listed.value):
            at = _line_start(self.text, _dash(self.text, listed.value[index]))
        else:
            at = _after_block(self.text, listed)
            if at == len(self.text) and not self.text.endswith("\n"):
                return [_Edit(at, at, "\n" + "\n".join(lines) + "\n")]
        return [_Edit(at, at, "\n".join(lines) + "\n")]

    def _move(self, path: Path_, index: int, to: int) -> list[_Edit]:
        listed = self._list(path)
        if listed is None or not (0 <= index < len(listed.value)) or not (0 <= to < len(listed.value)):
            raise EditError("错误: 要移动的行不在文件中")
        if index == to:
            return []
        if listed.flow_style:
            texts = [self.text[i.start_mark.index : i.end_mark.index] for i in listed.value]
            texts.insert(to, texts.pop(index))
            return [_Edit(listed.start_mark.index, listed.end_mark.index, "[" + ", ".join(texts) + "]")]
        starts = [_line_start(self.text, _dash(self.text, item)) for item in listed.value]
        end = _after_block(self.text, listed)
        spans = [self.text[s:e] for s, e in zip(starts, [*starts[1:], end], strict=True)]
        if not spans[-1].endswith("\n"):
            spans[-1] += "\n"
        spans.insert(to, spans.pop(index))
        return [_Edit(starts[0], end, "".join(spans))]


# -- what a change must leave ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as the file reads back, for comparison: text without its final line breaks."""
    if value == {} or value == []:
        return None  # an emptied mapping or list reads back as nothing
    if isinstance(value, dict):  # a key with nothing in it reads as no key
        return {k: p for k, v in value.items() if (p := _plain(v)) is not None}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return "\n".join(line.strip(" ") for line in value.strip("\n").split("\n"))
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def _expected(data: dict[str, Any], change: Change, value: Any) -> dict[str, Any]:
    """The data as the change should leave it."""
    import copy

    result = copy.deepcopy(data)
    path = change.path
    if change.op == "remove" and not _present(result, path):
        return result  # nothing there to remove
    holder: Any = result
    for step in path[:-1] if change.op in ("set", "remove") else path:
        if isinstance(holder, dict):
            if holder.get(step) is None:
                holder[step] = {} if change.op == "set" else []
            holder = holder[step]
        else:
            holder = holder[step]
    if change.op == "set":
        last = path[-1]
        if value is None or value == [] or value == {}:
            if isinstance(holder, dict) and last in holder:
                holder[last] = None
        elif isinstance(holder, list) and isinstance(last, int) and last == len(holder):
            holder.append(value)
        else:
            holder[last] = value
    elif change.op == "remove":
        if isinstance(holder, dict):
            holder.pop(path[-1], None)
        elif isinstance(path[-1], int) and path[-1] < len(holder):
            holder.pop(path[-1])
    elif change.op == "insert":
        holder.insert(max(0, min(change.index, len(holder))), value)
    elif change.op == "move":
        holder.insert(change.to, holder.pop(change.index))
    return result


_UNREADABLE = "错误: 这项修改会使文件无法读取，未做修改：请在「源文件」中修改"


def _read_back(text: str, unreadable: str = _UNREADABLE) -> dict[str, Any]:
    from reportgen.errors import InputError
    from reportgen.input.loader import load

    try:
        loaded = load("文件.yaml", text.encode("utf-8"))
    except InputError as exc:
        raise EditError(unreadable) from exc
    return loaded.data


def _as_read(value: Value) -> Any:
    """The value as the loader would read it from the file."""
    if value is None:
        return None
    return _read_back(f"x: {flow(value)}\n")["x"]


def _differs(a: Any, b: Any) -> bool:
    return _plain(a) != _plain(b)


def _has(holder: Any, step: str | int) -> bool:
    if isinstance(holder, dict):
        return step in holder
    return isinstance(holder, list) and isinstance(step, int) and 0 <= step < len(holder)


def _present(data: dict[str, Any], path: Path_) -> bool:
    holder: Any = data
    for step in path:
        if not _has(holder, step):
            return False
        holder = holder[step]
    return True


def _emptied(data: dict[str, Any], path: Path_) -> bool:
    holder: Any = data
    for step in path:
        if not _has(holder, step):
            return True
        holder = holder[step]
    return holder in (None, "", [], {})


def _checked(change: Change) -> None:
    """A change names a place in the file (not the file itself, no row before the first) and,
    for rows, positions that are numbers."""
    if change.op not in ("set", "remove", "insert", "move"):
        raise EditError(f"错误: 不认识的修改「{change.op}」")
    if not change.path and change.op in ("set", "remove"):
        raise EditError("错误: 修改的位置无效")
    if any(isinstance(step, int) and step < 0 for step in change.path) or min(change.index, change.to) < 0:
        raise EditError("错误: 修改的位置无效")


def apply(text: str, changes: Sequence[Change]) -> str:
    """The text with each change made in turn; raises EditError (and changes nothing) when one
    cannot be made exactly."""
    for change in changes:
        _checked(change)
        editor = Editor(text)
        before = _read_back(text, "错误: 源文件现在无法读取，请先在「源文件」中改正（见「问题」）")
        after_text = editor.apply(change)
        after = _read_back(after_text)
        if change.op == "set" and (change.value is None or change.value in ([], {})):
            ok = _emptied(after, change.path) and not _differs(
                _without(after, change.path), _without(before, change.path)
            )
        else:
            ok = not _differs(after, _expected(before, change, _as_read(change.value)))
        if not ok:
            where = "›".join(str(step) for step in change.path)
            raise EditError(f"错误: 「{where}」不能在表单中这样修改（文件的写法特殊）：请在「源文件」中修改")
        text = after_text
    return text


def _without(data: dict[str, Any], path: Path_) -> dict[str, Any]:
    import copy

    result = copy.deepcopy(data)
    holder: Any = result
    for step in path[:-1]:
        if not _has(holder, step):
            return result
        holder = holder[step]
    if isinstance(holder, dict):
        holder.pop(path[-1], None)  # a mapping left empty compares as nothing (_plain)
    return result
