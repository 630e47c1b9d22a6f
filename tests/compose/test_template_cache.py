"""Compiled templates are kept between reports in one process (watch, preview, batch workers):
nothing a template compiles to may depend on the report it was first rendered for."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import MINIMAL, ROOT

from reportgen.build import build
from reportgen.compose import sandbox
from reportgen.compose.filters import FILTERS
from reportgen.figures.numbers import NumberFormat
from reportgen.template.folders import resolve


def test_an_expression_on_constants_is_not_evaluated_when_the_template_compiles():
    """Jinja2 folds an expression on constants into the compiled code unless told not to: a
    report's sentence baked into a kept template, a filter run outside the time limit."""
    env = sandbox.environment(resolve(None), FILTERS)
    code = env.compile('{{ 12.5 | money }}|{{ 3 | cn }}|{{ "x" | center(9) }}', raw=True)
    assert "12.50" not in code and "三" not in code and "    x    " not in code  # run when rendered
    template = env.from_string("{{ 12.5 | money }}")
    two = template.render(fmt=NumberFormat(money_places=2))
    none = template.render(fmt=NumberFormat(money_places=0))
    assert (two, none) == ("12.50", "13")


def test_the_environment_is_kept_and_a_later_report_prints_its_own_figures(tmp_path, write_yaml):
    """Two reports of the same template in one process: the second's year-on-year sentence and
    number format are its own, byte for byte as a fresh process builds it."""
    template = resolve(None)
    assert sandbox.environment(template, FILTERS) is sandbox.environment(template, FILTERS)
    first = write_yaml(MINIMAL, "first.yaml")
    second = write_yaml(
        MINIMAL.replace("执行数: 95.00", "执行数: 95.00\n    上年:\n      执行数: 80.00").replace(
            "年度: 2023", "年度: 2023\n格式: {千位分隔符: true, 金额小数位: 2}"
        ),
        "second.yaml",
    )
    warm = tmp_path / "warm"
    build(first, warm, ("html",))
    build(second, warm, ("html",))
    fresh = tmp_path / "fresh"
    script = "\n".join(
        [
            "from pathlib import Path",
            "from reportgen.build import build",
            f"build(Path({str(second)!r}), Path({str(fresh)!r}), ('html',))",
        ]
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT, timeout=120)
    kept = (warm / "second.html").read_text(encoding="utf-8")
    assert kept == (fresh / "second.html").read_text(encoding="utf-8")
    assert "比上年增长" in kept and "18.75%" in kept


@pytest.mark.slow
def test_every_example_after_every_other_is_as_a_fresh_process_writes_it(tmp_path):
    """The examples in one process, in turn and in reverse: each Word file the same bytes."""
    examples = sorted((ROOT / "examples").glob("*.yaml"))
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    names = [path.name for example in examples for path in build(example, forward, ("docx",)).outputs]
    for example in reversed(examples):
        build(example, backward, ("docx",))
    assert len(names) > len(examples)  # the forms and bundles' documents too
    for name in names:
        assert (forward / name).read_bytes() == (backward / name).read_bytes(), name
