"""Every rule the file is checked against (DOMAIN.md), each a small function in the registry."""

from __future__ import annotations

from typing import Any

from reportgen.checks import funds_rules, outline_rules, score_rules, staffing_rules, table_rules, text_rules
from reportgen.checks.registry import RULES, CheckContext
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import ScoreSheet
from reportgen.input.diagnostics import Diagnostic
from reportgen.input.loader import Loaded
from reportgen.input.model import Report

MODULES = (funds_rules, staffing_rules, table_rules, outline_rules, score_rules, text_rules)  # each registers its rules


def run(
    report: Report, loaded: Loaded, fmt: NumberFormat, settings: dict[str, Any], outline: dict[str, list[str]]
) -> list[Diagnostic]:
    ctx = CheckContext(report, loaded, fmt, outline, ScoreSheet.from_settings(settings.get("评分")))
    found: list[Diagnostic] = []
    for check in RULES:
        found.extend(check(ctx))
    return found
