"""`reportgen import 决算.xlsx [--into 文件.yaml]`: the year's 决算 figures into a new YAML, or into
the officer's own file (importing/into.py), with where each figure came from."""

from __future__ import annotations

from pathlib import Path

from reportgen.errors import InputError
from reportgen.importing.final_accounts import Found, read_figures, read_workbook
from reportgen.importing.into import Text, fill


def import_workbook(
    source: Path, into: Path | None, output: Path | None, force: bool = False
) -> tuple[str, list[tuple[int, str]], Path]:
    """The YAML text to write, the notes for the officer, and where it goes; `force` fills a file
    whose unit the workbook does not name."""
    found = read_figures(read_workbook(source))
    if not found.figures:
        raise InputError(
            f"{source}: 错误: 工作簿中没有找到部门决算表的数字（收入支出决算总表、收入决算表、支出决算表等），"
            "请确认这是部门决算公开表"
        )
    if into is not None:
        from reportgen.input.loader import load

        data = load(into).data  # a file reportgen cannot read is the officer's to mend first: it stays untouched
        _same_unit(source, found.name, data.get("部门名称") if isinstance(data, dict) else None, force)
        _same_year(source, found.year, data.get("年度") if isinstance(data, dict) else None, force)
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


def _same_unit(source: Path, made_by: str, named: object, force: bool) -> None:
    """A workbook made by another unit is not filled into this one's file unless the officer says so."""
    if force or not made_by or not isinstance(named, str) or not named.strip():
        return
    one, other = "".join(made_by.split()), "".join(named.split())
    if one in other or other in one:
        return
    raise InputError(
        f"{source}: 错误: 工作簿的编制单位是「{made_by}」，要填入的 YAML 是「{named}」的：请确认是同一单位的决算表"
        "（确是同一单位、只是写法不同时，加 --force 填入）"
    )


def _same_year(source: Path, tables: int | None, named: object, force: bool) -> None:
    """Last year's 决算 is not filled into this year's file unless the officer says so."""
    if force or tables is None or not isinstance(named, int) or isinstance(named, bool) or tables == named:
        return
    raise InputError(
        f"{source}: 错误: 工作簿是 {tables} 年度的决算表，要填入的 YAML 是 {named} 年度的：请确认年度"
        "（确要填入时加 --force）"
    )
