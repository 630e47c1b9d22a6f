"""Figures written into an existing YAML without touching anything else in it.

The file is the officer's, and one reportgen reads (no anchors; import_workbook checks it
first): comments, order, quoting, flow mappings ({…}), line endings and blank lines stay byte
for byte.  Each figure is an edit of its own place — a value replaced where the
key is, a key added at the end of its mapping where it is not (a line in a block mapping, `, 键:
值` before the closing brace of a flow one) — located through the YAML parser's own marks.  The
caller writes the result only once it reads back (import_.py), so a failure leaves the file as
it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from reportgen.errors import InputError
from reportgen.input.yaml_writer import entry, scalar

if TYPE_CHECKING:
    from reportgen.importing.final_accounts import Found

FUNDS = "部门整体收支情况"
GROUPS = ("收入来源", "资金来源", "支出性质")  # parts of a total: a part the tables show as 0 is left out

Item = tuple[str, Decimal, str]  # key, value, where it came from


@dataclass
class _Edit:
    start: int  # character offsets into the text
    end: int
    text: str
    column: int = 0  # of the lines it adds: at one place, a nested mapping's lines come first


@dataclass
class Text:
    """The officer's file as text with LF line ends, and what to give back: its BOM and CRLF."""

    body: str
    bom: bool = False
    crlf: bool = False

    @classmethod
    def read(cls, path: Path) -> Text:
        from reportgen.input.loader import read_source

        raw, text = read_source(path)
        crlf = text.count("\r\n") * 2 > text.count("\n")
        return cls(text.replace("\r\n", "\n"), raw.startswith(b"\xef\xbb\xbf"), crlf)

    def back(self, body: str) -> str:
        """The edited text in the file's own dress."""
        text = body.replace("\n", "\r\n") if self.crlf else body
        return ("\ufeff" if self.bom else "") + text


