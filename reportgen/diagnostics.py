"""A problem found in a user's file (or a template's settings), where it stands, and how it prints.

Every problem knows where it stands (file, line, column) so the officer can jump to it; the
message is Chinese because the people who read it write Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Path_ = tuple[str | int, ...]


# The rule id of a problem the reader or the model finds (a value of the wrong kind, a YAML
# trap); the checks' own ids are in their registry (checks/registry.py, docs/checks.md).
FORMAT = "格式"


class Level(StrEnum):
    ERROR = "错误"
    WARNING = "警告"


@dataclass(frozen=True)
class Diagnostic:
    file: str
    line: int
    column: int
    level: Level
    message: str
    path: Path_ = ()
    rule: str = ""

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        key = f"［{format_path(self.path)}］" if self.path else ""
        # one line each, whatever text a message quotes (a line break in it shown as ↵)
        message = self.message.replace("\r\n", "↵").replace("\n", "↵")
        return f"{where}: {self.level.value}: {key}{message}"


def format_path(path: Path_) -> str:
    """Key path in the user's own words: 基本情况 › 部门整体收支情况 › 执行数, list items 1-based."""
    parts: list[str] = []
    for item in path:
        if isinstance(item, int):
            parts.append(f"第{item + 1}项")
        else:
            parts.append(str(item))
    return " › ".join(parts)
