"""The resident engine's worker: one per user, started in the background by a build that found
none, it loads everything a build needs once (and builds a small report to warm the fonts and
templates), then forks a child for each job a `reportgen build` hands over (resident.py).

A child is this warm process taking the caller's place: its terminal, folder, environment and
arguments, the caller's own encodings for its streams, the default signal handling; it runs the
command line as the caller would and exits with its code.  The worker itself only forks, waits,
passes on the caller's signals, and stops after a quiet while, or at once when a caller comes
with another key (other code or fonts installed since it started).
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import os
import select
import signal
import socket
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from reportgen import resident

WARM_UP = """\
部门名称: 预热用单位
年度: 2023
基本情况:
  部门职能: 负责预热。
  部门整体收支情况:
    全年预算数: 100.00
    执行数: 95.00
综合评价分析:
  自评结论综述: 完成预期目标，表格与数字“100%”、（一）等各类字符。
存在的主要问题: 无。
下一步改进措施: 继续努力。
"""


def warm_up() -> None:
    """Load what a build loads, and build once: fonts found, faces read, templates compiled."""
    from reportgen.build import build

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "warm.yaml"
        source.write_text(WARM_UP, encoding="utf-8")
        with contextlib.suppress(Exception):
            build(source, Path(tmp))
            build(source, Path(tmp), kinds=("自评表",))


def _peer_is_me(conn: socket.socket) -> bool:
    creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def _child(request: dict[str, Any], fds: list[int], listener: socket.socket, conn: socket.socket) -> None:
    """In the forked child: become the caller's command and exit with its code."""
    try:
        resident.inside = True
        listener.close()
        conn.close()
        for target, fd in enumerate(fds[:3]):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.umask(int(request.get("umask", 0o022)) & 0o777)  # the caller's: its files get its permissions
        os.environ.clear()
        os.environ.update(request["env"])
        for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(number, signal.SIG_DFL)
        for number in (signal.SIGPIPE, signal.SIGXFSZ):  # as Python starts: an error, not a death
            signal.signal(number, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        _streams(request.get("encodings") or [])
        sys.argv = list(request["argv"])
        from reportgen.cli import main

        try:
            main(args=sys.argv[1:], prog_name="reportgen")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except KeyboardInterrupt:
            code = 130
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    except BaseException:  # the child never returns into the worker's loop
        os._exit(3)


def _streams(encodings: list[Any]) -> None:
    """Standard streams on the caller's descriptors, with the caller's encodings and buffering."""
    defaults = [("utf-8", "strict"), ("utf-8", "strict"), ("utf-8", "backslashreplace")]
    made = []
    for fd, (mode, default) in enumerate(zip(("r", "w", "w"), defaults, strict=True)):
        encoding, errors = (encodings[fd] if fd < len(encodings) else None) or default
        raw = io.FileIO(fd, mode, closefd=False)
        tty = raw.isatty()
        buffered: Any = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        made.append(
            io.TextIOWrapper(
                buffered, encoding=encoding or default[0], errors=errors or default[1], line_buffering=tty or fd == 2
            )
        )
    sys.stdin, sys.stdout, sys.stderr = made


def _serve(conn: socket.socket, listener: socket.socket, my_key: str) -> bool:
    """One job; False when the caller's key says this worker is out of date."""
    request, fds = resident.receive(conn, with_fds=True)
    if request is None or len(fds) != 3 or not _peer_is_me(conn):
        for fd in fds:
            os.close(fd)
        return True
    if request.get("key") != my_key or request.get("argv", [None, None])[1:2] != ["build"]:
        for fd in fds:
            os.close(fd)
        with contextlib.suppress(OSError):
            resident.send(conn, {"stale": True})
        return request.get("key") == my_key
    if _gone(conn):  # the caller waited no longer and runs the job itself
        for fd in fds:
            os.close(fd)
        return True
    pid = os.fork()
    if pid == 0:
        _child(request, fds, listener, conn)
    with contextlib.suppress(OSError), open(resident.folder() / "engine.log", "a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {pid} {request['cwd']} {' '.join(request['argv'])}\n")
    for fd in fds:
        os.close(fd)
    resident.send(conn, {"started": pid})
    resident.send(conn, {"exit": _watch(conn, pid)})
    return True


def _gone(conn: socket.socket) -> bool:
    ready, _, _ = select.select([conn], [], [], 0)
    if not ready:
        return False
    try:
        return conn.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _watch(conn: socket.socket, pid: int) -> int:
    """Wait for the child, passing on the caller's signals; a caller that is gone takes its job
    with it (as a killed build would)."""
    pidfd = os.pidfd_open(pid)
    try:
        while True:
            watched: list[Any] = [conn, pidfd]
            ready, _, _ = select.select(watched, [], [])
            if pidfd in ready:
                _, status = os.waitpid(pid, 0)
                return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
            try:
                message, _ = resident.receive(conn)
            except OSError:
                message = None
            if message is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
                _, status = os.waitpid(pid, 0)
                return 143
            if isinstance(message.get("signal"), int):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, message["signal"])
    finally:
        os.close(pidfd)


def _after(starter: str, longest: float = 120.0) -> None:
    """Wait for the build that started this worker to end: its two cores are its own meanwhile."""
    if not starter.isdigit():
        return
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        try:
            os.kill(int(starter), 0)
        except (ProcessLookupError, PermissionError, OverflowError):
            return
        time.sleep(0.2)


def main() -> None:
    home = resident.folder()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    if home.stat().st_uid != os.getuid() or home.stat().st_mode & 0o077:
        return  # a folder others can open is not a place for this socket
    lock = open(home / "engine.lock", "w")  # noqa: SIM115 - held for the worker's life
    for _ in range(50):  # an out-of-date worker may be on its way out
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except OSError:
            time.sleep(0.1)
    else:
        return  # another worker is running
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _after(sys.argv[1] if len(sys.argv) > 1 else "")
    my_key = resident.key()
    warm_up()
    path = resident.socket_path()
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(str(path))
    finally:
        os.umask(old)
    listener.listen(8)
    idle = float(os.environ.get("REPORTGEN_RESIDENT_IDLE", resident.IDLE_SECONDS))
    last = time.monotonic()
    try:
        while True:
            ready, _, _ = select.select([listener], [], [], max(0.1, idle - (time.monotonic() - last)))
            if not ready:
                break
            conn, _ = listener.accept()
            with conn:
                fresh = _serve(conn, listener, my_key)
            last = time.monotonic()
            if not fresh:
                break
    finally:
        with contextlib.suppress(FileNotFoundError):
            if path.exists():
                path.unlink()
        listener.close()


if __name__ == "__main__":
    main()
