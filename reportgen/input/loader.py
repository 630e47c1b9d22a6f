"""Read a YAML file into plain data plus the position of every key and value.

PyYAML resolves YAML 1.1 implicitly: `yes` becomes True, `010` becomes 8, `2023-01-05` a date.
An officer who typed those meant text or a number as written, so such values are refused with a
hint instead of being silently changed.  Numbers keep the digits as typed (`Decimal`), so
`3634.3` prints as `3634.3` and never passes through a binary float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from reportgen.diagnostics import FORMAT, Diagnostic, Level, Path_
from reportgen.errors import InputError

MAX_BYTES = 2_000_000  # a report's YAML is 5–60 KB; the largest seed is 24 KB
MAX_DEPTH = 40  # mappings and lists inside each other; the format itself needs 8
MAX_NODES = 30_000  # keys and values in one file (the longest seed has about 1,200)
# Digits of one number, and how far its exponent may move them (`1.0e+1000000`): beyond any
# figure, and within what Decimal arithmetic and printing take without overflow or gigabytes.
MAX_DIGITS = 100
# Characters a document cannot hold (control characters, lone surrogates, U+FFFE/FFFF): what the
# YAML reader refuses in the file, and what a double-quoted escape such as "\x0f" could produce.
_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_TRUE_WORDS = {"true", "True", "TRUE", "false", "False", "FALSE"}
_OCTAL = re.compile(r"^[-+]?0[0-9_]+$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$")


@dataclass
class Loaded:
    """The file's data and where each piece of it stands."""

    file: str
    data: dict[str, Any]
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    raw: bytes = b""  # the file exactly as read

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Closest known position for a path: the key itself, else its nearest ancestor."""
        first, second = (self.key_positions, self.positions) if key else (self.positions, self.key_positions)
        probe = tuple(path)
        while probe:
            if probe in first:
                return first[probe]
            if probe in second:  # a list item has no key; a key may have no value
                return second[probe]
            probe = probe[:-1]
        return (1, 1)


class _Loader(Reader, Scanner, Parser, Composer, SafeConstructor, Resolver):
    """SafeLoader that refuses anchors and aliases (alias bombs, and surprises for officers)."""

    def __init__(self, stream: str, file: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._file = file
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        mark = event.start_mark
        if isinstance(event, AliasEvent) or (
            isinstance(event, ScalarEvent | CollectionStartEvent) and anchor is not None
        ):
            raise InputError(
                f"{self._file}:{mark.line + 1}:{mark.column + 1}: 错误: 不支持 YAML 锚点和别名"
                f"（&{anchor or ''} / *）：请把内容直接写出来"
            )
        self._depth += 1
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise InputError(
                f"{self._file}:{mark.line + 1}:{mark.column + 1}: 错误: 内容项过多（超过 {MAX_NODES} 个键和值），"
                "不像一份报告：请检查文件是否完整、是否重复粘贴"
            )
        try:
            if self._depth > MAX_DEPTH:
                raise InputError(
                    f"{self._file}:{mark.line + 1}:{mark.column + 1}: 错误: 嵌套超过 {MAX_DEPTH} 层："
                    "请检查缩进和括号（报告的格式最多用到 8 层）"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def character_name(char: str) -> str:
    """U+000F, for a character that cannot be shown as itself."""
    return f"U+{ord(char):04X}" if len(char) == 1 else repr(char)


def _where(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def read_text(path: Path) -> str:
    return read_source(path)[1]


def read_source(path: Path, raw: bytes | None = None) -> tuple[bytes, str]:
    """The file's bytes (embedded as they are in the PDF) and its text, or one clear line on why
    it cannot be read.  With `raw`, those bytes stand for the file (a YAML taken from a PDF)."""
    name = str(path)
    if raw is None:
        if not path.exists():
            raise InputError(f"{name}: 错误: 文件不存在")
        if path.is_dir():
            raise InputError(f"{name}: 错误: 这是一个文件夹，请给出 YAML 文件")
        if not path.is_file():  # a pipe or a device would be read without end
            raise InputError(f"{name}: 错误: 不是普通文件，请给出 YAML 文件")
        try:
            if path.stat().st_size > MAX_BYTES:
                raise InputError(f"{name}: 错误: 文件过大（{path.stat().st_size} 字节，上限 {MAX_BYTES}）")
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: 错误: 无法读取文件（{exc.strerror}）") from exc
    if len(raw) > MAX_BYTES:
        raise InputError(f"{name}: 错误: 文件过大（{len(raw)} 字节，上限 {MAX_BYTES}）")
    original = raw
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
            hint = "文件是 GBK/GB2312 编码，请在编辑器中另存为 UTF-8 编码"
        except UnicodeDecodeError:
            hint = "文件不是 UTF-8 文本，请另存为 UTF-8 编码的 YAML 文件"
        raise InputError(f"{name}:{line}:1: 错误: {hint}") from exc
    if "\x00" in text:
        raise InputError(f"{name}: 错误: 这不是文本文件")
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise InputError(f"{name}: 错误: 文件为空，请先填写内容")
    return original, text


_YAML_PROBLEMS = [
    ("'\\t' that cannot start any token", "这里有制表符（Tab）：YAML 的缩进和冒号后都只能用空格，请把 Tab 改为空格"),
    ("cannot start any token", "该字符不能出现在一项的开头：若是文字，请给整段文字加引号"),
    ("mapping values are not allowed", "这里不能出现冒号「:」：值中含冒号时请给整段文字加引号"),
    ("could not find expected ':'", "缺少冒号「:」，或上一行的缩进不对"),
    ("expected <block end>", "缩进不一致：同一层的键必须对齐"),
    ("did not find expected key", "缩进不一致或缺少「- 」：同一层的键必须对齐"),
    ("did not find expected '-' indicator", "列表项缩进不一致：每项都以「- 」开头并对齐"),
    ("found unexpected end of stream", "引号没有配对，文件在引号内结束"),
    ("found unknown escape character", "双引号内的反斜杠「\\」无效：改用单引号或写成「\\\\」"),
    ("found undefined alias", "不支持 YAML 别名「*」"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("expected ',' or ']'", "方括号「[ ]」没有配对，或其中的各项之间缺少逗号（从它上方最近的「[」查起）"),
    ("expected ',' or '}'", "花括号「{ }」没有配对，或其中的各项之间缺少逗号（从它上方最近的「{」查起）"),
    ("while parsing a flow", "括号「[ ]」或「{ }」没有配对"),
]


_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:：#'\"\-][^:：#]{0,40}?)\s*：")


def fullwidth_colon(line: str) -> tuple[str, int] | None:
    """A line whose key is followed by a full-width colon (执行数：95): the key and its column."""
    match = _FULLWIDTH_KEY.match(line)
    if match is None or ": " in line[: match.end()]:
        return None
    return match.group(2), match.end()


_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?[^\s#'\"][^:#]*:(\s|$)")
_BLOCK_START = re.compile(r"[:：]\s*[|>][-+0-9]*\s*(#.*)?$")
# The keyed kinds of narrative block: written as list items, so "- 评分：结论" is a mistake where
# "- 目标1：……" is the officer's own text.
BLOCK_KEYS = ("小标题", "列表", "指标表", "表格", "项目自评", "评分", "项目评分")


def fullwidth_keys(text: str) -> list[tuple[int, int, str]]:
    """Lines where a key is followed by a full-width colon: (line, column of the colon, key).

    Only where a key can stand: outside block text (`|`), at the indentation of a key around it
    (or inside a mapping the key above opens), never a long phrase, and in a list only a block
    key, so that a sentence such as "目标1：……" in the officer's text is not taken for one."""
    found: list[tuple[int, int, str]] = []
    block: int | None = None  # indentation of the key that opened a block of text
    keys: list[tuple[int, bool]] = []  # (indentation, opens a mapping) of the keys around this line
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if block is not None:
            if not stripped or indent > block:
                continue
            block = None
        if not stripped or stripped.startswith("#"):
            continue
        hit = fullwidth_colon(line)
        if hit is None and _KEY_LINE.match(line) is None:
            continue
        while keys and keys[-1][0] > indent:
            keys.pop()
        if hit is not None and _KEY_LINE.match(line) is None:
            listed = stripped.startswith("- ")
            plausible = not keys or keys[-1][0] == indent or (keys[-1][1] and indent > keys[-1][0])
            if plausible and len(hit[0]) <= 20 and (not listed or hit[0] in BLOCK_KEYS):
                found.append((number, hit[1], hit[0]))
        opens = bool(re.search(r"[:：]\s*(#.*)?$", line))
        if keys and keys[-1][0] == indent:
            keys[-1] = (indent, opens)
        else:
            keys.append((indent, opens))
        if _BLOCK_START.search(line):
            block = indent
    return found


