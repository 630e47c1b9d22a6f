"""The house's rules (ARCHITECTURE.md): imports run one way through the stages, no module imports
another that imports it back, and no function grows past a complexity a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "reportgen"
# The stages, in the order the data flows; a module may import from its own stage or an earlier one.
STAGES: list[tuple[str, tuple[str, ...]]] = [
    ("基础", ("errors", "diagnostics", "console", "terminal", "setup_advice", "output", "page", "loopback", "")),
    ("读入", ("input", "fonts")),
    ("计算", ("figures",)),
    ("模板", ("template",)),
    ("校验", ("checks",)),
    ("组成", ("compose",)),
    ("排版", ("render",)),
    ("流程", ("build", "batch", "live", "machine", "conformance", "collect", "importing", "editing")),
    ("命令", ("commands", "cli", "__main__", "resident", "resident_server")),
]
MAX_COMPLEXITY = 25


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module(p): p for p in PACKAGE.rglob("*.py")}


def _stage(module: str) -> int:
    name = module.removeprefix("reportgen").removeprefix(".")
    best, length = -1, -1
    for index, (_, prefixes) in enumerate(STAGES):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".") or prefix == "") and len(prefix) > length:
                best, length = index, len(prefix)
    return best


def _imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Every reportgen module `path` imports, at its top or inside a function."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("reportgen"):
            for alias in node.names:
                inner = f"{node.module}.{alias.name}"
                found.add(inner if inner in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("reportgen"))
    return found & set(known)


def test_every_module_has_a_stage():
    assert all(_stage(m) >= 0 for m in _modules())


def test_imports_run_one_way_through_the_stages():
    known = _modules()
    upward = [
        f"{module}（{STAGES[_stage(module)][0]}）→ {imported}（{STAGES[_stage(imported)][0]}）"
        for module, path in known.items()
        for imported in _imports(path, known)
        if _stage(imported) > _stage(module)
    ]
    assert upward == []


def test_no_module_imports_one_that_imports_it_back():
    known = _modules()
    graph = {module: _imports(path, known) - {module} for module, path in known.items()}
    graph = {m: {i for i in targets if not m.startswith(i + ".") and i != "reportgen"} for m, targets in graph.items()}
    circles = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(" → ".join([*trail[trail.index(target) :], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_no_function_is_more_complex_than_a_reader_can_hold():
    from radon.complexity import cc_visit

    heavy = [
        f"{path.relative_to(ROOT)}:{block.lineno} {block.name} ({block.complexity})"
        for path in PACKAGE.rglob("*.py")
        for block in cc_visit(path.read_text(encoding="utf-8"))
        if block.complexity > MAX_COMPLEXITY
    ]
    assert heavy == []


def test_the_checks_would_catch_a_violation(tmp_path):
    """The rules above are not vacuous: an upward import and a circle are seen."""
    known = _modules()
    assert _stage("reportgen.input.loader") < _stage("reportgen.render.jobs")
    sample = tmp_path / "x.py"
    sample.write_text("from reportgen.render import jobs\nimport reportgen.build\n", encoding="utf-8")
    assert _imports(sample, known) == {"reportgen.render.jobs", "reportgen.build"}
