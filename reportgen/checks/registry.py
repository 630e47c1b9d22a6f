"""What every rule sees, and the registry the rules join: one small function per rule.

A rule yields diagnostics that point at a line.  Most rules warn rather than fail: the officer
may have a reason, and the figures in a published report are sometimes reproduced as they stood.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportgen.diagnostics import Diagnostic, Level, Path_
from reportgen.figures import derive
from reportgen.figures.numbers import NumberFormat
from reportgen.figures.scoring import ScoreSheet
from reportgen.input.loader import Loaded
from reportgen.input.model import Block, Funds, Report


@dataclass
class CheckContext:
    report: Report
    loaded: Loaded
    fmt: NumberFormat
    outline: dict[str, list[str]]
    sheet: ScoreSheet

    @functools.cached_property
    def derived(self) -> derive.Funds:
        """The funds figures, computed once for all the rules."""
        return derive.funds(self.report.funds)

    @property
    def funds(self) -> Funds:
        return self.report.funds

    @functools.cached_property
    def funds_path(self) -> Path_:
        return self.report.funds_path or ("基本情况", "部门整体收支情况")

    def at_funds(self, *keys: str | int) -> Path_:
        return (*self.funds_path, *keys)

    def warn(self, path: Path_, message: str, rule: str, *, at_value: bool = False) -> Diagnostic:
        """A warning at the key (or, for a text, at the text itself)."""
        line, column = self.loaded.position(path, key=not at_value)
        return Diagnostic(self.loaded.file, line, column, Level.WARNING, message, path, rule)

    def error(self, path: Path_, message: str, rule: str) -> Diagnostic:
        line, column = self.loaded.position(path, key=True)
        return Diagnostic(self.loaded.file, line, column, Level.ERROR, message, path, rule)

    def typed_rate(
        self, path: Path_, what: str, typed: Decimal, computed: Decimal, formula: str, rule: str
    ) -> Iterator[Diagnostic]:
        """A rate typed by hand against the computed one, at the precision it is printed at; a rate
        typed as a fraction (0.9464 for 94.64%) is named as such."""
        if self.fmt.same_at_precision(typed, computed):
            return
        message = f"手填的{what} {typed}% 与计算值 {self.fmt.rate(computed)}（{formula}）不符"
        if abs(typed) < 2 and self.fmt.same_at_precision(typed * 100, computed):
            message += f"：看起来写成了小数，百分比请写 {self.fmt.rate(computed)}"
        yield self.warn(path, message, rule)

    def money(self, value: Decimal | None) -> str:
        """Money in a message: two places, the district's separators."""
        return NumberFormat(money_places=2, thousands=self.fmt.thousands).money(value)

    def blocks(self) -> Iterator[tuple[Path_, Block]]:
        """Every narrative block with its path: the preamble, each part's lead, each section."""
        for i, block in enumerate(self.report.前言):
            yield ("前言", i), block
        for key, part in self.report.parts():
            lead = self._content((key,))
            for i, block in enumerate(part.内容):
                yield (*lead, i), block
            for skey, section in part.sections():
                inner = self._content((key, skey))
                for i, block in enumerate(section.内容):
                    yield (*inner, i), block

    def _content(self, path: Path_) -> Path_:
        """Where a part's or section's blocks stand: under 内容, or the value itself."""
        value: Any = self.loaded.data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return (*path, "内容") if isinstance(value, dict) else path


Rule = Callable[[CheckContext], Iterator[Diagnostic]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn
