"""What every rule sees, and the registry the rules join: one small function per rule, each with
the ids of the diagnostics it may give (docs/checks.md lists every id) and its topic.

A rule yields diagnostics that point at a line.  Most rules warn rather than fail: the officer
may have a reason, and the figures in a published report are sometimes reproduced as they stood.
Rules run in two phases: on the file as read (its parts, its empty values, its length, its
characters), before it is read into the model; and on the report, once it is one.
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
from reportgen.template.folders import Template
from reportgen.template.settings import DEFAULTS, Settings


class Located:
    """Diagnostics at a place of the loaded file, given under the id of the rule that runs."""

    loaded: Loaded
    running: Rule | None = None

    def _id(self, given: str) -> str:
        if self.running is not None and given not in self.running.ids:
            raise AssertionError(f"规则 {self.running.fn.__name__} 没有登记 id「{given}」")
        return given

    def warn(self, path: Path_, message: str, rule: str, *, at_value: bool = False) -> Diagnostic:
        """A warning at the key (or, for a text, at the text itself)."""
        line, column = self.loaded.position(path, key=not at_value)
        return Diagnostic(self.loaded.file, line, column, Level.WARNING, message, path, self._id(rule))

    def error(self, path: Path_, message: str, rule: str) -> Diagnostic:
        line, column = self.loaded.position(path, key=True)
        return Diagnostic(self.loaded.file, line, column, Level.ERROR, message, path, self._id(rule))

    def error_at(self, line: int, column: int, message: str, path: Path_, rule: str) -> Diagnostic:
        return Diagnostic(self.loaded.file, line, column, Level.ERROR, message, path, self._id(rule))

    def warn_at(self, line: int, column: int, message: str, path: Path_, rule: str) -> Diagnostic:
        return Diagnostic(self.loaded.file, line, column, Level.WARNING, message, path, self._id(rule))


@dataclass
class FileContext(Located):
    """The file as read, before it is a report: its raw data, the template's settings."""

    loaded: Loaded
    settings: Settings
    kinds: tuple[str, ...]
    outline: dict[str, list[str]]
    template: Template
    running: Rule | None = None


@dataclass
class CheckContext(Located):
    loaded: Loaded
    report: Report
    fmt: NumberFormat
    outline: dict[str, list[str]]
    sheet: ScoreSheet
    settings: Settings = DEFAULTS
    running: Rule | None = None
    kinds: tuple[str, ...] = ("报告",)  # the documents being made: a rule on the report's text alone skips a form

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


# on the file as read; on the report (only once it is one); on every text of the file, last
PHASES = ("file", "report", "text")
TOPICS = ("写法", "篇幅", "收支", "人员", "表格", "大纲", "评分", "文字")


@dataclass(frozen=True)
class Rule:
    fn: Callable[[Any], Iterator[Diagnostic]]
    topic: str
    ids: tuple[str, ...]
    phase: str


RULES: list[Rule] = []


def rule(topic: str, *ids: str, phase: str = "report") -> Callable[[Callable[..., Iterator[Diagnostic]]], Any]:
    """Register a rule under its topic with the ids of the diagnostics it gives."""
    assert topic in TOPICS and phase in PHASES and ids

    def register(fn: Callable[..., Iterator[Diagnostic]]) -> Callable[..., Iterator[Diagnostic]]:
        RULES.append(Rule(fn, topic, ids, phase))
        return fn

    return register


def run(phase: str, ctx: Located) -> list[Diagnostic]:
    """Every rule of a phase, in the order they were registered."""
    found: list[Diagnostic] = []
    for entry in RULES:
        if entry.phase == phase:
            ctx.running = entry
            try:
                found.extend(entry.fn(ctx))
            finally:
                ctx.running = None
    return found


def ids(topic: str | None = None) -> set[str]:
    """The ids the rules give, of one topic or of all."""
    return {i for entry in RULES if topic is None or entry.topic == topic for i in entry.ids}