def fullwidth_message(key: str) -> str:
    return f"「{key}：」用了全角冒号「：」：键后面应是半角冒号「:」加一个空格，如「{key}: …」"


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or exc.context or "语法错误"
    for needle, chinese in _YAML_PROBLEMS:
        if needle in problem or (exc.context and needle in exc.context):
            return chinese
    return f"YAML 语法错误（{problem}）"


def load(path: Path | str, raw: bytes | None = None) -> Loaded:
    """Parse the file (or `raw`, its bytes from elsewhere); raises InputError when it is not a
    readable YAML mapping."""
    path = Path(path)
    name = str(path)
    raw, text = read_source(path, raw)
    loader: _Loader | None = None
    try:
        loader = _Loader(text, name)
        root = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line, column = _where(text, exc.position)
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        raise InputError(
            f"{name}:{line}:{column}: 错误: 含有不能印出的字符 {character_name(char)}"
            "（控制字符，多是从别处复制带来的）：请删除它"
        ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        colons = fullwidth_keys(text)
        tab = "'\\t'" in (exc.problem or "")  # a tab is the fault, whatever colons are about
        if mark is not None and colons and colons[0][0] <= mark.line + 1 and not tab:
            # every such line at once: YAML stops at the first and notices it a line or more later
            raise InputError(
                "\n".join(f"{name}:{line}:{column}: 错误: {fullwidth_message(key)}" for line, column, key in colons)
            ) from exc
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise InputError(f"{where}: 错误: {_yaml_message(exc)}") from exc
    except yaml.YAMLError as exc:
        raise InputError(f"{name}: 错误: YAML 语法错误（{exc}）") from exc
    except (ValueError, OverflowError) as exc:  # an escape such as "\U00110000" names no character
        where = f"{name}:{loader.line + 1}:{loader.column + 1}" if loader is not None else name
        raise InputError(f"{where}: 错误: 双引号中的转义写法无效（如 \\U 后的编码超出范围）：请直接写出文字") from exc
    finally:
        if loader is not None:
            loader.dispose()
    if root is None or (isinstance(root, ScalarNode) and root.tag.endswith(":null")):
        raise InputError(f"{name}: 错误: 文件为空，请先填写内容")
    if not isinstance(root, MappingNode):
        line = root.start_mark.line + 1
        raise InputError(f"{name}:{line}:1: 错误: 文件的最外层应是「键: 值」形式（如「部门名称: …」）")
    loaded = Loaded(file=name, data={}, raw=raw)
    loaded.data = _convert(root, (), loaded)
    return loaded


def _pos(node: Node) -> tuple[int, int]:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _problem(loaded: Loaded, node: Node, path: Path_, message: str) -> None:
    line, col = _pos(node)
    loaded.problems.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, path, FORMAT))


