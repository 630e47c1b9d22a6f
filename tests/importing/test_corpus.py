"""What `reportgen import` must make of reports and 决算 workbooks shaped like those departments
publish across China (tests/importing/corpus/).

Every corpus file is imported once (all of them at once, shared between the xdist workers), and
each file's test checks, and lists together, everything its expectation asks:

- reports (corpus/reports/NN-名.txt beside NN-名.expect.yaml): the command succeeds, the YAML loads,
  部门名称 and 年度 are the unit's (a name the importer could not settle counts when a 请核对 line
  names it), every department figure is at its key under 部门整体收支情况 with its exact value, no
  project's amount stands at a department key, and every phrase of the text is somewhere in the YAML;
- workbooks (corpus/workbooks.py): the same for the figures, and every figure the tables
  legitimately lack is named in a 未找到 line of the command's output.

test_corpus_recall prints the table of what passed, file by file.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
REPORTS = sorted((CORPUS / "reports").glob("*.txt"))
NOT_AMOUNTS = ("同比", "预算完成率", "预算调整率", "执行率得分")  # keys of 部门整体收支情况 that hold no amount
PAGE_NUMBER = re.compile(r"^\s*(?:[—–-]\s*\d+\s*[—–-]|第\s*\d+\s*页.*)\s*$")


def _corpus_workbooks() -> ModuleType:
    """corpus/workbooks.py, under a name of its own (tests/importing/workbooks.py is `workbooks`)."""
    spec = importlib.util.spec_from_file_location("corpus_workbooks", CORPUS / "workbooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


WORKBOOKS = _corpus_workbooks()
BOOKS: dict[str, Any] = WORKBOOKS.BOOKS


# ---------------------------------------------------------------- importing every file once


@dataclass
class Outcome:
    """What one `reportgen import` did."""

    returncode: int
    output: str  # stdout and stderr
    stderr: str
    text: str | None  # the YAML written, if any
    seconds: float


def _import(source: Path, target: Path) -> Outcome:
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "import", str(source), "-o", str(target)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=ROOT,
        env={**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"},
        timeout=120,
    )
    text = target.read_text(encoding="utf-8", errors="replace") if target.exists() else None
    return Outcome(
        result.returncode, result.stdout + result.stderr, result.stderr, text, round(time.monotonic() - start, 2)
    )


def _import_all(folder: Path) -> dict[str, Outcome]:
    books = folder / "books"
    out = folder / "out"
    books.mkdir(parents=True)
    out.mkdir()
    jobs = {path.name: (path, out / f"{path.stem}.yaml") for path in REPORTS}
    for name, book in BOOKS.items():
        jobs[name] = (book.write(books), out / f"{Path(name).stem}.yaml")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {name: pool.submit(_import, source, target) for name, (source, target) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@contextmanager
def _lock(path: Path, timeout: float = 600) -> Iterator[None]:
    """A lock the xdist workers share (a file created exclusively)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} is still held") from None
            time.sleep(0.05)
    try:
        yield
    finally:
        os.close(fd)
        path.unlink()


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / "corpus-imports"
    done = shared / "corpus-imports.json"
    with _lock(shared / "corpus-imports.lock"):
        if not done.exists():
            outcomes = _import_all(folder)
            done.write_text(json.dumps({k: v.__dict__ for k, v in outcomes.items()}, ensure_ascii=False), "utf-8")
    return {k: Outcome(**v) for k, v in json.loads(done.read_text("utf-8")).items()}


# ---------------------------------------------------------------- reading what was written


class _DecimalLoader(yaml.SafeLoader):
    """safe_load, with floats read as the Decimal they were written as."""


def _decimal_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    text = str(loader.construct_scalar(node)).replace("_", "")
    try:
        return Decimal(text)
    except InvalidOperation:
        return loader.construct_yaml_float(node)


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_float)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _amount(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.replace(",", "").strip())
        except InvalidOperation:
            return None
    return None