def _mapping_items(node: yaml.MappingNode) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    return {k.value: (k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _after_block(text: str, node: yaml.Node) -> int:
    """The offset where a line may be inserted after the last line of `node`'s content (its
    deepest last block value: a mapping's own end mark runs on to the next key; a flow value
    ends at its closing bracket)."""
    last: yaml.Node = node
    while isinstance(last, yaml.MappingNode | yaml.SequenceNode) and last.value and not last.flow_style:
        tail = last.value[-1]
        last = tail[1] if isinstance(tail, tuple) else tail
    end = last.end_mark.index
    if last.end_mark.column == 0:
        return end  # a block scalar ends at the start of the next line
    newline = text.find("\n", end)
    return len(text) if newline < 0 else newline + 1


def _column(node: yaml.MappingNode, default: int) -> int:
    return node.value[0][0].start_mark.column if node.value else default


class _Filler:
    """The edits that put the figures into the file, and a note for the officer on each."""

    def __init__(self, text: str, root: yaml.MappingNode, source_name: str) -> None:
        self.text = text
        self.root = root
        self.source = source_name
        self.edits: list[_Edit] = []
        self.notes: list[str] = []
        self.added: dict[int, int] = {}  # keys added so far to each flow mapping

    def _add(self, mapping: yaml.MappingNode, name: str, items: list[Item] | Item, column: int) -> _Edit:
        """A key added at the end of `mapping`: a scalar (one item) or a group of them (a list)."""
        if mapping.flow_style:
            if isinstance(items, list):
                value = "{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v, _ in items) + "}"
            else:
                value = scalar(items[1])
            close = mapping.end_mark.index - 1  # the closing brace
            before = self.text[mapping.start_mark.index + 1 : close].rstrip()
            earlier = self.added.get(id(mapping), 0)
            self.added[id(mapping)] = earlier + 1
            first = not mapping.value or before.endswith(",")
            separator = "" if first and not earlier else ", "
            return _Edit(close, close, f"{separator}{scalar(name)}: {value}")
        at = _after_block(self.text, mapping)
        if isinstance(items, list):
            lines = [entry(column, name)] + [entry(column + 2, k, scalar(v), w) for k, v, w in items]
        else:
            lines = [entry(column, name, scalar(items[1]), items[2])]
        return _Edit(at, at, "\n".join(lines) + "\n", column)

    def origin(self, found: Found, key: tuple[str, ...]) -> str:
        return f"{self.source} {found.where.get(key, '')}".strip()

    def funds(self, found: Found) -> None:
        node = self._funds_node()
        if node is None:
            self._new_funds(found)
            return
        groups: dict[str, list[Item]] = {}
        for key, value in found.figures.items():
            if len(key) == 1:
                self._set(node, key[0], value, self.origin(found, key))
            else:
                groups.setdefault(key[0], []).append((key[1], value, self.origin(found, key)))
        for group, items in groups.items():
            self._group(node, group, items)

    def _funds_node(self) -> yaml.MappingNode | None:
        for _key, value in _mapping_items(self.root).values():
            if isinstance(value, yaml.MappingNode) and FUNDS in _mapping_items(value):
                candidate = _mapping_items(value)[FUNDS][1]
                if isinstance(candidate, yaml.MappingNode):
                    return candidate
        return None

    def _new_funds(self, found: Found) -> None:
        part = _mapping_items(self.root).get("基本情况")
        if part is None or not isinstance(part[1], yaml.MappingNode) or part[1].flow_style:
            raise InputError(
                "错误: YAML 中没有「部门整体收支情况」小节，也没有可放入它的「基本情况」：请先写出这一小节"
            )
        column = _column(part[1], 2)
        lines = [entry(column, FUNDS)]
        groups: dict[str, list[Item]] = {}
        for key, value in found.figures.items():
            if len(key) == 1:
                lines.append(entry(column + 2, key[0], scalar(value), self.origin(found, key)))
            elif not (key[0] in GROUPS and value == 0):
                groups.setdefault(key[0], []).append((key[1], value, self.origin(found, key)))
        for group, items in groups.items():
            lines.append(entry(column + 2, group))
            lines += [entry(column + 4, k, scalar(v), w) for k, v, w in items]
        at = _after_block(self.text, part[1])
        self.edits.append(_Edit(at, at, "\n".join(lines) + "\n"))
        self.notes.append(f"新增「{FUNDS}」小节")

    def _group(self, node: yaml.MappingNode, group: str, items: list[Item]) -> None:
        present = _mapping_items(node)
        sub = present[group][1] if group in present else None
        if isinstance(sub, yaml.MappingNode):
            for name, value, origin in items:
                if value == 0 and name not in _mapping_items(sub):
                    continue
                self._set(sub, name, value, origin)
            return
        items = [item for item in items if item[1] != 0] if group in GROUPS else items
        if not items:
            return
        if sub is not None and not (isinstance(sub, yaml.ScalarNode) and sub.value == ""):
            self.notes.append(f"「{group}」不是「键: 值」形式，未改动")
            return
        self.notes += [f"「{n}」由决算表填入（{w}）" for n, _, w in items]
        if sub is not None:  # written empty ("资金来源:"): the group goes in its place
            self.edits.append(self._fill_empty(node, present[group][0], items))
            return
        self.edits.append(self._add(node, group, items, _column(node, 4)))

    def _fill_empty(self, mapping: yaml.MappingNode, key: yaml.Node, items: list[Item]) -> _Edit:
        colon = self.text.index(":", key.end_mark.index) + 1
        if mapping.flow_style:
            inner = ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v, _ in items)
            return _Edit(colon, colon, f" {{{inner}}}")
        end = self.text.find("\n", colon)
        end = len(self.text) if end < 0 else end
        column = key.start_mark.column + 2
        lines = [entry(column, k, scalar(v), w) for k, v, w in items]
        return _Edit(end, end, "\n" + "\n".join(lines))

    def _set(self, mapping: yaml.MappingNode, name: str, value: Decimal, origin: str) -> None:
        shown = scalar(value)
        items = _mapping_items(mapping)
        if name not in items:
            self.notes.append(f"「{name}」由决算表填入（{origin}）")
            self.edits.append(self._add(mapping, name, (name, value, origin), _column(mapping, 4)))
            return
        key_node, value_node = items[name]
        if not isinstance(value_node, yaml.ScalarNode):
            self.notes.append(f"「{name}」不是一个数字，未改动")
            return
        if value_node.start_mark.index == value_node.end_mark.index:  # written empty: "执行数:"
            at = self.text.index(":", key_node.end_mark.index) + 1
            self.notes.append(f"「{name}」由决算表填入（{origin}）")
            self.edits.append(_Edit(at, at, f" {shown}"))
            return
        old = self.text[value_node.start_mark.index : value_node.end_mark.index]
        try:
            same = Decimal(old.strip().strip("'\"").replace(",", "")) == value
        except ArithmeticError:
            same = False
        if not same:
            self.notes.append(f"「{name}」原为 {old.strip()}，按决算表改为 {shown}（{origin}）")
            self.edits.append(_Edit(value_node.start_mark.index, value_node.end_mark.index, shown))
            if _quoted_elsewhere(self.text, old.strip(), value_node.start_mark.index):
                self.notes.append(f"「{name}」的原数 {old.strip()} 还写在文中（如原文的句子），请一并改为 {shown}")

    def two_places(self) -> None:
        """Amounts turned from 元 into 万元 keep every digit; the report prints them with two places."""
        reason = "决算表以元为单位，换算为万元后保留全部位数，印出时取两位小数"
        top = _mapping_items(self.root)
        if "格式" in top and isinstance(top["格式"][1], yaml.MappingNode):
            before = len(self.notes)
            self._set(top["格式"][1], "金额小数位", Decimal(2), reason)
            if len(self.notes) > before:
                self.notes[-1] = f"「金额小数位」设为 2（{reason}）"
            return
        anchor = top.get("模板") or top.get("年度") or top.get("部门名称")
        if anchor is None or "格式" in top:
            return
        end = anchor[1].end_mark.index
        at = self.text.index("\n", end) + 1 if "\n" in self.text[end:] else len(self.text)
        self.notes.append(f"「金额小数位」设为 2（{reason}）")
        self.edits.append(_Edit(at, at, entry(0, "格式") + "\n" + entry(2, "金额小数位", "2", reason) + "\n"))

    def result(self) -> str:
        text = self.text
        # from the end, so that earlier offsets hold; at one place, the lines of the deeper mapping
        # first (a group's new keys before its parent's: else they would fall under the parent's)
        order = sorted(range(len(self.edits)), key=lambda i: (self.edits[i].start, -self.edits[i].column, i))
        for index in reversed(order):
            edit = self.edits[index]
            text = text[: edit.start] + edit.text + text[edit.end :]
        return text


