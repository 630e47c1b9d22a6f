"""`reportgen import 决算.xlsx [--into 文件.yaml]`: the year's 决算 figures into a new YAML, or into
the officer's own file (importing/into.py), with where each figure came from."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import InputError
from reportgen.importing.final_accounts import Found, read_figures, read_workbook
from reportgen.importing.into import Text, fill


def import_workbook(source: Path, into: Path | None, output: Path | None) -> tuple[str, list[tuple[int, str]], Path]:
    """The YAML text to write, the notes for the officer, and where it goes."""
    found = read_figures(read_workbook(source))
    if not found.figures:
        raise InputError(
            f"{source}: 错误: 工作簿中没有找到部门决算表的数字（收入支出决算总表、收入决算表、支出决算表等），"
            "请确认这是部门决算公开表"
        )
    if into is not None:
        from reportgen.input.loader import load

        load(into)  # a file reportgen cannot read is the officer's to mend first: it stays untouched
        base = Text.read(into)  # its BOM and line ends go back as they came
        target = output or into
    else:
        base = Text(_new_report(found))
        target = output or source.with_suffix(".yaml")
    text, notes = fill(base.body, found, source.name)
    notes += [(1, f"未找到：{table}") for table in found.missing]
    notes += [(1, message) for message in found.unmapped]
    return base.back(text), notes, target


def _new_report(found: Found) -> str:
    """A starter YAML (as reportgen init writes it) for the figures to go into."""
    from reportgen.compose import starter
    from reportgen.template import folders as templates

    return starter.render(templates.resolve(None), found.name or "（部门全称）", found.year)
