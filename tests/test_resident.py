"""The resident engine: a build handed to a warm worker prints the same messages, exits with
the same code and writes the same bytes as one built in its own process; Ctrl-C cancels the job
and not the worker; a worker from other code steps aside; its socket is the user's alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

pytestmark = pytest.mark.skipif(
    os.name != "posix", reason="the resident engine is POSIX-only; Windows builds in-process"
)

EXAMPLE = ROOT / "examples" / "yuexiu-gongan-2023.yaml"


def _env(runtime: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "REPORTGEN_NO_DAEMON"}
    env["REPORTGEN_RUNTIME_DIR"] = str(runtime)
    env.update(extra)
    return env


def _start(runtime: Path, **extra: str) -> subprocess.Popen[bytes]:
    worker = subprocess.Popen([sys.executable, "-m", "reportgen.resident_server"], env=_env(runtime, **extra))
    sock = runtime / f"reportgen-{os.getuid()}" / "engine.sock"
    deadline = time.monotonic() + 90
    while not sock.exists():
        assert worker.poll() is None and time.monotonic() < deadline, "the worker did not start"
        time.sleep(0.1)
    return worker


@pytest.fixture
def worker(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    process = _start(runtime)
    yield runtime
    process.kill()
    process.wait()


def _build(runtime: Path, *args: str, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "reportgen", "build", *args]
    return subprocess.run(command, capture_output=True, env=_env(runtime, **extra), cwd=cwd, timeout=300)


def _jobs(runtime: Path) -> list[str]:
    log = runtime / f"reportgen-{os.getuid()}" / "engine.log"
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_the_same_messages_code_and_bytes_either_way(worker, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("执行数: 95.00", "执行数: 九十五"), encoding="utf-8")
    cases = [(str(EXAMPLE), "-o"), (str(bad), "-o"), (str(tmp_path / "missing.yaml"), "-o")]
    for number, (source, flag) in enumerate(cases):
        here = _build(worker, source, flag, str(tmp_path / f"here{number}"), "--no-daemon")
        there = _build(worker, source, flag, str(tmp_path / f"there{number}"))
        assert (there.returncode, there.stderr, there.stdout.replace(b"there", b"here")) == (
            here.returncode,
            here.stderr,
            here.stdout,
        ), source
    assert [r.returncode for r in (here,)] == [2]
    assert len(_jobs(worker)) == 3  # each of the three went through the worker
    for suffix in ("pdf", "docx"):
        name = f"{EXAMPLE.stem}.{suffix}"
        assert (tmp_path / "there0" / name).read_bytes() == (tmp_path / "here0" / name).read_bytes()


def test_ctrl_c_cancels_the_job_and_not_the_worker(worker, tmp_path):
    command = [sys.executable, "-m", "reportgen", "build", str(EXAMPLE), "-o", str(tmp_path / "cut")]
    client = subprocess.Popen(command, env=_env(worker), stderr=subprocess.PIPE, stdout=subprocess.PIPE)
    while not _jobs(worker):
        time.sleep(0.05)
    time.sleep(0.2)
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=60)
    assert client.returncode == 130 and "已中断".encode() in err
    assert not (tmp_path / "cut" / f"{EXAMPLE.stem}.pdf").exists()
    again = _build(worker, str(EXAMPLE), "-o", str(tmp_path / "again"))
    assert again.returncode == 0 and len(_jobs(worker)) == 2  # the worker took the next one


def test_a_worker_from_other_code_steps_aside(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    old = _start(runtime, REPORTGEN_RESIDENT_SALT="before an upgrade")
    try:
        # the build starts a fresh worker for the next one: told to stop when idle for 3 s
        done = _build(runtime, str(EXAMPLE), "-o", str(tmp_path / "out"), REPORTGEN_RESIDENT_IDLE="3")
        assert done.returncode == 0 and (tmp_path / "out" / f"{EXAMPLE.stem}.pdf").exists()
        assert _jobs(runtime) == []  # built here, not by the out-of-date worker
        assert old.wait(timeout=30) == 0  # which stopped
    finally:
        old.kill()


def test_the_socket_is_the_user_s_alone_and_an_idle_worker_stops(tmp_path):
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    process = _start(runtime, REPORTGEN_RESIDENT_IDLE="2")
    home = runtime / f"reportgen-{os.getuid()}"
    assert home.stat().st_mode & 0o777 == 0o700
    assert (home / "engine.sock").stat().st_mode & 0o777 == 0o600
    assert process.wait(timeout=30) == 0
    assert not (home / "engine.sock").exists()


def test_the_caller_s_umask_gives_the_files_their_permissions(worker, tmp_path):
    command = [sys.executable, "-m", "reportgen", "build", str(EXAMPLE), "-o", str(tmp_path / "private")]
    done = subprocess.run(["sh", "-c", 'umask 077 && exec "$@"', "sh", *command], capture_output=True, env=_env(worker))
    assert done.returncode == 0 and len(_jobs(worker)) == 1
    assert (tmp_path / "private" / f"{EXAMPLE.stem}.pdf").stat().st_mode & 0o777 == 0o600
