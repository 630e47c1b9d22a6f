"""Writing the imported report as YAML a person reads and edits: keys in the format's order,
paragraphs one to a line in literal blocks, and a comment wherever the importer wants a look."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9+.~][^:#,\[\]{}\n\r\t]*$")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"}


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Writer:
    lines: list[str] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (YAML line, what to look at)

    def comment(self, text: str, indent: int = 0) -> None:
        for part in text.splitlines():
            self.lines.append(" " * indent + f"# {part}")

    def note(self, message: str, indent: int = 0) -> None:
        """A comment the officer must act on, listed in the import's summary with its line."""
        self.comment(f"请核对：{message}", indent)
        self.notes.append((len(self.lines) + 1, message))

    def key(self, name: str, value: Any = None, indent: int = 0) -> None:
        if value is None:
            self.lines.append(" " * indent + f"{scalar(name)}:")
        else:
            self.lines.append(" " * indent + f"{scalar(name)}: {scalar(value)}")

    def text_block(self, name: str, paragraphs: list[str], indent: int = 0) -> None:
        """Paragraphs as a literal block, one to a line: how the examples are written."""
        self.lines.append(" " * indent + f"{scalar(name)}: |")
        for paragraph in paragraphs:
            self.lines.append(" " * (indent + 2) + paragraph.strip())

    def item(self, value: Any, indent: int) -> None:
        self.lines.append(" " * indent + f"- {scalar(value)}")

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).rstrip("\n") + "\n"
