"""Thousands of broken files derived from the examples: each ends in a located message or a
document, never in an internal error; a refused build writes nothing.  (The larger run, with
times and memory, is `python3 benchmarks/fuzz.py`.)"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest
from mutate import build_case, validate_case, write

pytestmark = pytest.mark.slow  # see README「测试」: LibreOffice, a browser, fuzzing or many builds

VALIDATE_CASES = 2_000
BUILD_CASES = 40


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def test_validate_never_fails_inside(folder):
    outcomes = Counter(validate_case(seed, folder)[0] for seed in range(VALIDATE_CASES))
    # the mutants reach every stage: unreadable files, files with errors, files that pass
    assert outcomes["unreadable"] > 100 and outcomes["errors"] > 100 and outcomes["clean"] + outcomes["warnings"] > 100


def test_build_never_fails_inside_and_leaves_nothing_when_refused(folder):
    buildable = [s for s in range(10_000, 11_000) if validate_case(s, folder)[0] in ("clean", "warnings")]
    outcomes = Counter(build_case(seed, folder)[0] for seed in buildable[:BUILD_CASES])
    assert outcomes["built"] >= BUILD_CASES // 2
    refused = [s for s in range(20_000, 20_200) if validate_case(s, folder)[0] == "errors"][:10]
    assert Counter(build_case(seed, folder)[0] for seed in refused) == {"refused": len(refused)}


@pytest.mark.parametrize("seed", range(30_000, 30_012))
def test_the_command_exits_with_a_documented_code(folder, seed):
    path = write(seed, folder)
    for command in ("validate", "score"):
        result = subprocess.run([sys.executable, "-m", "reportgen", command, str(path)], capture_output=True, text=True)
        assert result.returncode in (0, 1, 2), result.stderr
        assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