def _funds_blocks(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping under a key 部门整体收支情况, wherever it stands."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "部门整体收支情况" and isinstance(value, dict):
                yield value
            yield from _funds_blocks(value)
    elif isinstance(node, list):
        for item in node:
            yield from _funds_blocks(item)


def department_figures(data: Any) -> dict[str, Any]:
    """The figures at their key paths ("支出性质/基本支出"), the first block's where two give one."""
    figures: dict[str, Any] = {}
    for block in _funds_blocks(data):
        for key, value in block.items():
            if isinstance(value, dict):
                for sub, inner in value.items():
                    if not isinstance(inner, dict | list):
                        figures.setdefault(f"{key}/{sub}", inner)
            elif not isinstance(value, list):
                figures.setdefault(str(key), value)
    return figures


# ---------------------------------------------------------------- the checks


@dataclass
class Verdict:
    """One corpus file's checks: name → (passed, what was found); counts for the recall table."""

    name: str
    checks: dict[str, tuple[bool, str]] = field(default_factory=dict)
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, check: str, passed: bool, detail: str = "") -> None:
        self.checks[check] = (passed, detail)

    def count(self, check: str, found: int, total: int, missing: list[str]) -> None:
        self.counts[check] = (found, total)
        self.add(check, found == total, "；".join(missing))

    @property
    def failed(self) -> list[str]:
        return [f"{k}: {detail}" for k, (ok, detail) in self.checks.items() if not ok]


def _unit_and_year(verdict: Verdict, data: dict[str, Any], text: str, outcome: Outcome, unit: str, year: int) -> None:
    written = data.get("部门名称")
    if written == unit:
        verdict.add("部门名称", True, "=")
    else:
        flagged = [
            line for line in text.splitlines() + outcome.output.splitlines() if "请核对" in line and unit in line
        ]
        verdict.add("部门名称", bool(flagged), "请核对" if flagged else f"写作「{written}」，应为「{unit}」")
    verdict.add("年度", data.get("年度") == year, f"写作 {data.get('年度')!r}，应为 {year}")


def _figures(verdict: Verdict, data: Any, figures: dict[str, str], not_figures: list[str]) -> None:
    found = department_figures(data)
    wrong = []
    for key, expected in figures.items():
        value = _amount(found.get(key))
        if value is None:
            wrong.append(f"{key} 缺" if key not in found else f"{key} = {found[key]!r}（应为 {expected}）")
        elif value != Decimal(expected):
            wrong.append(f"{key} = {value}（应为 {expected}）")
    verdict.count("数字", len(figures) - len(wrong), len(figures), wrong)
    taken = []
    for key, value in found.items():
        amount = _amount(value)
        if amount is None or key.split("/")[0] in NOT_AMOUNTS:
            continue
        taken += [f"{key} = {amount}（非部门的数字）" for n in not_figures if amount == Decimal(n)]
    verdict.add("非部门数字", not taken, "；".join(taken))


def _load(verdict: Verdict, outcome: Outcome) -> dict[str, Any] | None:
    verdict.add("退出码", outcome.returncode in (0, 1), f"退出码 {outcome.returncode}：{outcome.stderr.strip()[-300:]}")
    if outcome.text is None:
        verdict.add("YAML", False, "没有写出 YAML")
        return None
    try:
        yaml.safe_load(outcome.text)
        data = yaml.load(outcome.text, Loader=_DecimalLoader)  # a SafeLoader
    except yaml.YAMLError as exc:
        verdict.add("YAML", False, f"无法读取：{exc}")
        return None
    verdict.add("YAML", isinstance(data, dict), "" if isinstance(data, dict) else f"顶层是 {type(data).__name__}")
    return data if isinstance(data, dict) else None


def judge_report(path: Path, outcome: Outcome) -> Verdict:
    expect = yaml.safe_load(path.with_name(f"{path.stem}.expect.yaml").read_text(encoding="utf-8"))
    verdict = Verdict(path.name)
    data = _load(verdict, outcome)
    text = outcome.text or ""
    if data is None:
        data = {}
    _unit_and_year(verdict, data, text, outcome, expect["部门名称"], expect["年度"])
    _figures(verdict, data, expect["figures"], [str(n) for n in expect.get("not_figures") or []])
    flat = squash(text)
    lost = [phrase for phrase in expect["lines"] if squash(phrase) not in flat]
    verdict.count("原文", len(expect["lines"]) - len(lost), len(expect["lines"]), [f"缺「{p}」" for p in lost])
    return verdict


def judge_workbook(name: str, outcome: Outcome) -> Verdict:
    book = BOOKS[name]
    verdict = Verdict(name)
    data = _load(verdict, outcome)
    if data is None:
        data = {}
    _unit_and_year(verdict, data, outcome.text or "", outcome, book.部门名称, book.年度)
    _figures(verdict, data, book.figures, list(book.not_figures))
    said = [line for line in outcome.output.splitlines() if "未找到" in line]
    unnamed = [word for word in book.absent if not any(word in line for line in said)]
    verdict.count(
        "未找到", len(book.absent) - len(unnamed), len(book.absent), [f"没有说未找到「{w}」" for w in unnamed]
    )
    return verdict


