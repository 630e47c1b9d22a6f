"""Turn a loaded file into a validated report, collecting every problem with its position.

The order: the YAML as read (the loader's problems), its template, the rules on the file as read,
the model (pydantic's errors in the officer's words), the rules on the report, the rules on every
text.  Every rule is in the registry (checks/registry.py); this module only runs them in turn.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reportgen.checks import (  # noqa: F401  # each module registers its rules
    citation_rules,
    file_rules,
    funds_rules,
    glyphs,
    outline_rules,
    registry,
    score_rules,
    staffing_rules,
    table_rules,
    text_rules,
)
from reportgen.checks.registry import CheckContext, FileContext
from reportgen.diagnostics import Diagnostic, Level, Path_
from reportgen.errors import InvalidReport, InvalidSettings, ReportgenError
from reportgen.figures.numbers import NumberFormat
from reportgen.input.errors import translate
from reportgen.input.loader import Loaded, load
from reportgen.input.model import DOCUMENT_KINDS, Report
from reportgen.template import folders as templates
from reportgen.template.settings import DEFAULTS, Settings


@dataclass
class Checked:
    loaded: Loaded
    report: Report | None
    template: templates.Template | None
    fmt: NumberFormat
    diagnostics: list[Diagnostic]
    kinds: tuple[str, ...] = ("报告",)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]


def document_kinds(
    data: dict[str, Any], settings: Settings, requested: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Which documents to make: asked on the command line, else the YAML's 文书, else the template's."""
    if requested:
        return tuple(dict.fromkeys(requested))
    declared = data.get("文书")
    if isinstance(declared, list) and all(k in DOCUMENT_KINDS for k in declared) and declared:
        return tuple(dict.fromkeys(declared))  # each once, however often written (file_rules warns)
    return tuple(dict.fromkeys(settings.文书))


def outline(settings: Settings) -> dict[str, list[str]]:
    """The template's parts, in order, each with its standard sections."""
    return {key: list(sections) for key, sections in settings.大纲.items()}


def number_format(settings: Settings, report: Report | None) -> NumberFormat:
    own = report.格式.model_dump() if report is not None and report.格式 is not None else None
    return settings.number_format(own)


def _template(loaded: Loaded, template_dir: Path | None) -> tuple[templates.Template | None, list[Diagnostic]]:
    """The file's template, checked to the end (its 版式 must fit on the paper, its font files be
    fonts); a template that fails is an error at the file's 模板 key."""
    name = loaded.data.get("模板") if isinstance(loaded.data.get("模板"), str) else None
    try:
        template = templates.resolve(name, extra_dir=template_dir, relative_to=Path(loaded.file).resolve().parent)
        template.layout  # noqa: B018
    except InvalidSettings as exc:  # each problem at its line of the template's settings.yaml
        return None, [replace(d, rule="模板") for d in exc.diagnostics]
    except ReportgenError as exc:
        line, col = loaded.position(("模板",))
        return None, [Diagnostic(loaded.file, line, col, Level.ERROR, exc.message, ("模板",), "模板")]
    return template, []


def _model(data: dict[str, Any], loaded: Loaded, flagged: set[Path_]) -> tuple[Report | None, list[Diagnostic]]:
    """The report, or pydantic's errors in the officer's words, one per place (a place another
    rule has already spoken of keeps that rule's message)."""
    try:
        return Report.model_validate(data), []
    except ValidationError as exc:
        found = _misplaced(data, loaded)
        seen: set[Path_] = set()
        for error in exc.errors():
            diagnostic = translate(dict(error), loaded, Report)
            if any(diagnostic.path[: len(d.path)] == d.path for d in found):
                continue  # inside a key written under a part that belongs at the top: said once
            if diagnostic.path in flagged or diagnostic.path in seen:
                continue  # one message per place: the loader's hint, or the first union branch
            seen.add(diagnostic.path)
            found.append(diagnostic)
        return None, found


def _misplaced(data: dict[str, Any], loaded: Loaded) -> list[Diagnostic]:
    """Keys of the file's top level (年度目标, 绩效指标 …) written indented under a part, where
    they read as a section: one message each, saying where they belong."""
    from reportgen.input.model import Part

    parts = {name for name, f in Report.model_fields.items() if "Part" in str(f.annotation)}
    top = set(Report.model_fields) - parts - set(Part.model_fields)
    found = []
    for part, value in data.items():
        if not isinstance(value, dict) or (part in Report.model_fields and part not in parts):
            continue
        for key in value:
            if key in top:
                line, col = loaded.position((part, key), key=True)
                message = (
                    f"「{key}」应写在文件的最外层（与「部门名称」同级，行首不缩进），不是「{part}」下的小节："
                    "请把它连同下面的内容向左移出"
                )
                found.append(Diagnostic(loaded.file, line, col, Level.ERROR, message, (part, key), "未知的键"))
    return found


def _sorted(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.line, d.column, d.level is Level.WARNING))


def check(
    path: Path | str,
    *,
    template_dir: Path | None = None,
    kinds: tuple[str, ...] | None = None,
    raw: bytes | None = None,
) -> Checked:
    """Load, validate and run the arithmetic rules; raises InputError for unreadable files.
    With `raw`, those bytes are the file at `path` (a YAML taken out of a PDF: a template named
    in it is looked for beside the PDF)."""
    loaded = load(path, raw)
    template, problems = _template(loaded, template_dir)
    diagnostics = [*loaded.problems, *problems]
    if template is None or problems:
        # without its template the file's outline, weights and needs are unknown: judging it by
        # another's would add warnings that are not true of it
        chosen = document_kinds(loaded.data, DEFAULTS, kinds)
        return Checked(loaded, None, None, number_format(DEFAULTS, None), _sorted(diagnostics), chosen)
    settings = template.settings
    parts = outline(settings)
    file = FileContext(loaded, settings, document_kinds(loaded.data, settings, kinds), parts, template)
    diagnostics += registry.run("file", file)
    data = file_rules.filled(file_rules.known_parts(loaded.data, parts))
    report, invalid = _model(data, loaded, {d.path for d in diagnostics})
    diagnostics += invalid
    fmt = number_format(settings, report)
    if report is not None and not loaded.problems:
        context = CheckContext(loaded, report, fmt, parts, settings.score_sheet(), settings, kinds=file.kinds)
        diagnostics += registry.run("report", context)
    diagnostics += registry.run("text", file)
    if loaded.problems:
        report = None
    return Checked(loaded, report, template, fmt, _sorted(diagnostics), file.kinds)


def require(checked: Checked, *, strict: bool = False) -> None:
    """Stop a build on errors (and on warnings under --strict)."""
    blocking = checked.diagnostics if strict else checked.errors
    if blocking:
        raise InvalidReport(checked.diagnostics)