def _convert(node: Node, path: Path_, loaded: Loaded) -> Any:
    loaded.positions[path] = _pos(node)
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                _problem(loaded, key_node, path, "键必须是简单的文字")
                continue
            key = key_node.value
            bad = _UNPRINTABLE.search(key)
            if bad is not None:
                _problem(loaded, key_node, path, f"键中含有不能印出的字符 {character_name(bad.group())}：请删除它")
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                _problem(loaded, key_node, path, "不支持 YAML 合并键「<<」：请把内容直接写出来")
                continue
            child = (*path, key)
            if key in result:
                first = loaded.key_positions[child][0]
                _problem(loaded, key_node, child, f"键「{key}」重复出现（第 {first} 行已有），后一个会覆盖前一个")
                continue
            loaded.key_positions[child] = _pos(key_node)
            result[key] = _convert(value_node, child, loaded)
        return result
    if isinstance(node, SequenceNode):
        return [_convert(item, (*path, i), loaded) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node, path, loaded)


def _scalar(node: ScalarNode, path: Path_, loaded: Loaded) -> Any:
    text = node.value
    tag = node.tag
    bad = _UNPRINTABLE.search(text)
    if bad is not None:
        _problem(loaded, node, path, f"含有不能印出的字符 {character_name(bad.group())}（来自转义写法）：请删除它")
        return _UNPRINTABLE.sub("", text)
    quoted = node.style in ("'", '"', "|", ">")
    if quoted or tag == "tag:yaml.org,2002:str":
        return text
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        if text not in _TRUE_WORDS:
            _problem(loaded, node, path, f'「{text}」会被 YAML 读成是/否（布尔值）：若要文字请加引号，如 "{text}"')
        return text.lower() == "true"
    if tag == "tag:yaml.org,2002:timestamp":
        _problem(loaded, node, path, f'「{text}」会被 YAML 读成日期类型：请加引号写成 "{text}"')
        return text
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        return _figure(node, path, loaded)
    return text


