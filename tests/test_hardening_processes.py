"""What stands around a command while it runs: a watched file that becomes a link to itself or
goes away, a folder to collect that holds a pipe, a device, a link that loops or a PDF whose
attachment has a strange name, and a build killed outright, whose helper must not live on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL

from reportgen.build import build

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipes, devices and /proc")


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------- watch and preview


def _watching(path: Path, log: Path, *args: str) -> subprocess.Popen[str]:
    with log.open("w", encoding="utf-8") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "reportgen", *args, str(path)], stdout=sink, stderr=subprocess.STDOUT, text=True
        )


def _loop(path: Path) -> None:
    path.unlink()
    path.symlink_to(path.name)


@pytest.mark.slow
def test_watch_names_a_file_that_became_a_link_to_itself_and_goes_on(write_yaml, tmp_path):
    path = write_yaml(MINIMAL)
    log = tmp_path / "watch.log"
    process = _watching(path, log, "watch", "-o", str(tmp_path / "out"), "-f", "docx")
    said = lambda: log.read_text(encoding="utf-8")  # noqa: E731
    try:
        assert _wait_for(lambda: "正在监视" in said())
        _loop(path)
        assert _wait_for(lambda: "链接循环" in said(), 10)
        assert process.poll() is None  # still watching
        path.unlink()
        path.write_text(MINIMAL.replace("95.00", "96.00"), encoding="utf-8")
        assert _wait_for(lambda: said().count("已更新") == 2, 10)
        path.unlink()  # gone: said, and the watch goes on
        assert _wait_for(lambda: "文件不存在" in said(), 10)
        assert process.poll() is None
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "内部错误" not in said() and "Traceback" not in said()
    assert said().count("它是指向自身的符号链接") == 1  # once, not at every tick


@pytest.mark.slow
def test_preview_stops_cleanly_when_its_file_becomes_a_link_to_itself(write_yaml, tmp_path):
    path = write_yaml(MINIMAL)
    log = tmp_path / "preview.log"
    process = _watching(path, log, "preview", "--port", "0")
    try:
        assert _wait_for(lambda: "预览：" in log.read_text(encoding="utf-8"))
        _loop(path)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
    said = log.read_text(encoding="utf-8")
    assert process.returncode == 2, said
    assert f"{path}: 错误: 无法读取：它是指向自身的符号链接" in said and "内部错误" not in said


def test_a_symlink_loop_is_recognised_and_nothing_else_is(tmp_path):
    from reportgen.commands.common import symlink_loop

    loop = tmp_path / "a"
    loop.symlink_to("a")
    with pytest.raises(RuntimeError) as err:
        loop.resolve()
    assert symlink_loop(err.value) == str(loop)
    assert symlink_loop(RuntimeError("something else")) is None
    assert symlink_loop(OSError(f"Symlink loop from '{loop}'")) is None


# ---------------------------------------------------------------- collect


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("built")
    (folder / "r.yaml").write_text(MINIMAL, encoding="utf-8")
    return build(folder / "r.yaml", folder, ("pdf",)).outputs[0]


def _renamed(report_pdf: Path, target: Path, name: str, unit: str) -> Path:
    """The report's PDF with its attachment named `name` (in the name tree too) and its own unit."""
    import zlib

    import pikepdf

    with pikepdf.open(report_pdf) as document:
        spec = document.Root.AF[0]
        spec.F = spec.UF = pikepdf.String(name)
        document.Root.Names.EmbeddedFiles.Names[0] = pikepdf.String(name)
        data = MINIMAL.replace("测试局", unit).encode("utf-8")
        spec.EF.F.write(zlib.compress(data), filter=pikepdf.Name.FlateDecode)
        document.save(target)
    return target