def fill(base: str, found: Found, source_name: str) -> tuple[str, list[tuple[int, str]]]:
    """`base` (LF line ends) with the figures put in, and the notes with the lines they speak of."""
    try:
        root = yaml.compose(base, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise InputError(f"错误: 要填入的 YAML 有语法错误，请先用 reportgen validate 检查（{exc}）") from exc
    if not isinstance(root, yaml.MappingNode):
        raise InputError("错误: 要填入的 YAML 最外层应是「键: 值」形式")
    filler = _Filler(base, root, source_name)
    filler.funds(found)
    if found.in_yuan:
        filler.two_places()
    text = filler.result()
    return text, [(_line_of(text, note), note) for note in filler.notes]


def _quoted_elsewhere(text: str, figure: str, at: int) -> bool:
    """Whether a sentence of the file quotes the figure (1265.30, or 1,265.30) besides its key."""
    plain = figure.replace(",", "")
    try:
        grouped = f"{Decimal(plain):,}"
    except ArithmeticError:
        return False
    rest = text[:at] + text[at + len(figure) :]
    return any(f"{form}万元" in rest or f"{form} 万元" in rest for form in {plain, grouped})


def _line_of(text: str, note: str) -> int:
    """The line a note speaks of: the figure's key line when it names one."""
    key = note.split("」")[0].split("「")[-1] if "「" in note else ""
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if key and (stripped.startswith(f"{key}:") or (f"{key}:" in stripped and "{" in stripped)):
            return number
    return 1
