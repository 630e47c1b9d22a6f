"""Every command on a GBK console (Windows' own, and files redirected there) and an ASCII one:
it says its messages and ends with its documented exit code, never an internal error."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT

from reportgen import console

EXAMPLE = ROOT / "examples" / "liwan-gongan-2022.yaml"
RARE = ROOT / "examples" / "liwan-zhengfawei-2023.yaml"
SCORED = ROOT / "examples" / "jiangcheng-fagai-2024.yaml"
ENCODINGS = ("gbk", "ascii")


def env(encoding: str) -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": encoding, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}


def read(data: bytes, encoding: str) -> str:
    """What the console shows: a GBK console decodes GBK; on one that says ASCII the command
    writes UTF-8 (as click does there), which a terminal that can show Chinese shows."""
    return data.decode("gbk" if encoding == "gbk" else "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    subprocess.run([sys.executable, "-m", "reportgen", "build", str(EXAMPLE), "-o", str(out)], capture_output=True)
    return out / "liwan-gongan-2022.pdf"


CASES = [
    (("--help",), "部门整体支出绩效自评报告", 0),
    (("validate", str(RARE)), "部门整体收支情况", 0),
    (("validate", "没有这个文件.yaml"), "文件不存在", 2),
    (("build", str(EXAMPLE), "-o", "{tmp}"), "已生成", 0),
    (("build",), "Missing argument", 2),
    (("score", str(SCORED)), "等级", 0),
    (("init", "{tmp}/新 文件.yaml"), "已生成", 0),
    (("fonts", str(RARE)), "补字：漖", 0),
    (("check-layout", "{pdf}"), "通过", 0),
    (("templates",), "荔湾", 0),
    (("schema",), "部门名称", 0),
    (("extract", "{pdf}", "-o", "{tmp}/取回.yaml"), "已取出", 0),
    (("collect", "{pdf}", "-o", "{tmp}/汇总.xlsx"), "已写出", 0),
    (("import", str(next((ROOT / "seeds").glob("000_*.txt"))), "-o", "{tmp}/导入.yaml"), "已写出", 0),
    (("doctor",), "PDF 引擎", 0),
]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize(
    ("args", "fragment", "code"), CASES, ids=[" ".join(c[0][:1]) + str(i) for i, c in enumerate(CASES)]
)
def test_every_command_prints_on_the_console(built, tmp_path, encoding, args, fragment, code):
    filled = [a.format(tmp=tmp_path, pdf=built) for a in args]
    result = subprocess.run([sys.executable, "-m", "reportgen", *filled], capture_output=True, env=env(encoding))
    said = read(result.stdout, encoding) + read(result.stderr, encoding)
    assert result.returncode == code, said
    assert "内部错误" not in said and "Traceback" not in said
    assert fragment in said


def test_marks_without_a_gbk_code_are_written_as_their_nearest(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "validate", str(RARE)], capture_output=True, env=env("gbk")
    )
    said = result.stdout.decode("gbk")
    assert result.returncode == 0
    assert "［基本情况 > 部门整体收支情况 > 年末结转和结余］" in said  # › has no GBK code
    assert "与 全年预算数 - 执行数 = 12.59 万元不同" in said  # nor has −


def test_redirected_into_a_file(tmp_path):
    """A file on a system whose locale is GBK: what `reportgen … > 结果.txt` writes there."""
    target = tmp_path / "结果.txt"
    with target.open("wb") as handle:
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", "validate", str(RARE)], stdout=handle, env=env("gbk")
        )
    assert result.returncode == 0 and "通过（0 个错误" in target.read_bytes().decode("gbk")


def test_error_handler_maps_and_escapes():
    console.install()
    assert "a › b − c ↵ “引” 😀".encode("gbk", console.HANDLER).decode("gbk") == "a > b - c   “引” \\U0001f600"
    assert "“引”…×".encode("ascii", console.HANDLER) == b'"\\u5f15"...x'
    assert "路径\udcff".encode("utf-8", console.HANDLER).decode("utf-8") == "路径\\udcff"


def _live(args: list[str], encoding: str, marker: str) -> tuple[int, str]:
    """Start a long-running command, wait for `marker`, stop it as Ctrl-C does."""
    process = subprocess.Popen(
        [sys.executable, "-m", "reportgen", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env(encoding)
    )
    assert process.stdout is not None
    os.set_blocking(process.stdout.fileno(), False)
    said = b""
    deadline = time.monotonic() + 60
    while marker.encode("gbk" if encoding == "gbk" else "utf-8") not in said and time.monotonic() < deadline:
        chunk = process.stdout.read()
        said += chunk or b""
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    try:
        rest, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    return process.returncode, read(said + (rest or b""), encoding)


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_watch_and_preview_print_on_the_console(tmp_path, encoding):
    source = tmp_path / "报告.yaml"
    source.write_bytes(RARE.read_bytes())
    code, said = _live(["watch", str(source), "-o", str(tmp_path / "out")], encoding, "正在监视")
    assert code == 0 and "已更新" in said and "已停止监视" in said, said
    assert "内部错误" not in said
    code, said = _live(["preview", str(source), "--port", "0"], encoding, "预览：http://127.0.0.1:")
    assert code == 0 and "已停止预览" in said, said
    assert "内部错误" not in said
