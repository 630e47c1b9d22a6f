"""Problems found in a user's file, and the exceptions that carry them to the command line.

Every problem knows where it stands (file, line, column) so the officer can jump to it; the
message is Chinese because the people who read it write Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

Path_ = tuple[str | int, ...]


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


@dataclass
class Report:
    """Collects problems instead of stopping at the first one."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        if diagnostic not in self.items:
            self.items.append(diagnostic)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.file, d.line, d.column))


class ReportgenError(Exception):
    """A failure the user can act on; the CLI prints the message, never a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(ReportgenError):
    """The file cannot be read as YAML at all (missing, binary, wrong encoding, bad syntax)."""

    exit_code = 2


class InvalidReport(ReportgenError):
    """The file was read but has errors; carries every diagnostic found."""

    exit_code = 1

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class TemplateError(ReportgenError):
    """A district template is broken; the message names its file and line."""

    exit_code = 1


class InvalidSettings(TemplateError):
    """A template's settings.yaml has errors, each at its own line of that file."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


class RenderError(ReportgenError):
    """The document could not be written (a character no font has, an unwritable folder)."""

    exit_code = 1