def _figure(node: ScalarNode, path: Path_, loaded: Loaded) -> Any:
    """A YAML number as typed, within the range every formula and printed form can take; one
    beyond it stays text and is named here, before any arithmetic sees it."""
    text = node.value
    if len(text) > 2 * MAX_DIGITS:
        return _out_of_range(node, path, loaded, "位数过多" if "." in text else "数字过大")
    number = _integer(node, path, loaded) if node.tag == "tag:yaml.org,2002:int" else _decimal(node, path, loaded)
    if isinstance(number, str):
        return number
    figure = Decimal(number)
    if figure.adjusted() >= MAX_DIGITS:
        return _out_of_range(node, path, loaded, "数字过大")
    exponent = figure.as_tuple().exponent
    if len(figure.as_tuple().digits) > MAX_DIGITS or not isinstance(exponent, int) or exponent < -MAX_DIGITS:
        return _out_of_range(node, path, loaded, "位数过多")
    return number


def _out_of_range(node: ScalarNode, path: Path_, loaded: Loaded, what: str) -> str:
    _problem(loaded, node, path, f"「{_shown(node.value)}」{what}，超出范围：请写实际的数字（小数最多 6 位）")
    return node.value


def _integer(node: ScalarNode, path: Path_, loaded: Loaded) -> int | str:
    text = node.value
    if _OCTAL.match(text):
        hint = "去掉开头的 0，或加引号当文字"
        _problem(loaded, node, path, f"「{text}」以 0 开头，YAML 会按八进制读成别的数：{hint}")
    elif _SEXAGESIMAL.match(text) or "_" in text or text.lower().lstrip("+-")[:2] in ("0x", "0b", "0o"):
        _problem(loaded, node, path, f"「{_shown(text)}」不是普通的十进制数：请直接写数字，或加引号当文字")
    try:
        return int(text.replace("_", ""), 0) if not _OCTAL.match(text) else int(text.replace("_", ""))
    except ValueError:  # beyond the digits Python converts (4,300), or not a number after all
        return text


def _decimal(node: ScalarNode, path: Path_, loaded: Loaded) -> Decimal | str:
    text = node.value
    if _SEXAGESIMAL.match(text) or "_" in text:
        _problem(loaded, node, path, f"「{_shown(text)}」不是普通的十进制数：请直接写数字，或加引号当文字")
        return text
    if text.lower().lstrip("+-") in (".inf", ".nan"):
        _problem(loaded, node, path, f"「{text}」不是有效的数值")
        return text
    try:
        return Decimal(text.lstrip("+"))
    except InvalidOperation:
        return text


def _shown(text: str) -> str:
    """A value quoted in a message, shortened when it would fill the terminal."""
    return text if len(text) <= 40 else f"{text[:24]}…{text[-8:]}"
