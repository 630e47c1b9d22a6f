"""The resident engine, the command line's side: a `reportgen build` hands its job to a warm
worker of the same user when one is listening, and runs the job itself otherwise.

The worker (resident_server.py) keeps Python, WeasyPrint, the fonts and the templates loaded and
forks a child for each job; the child takes this process's own terminal (its standard input,
output and error are passed over the socket), its folder and its environment, and runs the very
command this process would have run.  So the messages, the exit code and the files are the same
either way; Ctrl-C here is passed on to the job, never to the worker.  The socket lies in a folder
only this user can open, and the worker answers only this user; there is no network.

A worker started from other code or fonts than this process would load refuses the job and
stops (the key below differs); the build then runs here as it always did, and a fresh worker is
started for the next one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("build",)  # what a worker runs: the command whose start-up and engine dominate
OFF = "REPORTGEN_NO_DAEMON"  # set (to anything) to build in this process, as --no-daemon does
IDLE_SECONDS = 900.0  # a worker with no job this long stops
WAIT_SECONDS = 1.0  # a worker busy with another build this long: this one runs here
HEADER = struct.Struct(">I")
LOST = -1  # the worker went away mid-job
inside = False  # this process is a worker's child: it runs its job itself


def available() -> bool:
    """POSIX with descriptor passing, and not switched off."""
    return (
        os.name == "posix"
        and hasattr(socket, "AF_UNIX")
        and hasattr(socket, "send_fds")
        and hasattr(os, "fork")
        and not os.environ.get(OFF)
        and not inside
    )


def folder() -> Path:
    """A folder of this user's alone: the runtime folder the session gives, else one under the
    temporary folder named for the user's id."""
    base = os.environ.get("REPORTGEN_RUNTIME_DIR") or os.environ.get("XDG_RUNTIME_DIR")
    root = Path(base) if base else Path("/tmp")
    return root / f"reportgen-{os.getuid()}"


def socket_path() -> Path:
    return folder() / "engine.sock"


def key() -> str:
    """What the worker was loaded from: this Python, reportgen's files (code and templates) and
    the font folders, by name, size and time; a worker with another key is out of date."""
    digest = hashlib.sha256()
    digest.update(sys.executable.encode())
    digest.update(sys.version.encode())
    package = Path(__file__).resolve().parent
    roots = [package, package.parent / "templates", package / "templates"]
    for root in roots:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.suffix in (".py", ".j2", ".yaml", ".css", ".json") and "__pycache__" not in path.parts:
                    stat = path.stat()
                    digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    for fonts in _font_places():
        try:
            digest.update(f"{fonts}:{fonts.stat().st_mtime_ns}".encode())
        except OSError:
            continue
    digest.update(os.environ.get("REPORTGEN_FONT_DIRS", "").encode())
    digest.update(os.environ.get("REPORTGEN_RESIDENT_SALT", "").encode())
    return digest.hexdigest()


def _font_places() -> list[Path]:
    home = Path.home()
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/var/cache/fontconfig"),
        home / ".cache/fontconfig",
    ]


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    payload = HEADER.pack(len(data)) + data
    if fds:
        socket.send_fds(sock, [payload], fds)
    else:
        sock.sendall(payload)


def receive(sock: socket.socket, with_fds: bool = False) -> tuple[dict[str, Any] | None, list[int]]:
    """One message (None at the end of the connection), and the descriptors that came with it."""
    fds: list[int] = []
    if with_fds:
        head, fds, _, _ = socket.recv_fds(sock, HEADER.size, 3)
    else:
        head = _exactly(sock, HEADER.size)
    if len(head) < HEADER.size:
        head += _exactly(sock, HEADER.size - len(head)) if head else b""
    if len(head) < HEADER.size:
        return None, fds
    (size,) = HEADER.unpack(head)
    if size > 16_000_000:
        return None, fds
    body = _exactly(sock, size)
    if len(body) < size:
        return None, fds
    return json.loads(body.decode("utf-8")), fds


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks = []
    while size:
        chunk = sock.recv(size)
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def hand_over(argv: list[str]) -> int | None:
    """The job run by a worker: its exit code; None when no worker took it (the caller runs it)."""
    try:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(WAIT_SECONDS)
        sock.connect(str(socket_path()))
    except OSError:
        return None
    streams = [sys.stdin, sys.stdout, sys.stderr]
    request = {
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "key": key(),
        "umask": _umask(),
        "encodings": [(getattr(s, "encoding", None), getattr(s, "errors", None)) for s in streams],
    }
    try:
        for stream in streams[1:]:
            stream.flush()
        send(sock, request, [0, 1, 2])
        reply, _ = receive(sock)
    except (OSError, ValueError):
        sock.close()
        return None
    if not reply or "started" not in reply:
        sock.close()
        return None
    return _wait(sock)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _wait(sock: socket.socket) -> int:
    """Until the job ends: a signal that would stop this process is passed to the job instead."""
    previous = {}

    def forward(number: int, _frame: Any) -> None:
        with contextlib.suppress(OSError):
            send(sock, {"signal": number})

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        previous[number] = signal.signal(number, forward)
    sock.settimeout(None)
    try:
        while True:
            try:
                reply, _ = receive(sock)
            except InterruptedError:
                continue
            if reply is None:
                return LOST  # its output files are whole or absent
            if "exit" in reply:
                return int(reply["exit"])
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sock.close()


def start_worker() -> None:
    """A worker for the next build, started in the background in a session of its own; it loads
    the engine once this build is done, so as not to slow it down."""
    try:
        subprocess.Popen(
            [sys.executable, "-m", "reportgen.resident_server", str(os.getpid())],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            close_fds=True,
            cwd="/",
        )
    except OSError:
        return  # no worker this time: every build still runs in its own process