def _message(verdict: Verdict, outcome: Outcome) -> str:
    return f"{verdict.name}（{outcome.seconds} 秒）:\n  " + "\n  ".join(verdict.failed)


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("path", REPORTS, ids=[f"report-{p.name[:2]}" for p in REPORTS])
def test_report(path: Path, imported: dict[str, Outcome]) -> None:
    outcome = imported[path.name]
    verdict = judge_report(path, outcome)
    assert not verdict.failed, _message(verdict, outcome)


@pytest.mark.parametrize("name", sorted(BOOKS), ids=[f"workbook-{n[:2]}" for n in sorted(BOOKS)])
def test_workbook(name: str, imported: dict[str, Outcome]) -> None:
    outcome = imported[name]
    verdict = judge_workbook(name, outcome)
    assert not verdict.failed, _message(verdict, outcome)


COLUMNS = ("退出码", "YAML", "部门名称", "年度", "数字", "非部门数字", "原文", "未找到")


def _pad(text: str, width: int) -> str:
    """`text` padded to `width` columns, a Chinese character taking two."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 1)


def recall_table(verdicts: list[Verdict]) -> str:
    """A line per file: ✓, ✗, or found/total, for each check; then the totals."""
    lines = [_pad("文件", 34) + "".join(_pad(c, 11) for c in COLUMNS)]
    totals: dict[str, list[int]] = {}
    for verdict in verdicts:
        cells = []
        for column in COLUMNS:
            if column not in verdict.checks:
                cells.append("—")
                continue
            ok, detail = verdict.checks[column]
            found, total = verdict.counts.get(column, (int(ok), 1))
            totals.setdefault(column, [0, 0])
            totals[column][0] += found
            totals[column][1] += total
            if column in verdict.counts:
                cells.append(f"{found}/{total}")
            else:
                cells.append(("✓" if detail != "请核对" else "✓请核对") if ok else "✗")
        lines.append(_pad(verdict.name, 34) + "".join(_pad(c, 11) for c in cells))
    summary = "，".join(
        f"{c} {found}/{total}（{100 * found // max(total, 1)}%）"
        for c in COLUMNS
        if c in totals
        for found, total in [totals[c]]
    )
    passed = sum(not v.failed for v in verdicts)
    return "\n".join([*lines, f"全部通过的文件 {passed}/{len(verdicts)}；{summary}"])


def test_corpus_recall(imported: dict[str, Outcome]) -> None:
    """The whole corpus at a glance (printed; shown here when anything fails)."""
    verdicts = [judge_report(p, imported[p.name]) for p in REPORTS]
    verdicts += [judge_workbook(n, imported[n]) for n in sorted(BOOKS)]
    table = recall_table(verdicts)
    print("\n" + table)
    assert all(not v.failed for v in verdicts), "\n" + table


# ---------------------------------------------------------------- the corpus itself


@pytest.mark.parametrize("path", REPORTS, ids=[f"report-{p.name[:2]}" for p in REPORTS])
def test_each_expectation_is_drawn_from_its_text(path: Path) -> None:
    """The phrases are the text's own (page-number lines aside), 8–20 characters; every figure key
    is one the input format has; the project amounts are in the text and are no department figure."""
    from reportgen.input.model import Funds

    source = path.read_text(encoding="utf-8")
    expect = yaml.safe_load(path.with_name(f"{path.stem}.expect.yaml").read_text(encoding="utf-8"))
    body = squash("\n".join(line for line in source.splitlines() if not PAGE_NUMBER.match(line)))
    assert expect["部门名称"] in body and 5 <= len(expect["lines"]) <= 10
    for phrase in expect["lines"]:
        assert 8 <= len(phrase) <= 20 and squash(phrase) in body, phrase
    for key in expect["figures"]:
        model: Any = Funds
        for part in key.split("/"):
            assert model is not None and part in model.model_fields, key
            options = getattr(model.model_fields[part].annotation, "__args__", ())
            inner = [a for a in options if hasattr(a, "model_fields")]
            model = inner[0] if inner else None
        assert model is None, key
    figures = {Decimal(v) for v in expect["figures"].values()}
    for amount in expect.get("not_figures") or []:
        assert Decimal(str(amount)) not in figures and str(amount) in body.replace(",", ""), amount


@pytest.mark.parametrize("name", sorted(BOOKS), ids=[f"workbook-{n[:2]}" for n in sorted(BOOKS)])
def test_each_workbook_expectation_agrees_with_its_tables(name: str) -> None:
    assert WORKBOOKS.verify(BOOKS[name]) == []
