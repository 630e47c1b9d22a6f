"""Every rule the file is checked against (DOMAIN.md), each a small function in the registry."""

from __future__ import annotations

from reportgen.checks import funds_rules, outline_rules, score_rules, staffing_rules, table_rules, text_rules
from reportgen.checks.registry import RULES, CheckContext
from reportgen.diagnostics import Diagnostic
from reportgen.figures.numbers import NumberFormat
from reportgen.input.loader import Loaded
from reportgen.input.model import Report
from reportgen.template.settings import Settings

MODULES = (funds_rules, staffing_rules, table_rules, outline_rules, score_rules, text_rules)  # each registers its rules


def run(
    report: Report, loaded: Loaded, fmt: NumberFormat, settings: Settings, outline: dict[str, list[str]]
) -> list[Diagnostic]:
    ctx = CheckContext(report, loaded, fmt, outline, settings.score_sheet())
    found: list[Diagnostic] = []
    for check in RULES:
        found.extend(check(ctx))
    return found
