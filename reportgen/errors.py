"""The failures a user can act on, and the exit code each ends the command with.

The command line prints a ReportgenError's message and exits with its code, never a traceback
(exit 3 is kept for reportgen's own bugs, see commands/common.py).
"""

from __future__ import annotations

from reportgen.diagnostics import Diagnostic


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