def test_collect_survives_any_one_file(report_pdf, tmp_path):
    inbox = tmp_path / "收到的文件"
    inbox.mkdir()
    (inbox / "ok.yaml").write_text(MINIMAL, encoding="utf-8")
    _renamed(report_pdf, inbox / "nul.pdf", "a\x00b.yaml", "甲局")
    _renamed(report_pdf, inbox / "long.pdf", "x" * 300 + ".yaml", "乙局")
    os.mkfifo(inbox / "x.yaml")
    (inbox / "zero.yaml").symlink_to("/dev/zero")
    (inbox / "loop.yaml").symlink_to("loop.yaml")
    (inbox / "gone.yaml").symlink_to("nowhere.yaml")
    (inbox / os.fsdecode(b"bad\xff.yaml")).write_text(MINIMAL.replace("测试局", "丙局"), encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "collect", str(inbox), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.perf_counter() - start < 30
    assert result.returncode == 0, result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
    reasons = {
        "x.yaml": "文件是命名管道，不是普通文件",
        "zero.yaml": "文件是设备文件（由符号链接指向 /dev/zero），不是普通文件",
        "loop.yaml": "文件是循环的符号链接（最终指向它自己）",
        "gone.yaml": "文件是指向不存在的文件的符号链接",
    }
    for name, reason in reasons.items():
        assert f"{inbox / name}: 未汇总：{reason}" in result.stderr
    # the two PDFs carry a YAML renamed after they were built (甲局, 乙局 against the pages' 测试局):
    # read all the same, and flagged as pages that say something else
    assert "共 8 份：可读 4 份（其中有错误 2 份），无法读取 4 份" in result.stderr
    book = openpyxl.load_workbook(out)
    flagged = {row[0] for row in book["问题"].iter_rows(min_row=2, values_only=True) if row[2] == "页面与附件"}
    assert flagged == {"甲局", "乙局"}
    problems = {row[0]: row[3] for row in book["问题"].iter_rows(min_row=2, values_only=True)}
    assert {name: problems[name] for name in reasons} == reasons
    units = {row[0] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert {"测试局", "甲局", "乙局", "丙局"} <= units
    files = {row[-1] for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    assert "bad\ufffd.yaml" in files  # a name that is not UTF-8, shown as it can be


def test_a_folder_that_cannot_be_listed_is_a_row(tmp_path, monkeypatch):
    from reportgen.collect import gather

    (tmp_path / "ok.yaml").write_text(MINIMAL, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.yaml").write_text(MINIMAL, encoding="utf-8")
    scandir = os.scandir

    def refusing(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    found = gather.files_in([tmp_path])
    entries = [item for item in found if isinstance(item, gather.Entry)]
    assert [(e.path, e.failure) for e in entries] == [(locked, "无法打开文件夹（Permission denied）")]
    assert [p for p in found if isinstance(p, Path)] == [tmp_path / "ok.yaml"]


def test_a_pipe_handed_in_by_name_is_not_waited_on(tmp_path):
    from reportgen.collect import gather

    os.mkfifo(tmp_path / "p.yaml")
    start = time.perf_counter()
    entry = gather.read(tmp_path / "p.yaml")
    assert entry.raw is None and entry.failure == "文件是命名管道，不是普通文件"
    assert time.perf_counter() - start < 1


# ---------------------------------------------------------------- the PDF helper


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as listing:
                found.update(int(x) for x in listing.read().split())
    except OSError:
        pass
    return found


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _big(tmp_path: Path, name: str) -> Path:
    many = "\n".join(
        f"    第{i}段，写一些文字，让生成需要一点时间，再写一些，让每段占两行。" for i in range(900)
    )  # ~5 s
    path = tmp_path / name
    path.write_text(MINIMAL.replace("  部门职能: 负责测试工作。", "  部门职能: |\n" + many), encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize(("files", "delay"), [(1, 0.3), (1, 1.5), (2, 1.0)], ids=["loading", "writing", "batch"])
def test_a_killed_build_leaves_no_process_running(tmp_path, files, delay):
    sources = [str(_big(tmp_path, f"r{i}.yaml")) for i in range(files)]
    # built in this process and its helpers (not handed to a resident engine, which outlives it by design)
    env = {**{k: v for k, v in os.environ.items() if k != "REPORTGEN_SERIAL"}, "REPORTGEN_NO_DAEMON": "1"}
    env["REPORTGEN_NO_LAYOUT_CACHE"] = "1"  # laid out afresh every time: the build lasts until it is killed
    build_ = subprocess.Popen(
        [sys.executable, "-m", "reportgen", "build", *sources, "-o", str(tmp_path / "out"), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    children: set[int] = set()
    started = _wait_for(lambda: bool(_children(build_.pid)) or build_.poll() is not None, 30)
    assert started and build_.poll() is None, "no helper was started"
    deadline = time.time() + delay  # then into the loading, the writing
    while time.time() < deadline and build_.poll() is None:
        children |= _children(build_.pid)
        time.sleep(0.02)
    assert build_.poll() is None, "the build ended before it could be killed: give it a longer input"
    build_.send_signal(signal.SIGKILL)
    build_.wait()
    left = [pid for pid in children if not _wait_for(lambda pid=pid: not _running(pid), 10)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert left == []
