"""Writing YAML a person reads and edits: the one writer of `init`, `init --from`, `import` and
`import --into`.

Keys in the format's order, paragraphs one to a line in literal blocks, a comment wherever the
writer wants a look; every scalar written so that the reader (input/loader.py) reads back exactly
the value given, whatever characters it holds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from reportgen.errors import ReportgenError

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+~][^:#,\[\]{}\n\r\t]*$")
_NUMBER_LIKE = re.compile(r"\.(\d|inf|nan)", re.IGNORECASE)  # .5, .inf, .NaN: numbers to a YAML reader
_DIGIT_FIRST = re.compile(r"^[0-9][^:#,\[\]{}\n\r\t]*$")  # 1100人, 98%, 2025年: text, unless YAML reads a number
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}
# Characters YAML takes as line breaks or refuses in a plain or quoted scalar, written as escapes.
_ESCAPED = re.compile("[\u0085\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def scalar(value: Any) -> str:
    """One value as YAML: plain where that reads back unchanged, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    plain = _PLAIN.match(text) and not _NUMBER_LIKE.match(text) and text.lower() not in _RESERVED
    plain = plain or (_DIGIT_FIRST.match(text) and _read_as_text(text))
    if plain and not text.endswith(" ") and not _ESCAPED.search(text):
        return text
    return _ESCAPED.sub(lambda m: _escape(m.group()), json.dumps(text, ensure_ascii=False))


def _read_as_text(text: str) -> bool:
    """Whether a YAML reader takes these characters, unquoted, as text (not a number or a date)."""
    import yaml

    return bool(yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str")


def printable(text: str) -> bool:
    """Whether the text can stand in a literal block as it is (no character needing an escape)."""
    return not _ESCAPED.search(text) and "\t" not in text


def flow(value: Any) -> str:
    """A mapping or a list on one line: {键: 值, …} or [值, …]."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return "null" if value is None else scalar(value)


def entry(indent: int, key: str, value: str = "", comment: str = "") -> str:
    """One `key: value  # comment` line; `value` is already YAML (a scalar(), a flow(), or "|")."""
    text = f"{' ' * indent}{scalar(key)}:{' ' + value if value else ''}"
    return f"{text}  # {_one_line(comment)}" if comment else text


def _one_line(text: str) -> str:
    """A comment stays on its line whatever it quotes (a file name with a line break in it)."""
    return _ESCAPED.sub(" ", text.replace("\r", " ").replace("\n", " "))


def comment_line(text: str) -> str:
    """`# text` on one line, whatever the text holds (a template's name with a line separator)."""
    return f"# {_one_line(text)}"


@dataclass
class Writer:
    lines: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (YAML line, what to look at)

    def comment(self, text: str, indent: int = 0) -> None:
        for part in text.splitlines():
            self.lines.append(" " * indent + comment_line(part))

    def note(self, message: str, indent: int = 0) -> None:
        """A comment the officer must act on, listed in the summary with its line."""
        self.comment(f"请核对：{message}", indent)
        self.notes.append((len(self.lines) + 1, message))

    def key(self, name: str, value: Any = None, indent: int = 0, comment: str = "") -> None:
        self.lines.append(entry(indent, name, "" if value is None else scalar(value), comment))

    def raw(self, line: str) -> None:
        """A line as given (a commented-out example)."""
        self.lines.append(line)

    def text_block(self, name: str, paragraphs: list[str], indent: int = 0, comment: str = "") -> None:
        """Paragraphs as a literal block, one to a line: how the examples are written."""
        self.lines.append(entry(indent, name, "|", comment))
        for paragraph in paragraphs:
            # a line separator (U+2028) or NEL in a paragraph ends a line of a block, as it ends a
            # paragraph when the text is read: each part its own line, nothing left to break it
            for line in paragraph.splitlines() or [""]:
                self.lines.append(" " * (indent + 2) + _ESCAPED.sub("", line.strip()))

    def item(self, value: Any, indent: int) -> None:
        self.lines.append(" " * indent + f"- {scalar(value)}")

    def dump(self, key: str, value: Any, indent: int) -> None:
        """Any value under its key: short mappings on one line, texts as literal blocks."""
        pad = " " * indent
        if isinstance(value, dict):
            if all(not isinstance(v, dict | list) for v in value.values()) and len(value) <= 8 and indent > 0:
                self.lines.append(pad + f"{scalar(key)}: {flow(value)}")
                return
            self.key(key, indent=indent)
            for k, v in value.items():
                self.dump(k, v, indent + 2)
        elif isinstance(value, list):
            texts = all(isinstance(v, str) for v in value)
            if texts and (key == "内容" or (indent > 0 and any(len(v) > 30 for v in value))):
                self.text_block(key, [str(v) for v in value], indent)
                return
            self.key(key, indent=indent)
            for item in value:
                if isinstance(item, dict):
                    self.lines.append(pad + "  - " + flow(item))
                else:
                    self.item(item, indent + 2)
        elif isinstance(value, str) and ("\n" in value or len(value) > 60):
            self.text_block(key, value.strip().splitlines(), indent)
        else:
            self.lines.append(pad + f"{scalar(key)}:" + ("" if value is None else f" {scalar(value)}"))

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"


def reads_back(path: Path, data: bytes | None = None) -> None:
    """Refuse a written file (or `data`, about to be written to `path`) that the reader cannot
    read: the target is then left as it was.  The writer exists to prevent that, so it is
    reportgen's fault (exit 3), said as such."""
    from reportgen.input.loader import load

    try:
        load(path, data)
    except ReportgenError as exc:
        error = ReportgenError(f"内部错误：写出的 YAML 读不回来，未写入（{exc.message}）")
        error.exit_code = 3
        raise error from exc
