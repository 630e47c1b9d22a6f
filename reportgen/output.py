"""Writing files the officer keeps: all of them or none, never half-written, never in a state
worse than before.

Each file is written to a temporary file beside its target, checked where the caller can check
it, and renamed over the target only when every file of the transaction is ready.  Termination
signals are held while the renames happen (a build stops before its first rename or after its
last, never between the Word file and the PDF), and builds into one folder take turns at the
renames.  A killed build's temporary files are recognised by the process id in their names and
removed by the next build.  Used by build, import, init --from, extract and collect alike.
"""

from __future__ import annotations

import glob
import hashlib
import os
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType

from reportgen.errors import RenderError

NAME_MAX = 255  # bytes in one file name (ext4, XFS, btrfs; NTFS counts 255 UTF-16 units)
STAGED_EXTRA = 30  # what a staged file adds to its target's name: ".", ".<pid>.<random>.tmp"
STALE_SECONDS = 600  # a staged file with no process id is an old build's after this long
# Whether signal 0 asks about a process: on Windows os.kill ends the process instead, so there a
# leftover is only removed once it is old.
POSIX_SIGNALS = os.name == "posix"


def unwritable(target: Path, exc: OSError) -> RenderError:
    return RenderError(f"{target}: 错误: 无法写入（{exc.strerror or exc}）")


class Tally:
    """What this process's transactions did: the words a stopped command ends with must be true
    (a signal that comes once every file is written removes nothing)."""

    committed = 0
    removed = 0

    @classmethod
    def when_stopped(cls) -> str:
        if cls.removed:
            return "，未完成的文件已删除"
        return "，已写完的文件完好" if cls.committed else ""


class Transaction:
    """Files staged beside their targets, renamed into place together by `commit`; removed if the
    block ends any other way (an error, Ctrl-C, a termination signal)."""

    def __init__(self) -> None:
        self.staged: dict[Path, Path] = {}  # target → its temporary file

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.abort()

    def stage(self, target: Path) -> Path:
        """The temporary file to write in place of `target`."""
        with signals_held():  # no signal between a staged file's creation and its record
            self.staged[target] = _stage(target)
        return self.staged[target]

    def drop(self, target: Path) -> None:
        """Give up one file of the transaction (the others are still committed)."""
        temp = self.staged.pop(target, None)
        if temp is not None:
            temp.unlink(missing_ok=True)

    def commit(self) -> None:
        with signals_held(), ExitStack() as locks:
            # another build into the same folder renames its files before or after this one's
            for folder in sorted({target.parent for target in self.staged}):
                locks.enter_context(folder_lock(folder))
            for target, temp in list(self.staged.items()):
                try:
                    os.replace(temp, target)
                except OSError as exc:
                    raise unwritable(target, exc) from exc
                del self.staged[target]
                Tally.committed += 1

    def abort(self) -> None:
        with signals_held():  # a second signal must not cut the cleaning short
            for temp in self.staged.values():
                temp.unlink(missing_ok=True)
                Tally.removed += 1
            self.staged.clear()


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A file to write in place of `target`, renamed over it when the block ends without error:
    never half-written; removed otherwise."""
    with Transaction() as outputs:
        temp = outputs.stage(target)
        try:
            yield temp
        except OSError as exc:  # a full disk, a folder made read-only meanwhile
            raise unwritable(target, exc) from exc
        outputs.commit()


def write_atomically(target: Path, data: bytes, verify: Callable[[Path], None] | None = None) -> None:
    """`data` in place of `target`, all at once; with `verify`, only once the written file passes
    it (it raises to refuse the file, and the target is left as it was).  A device or pipe named
    as the target (/dev/stdout) is written into, never replaced."""
    if _device(target):
        _write_into(target, data, verify)
        return
    with staged(target) as temp:
        temp.write_bytes(data)
        if verify is not None:
            verify(temp)


def _device(target: Path) -> bool:
    try:
        mode = target.stat().st_mode
    except (OSError, ValueError):
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _write_into(target: Path, data: bytes, verify: Callable[[Path], None] | None) -> None:
    """`data` checked in a file of the same name elsewhere, then written into the device."""
    if verify is not None:
        with tempfile.TemporaryDirectory() as folder:
            probe = Path(folder) / target.name
            probe.write_bytes(data)
            verify(probe)
    try:
        with open(target, "wb") as device:
            device.write(data)
    except OSError as exc:  # a full disk (/dev/full), a pipe whose reader is gone
        raise unwritable(target, exc) from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(target: Path) -> Path:
    """A temporary file beside the target.  Its name carries this process's id, so that a later
    build can tell a killed build's leftovers."""
    _remove_stale(target)
    try:
        fd, name = tempfile.mkstemp(prefix=f".{_short(target.name)}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:  # a full disk, a read-only folder
        raise unwritable(target, exc) from exc
    os.close(fd)
    temp = Path(name)
    os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
    return temp


def _short(name: str) -> str:
    """The target's name as its staged file carries it: cut (and told apart by a digest) when the
    staged name would pass the file system's limit on one name."""
    if len(os.fsencode(name)) <= NAME_MAX - STAGED_EXTRA:
        return name
    digest = hashlib.sha1(os.fsencode(name)).hexdigest()[:8]
    cut = name
    while len(os.fsencode(cut)) > NAME_MAX - STAGED_EXTRA - 9:
        cut = cut[:-1]
    return f"{cut}~{digest}"


def name_too_long(target: Path) -> bool:
    """Whether the file system cannot hold `target`'s name (255 bytes on most)."""
    return len(os.fsencode(target.name)) > NAME_MAX


def _remove_stale(target: Path) -> None:
    """Staged files of the same output left by a build that was killed (SIGKILL, power loss)."""
    short = _short(target.name)
    for leftover in target.parent.glob(f".{glob.escape(short)}.*.tmp"):
        owner = leftover.name[len(short) + 2 :].split(".")[0]
        try:
            if owner.isdigit() and POSIX_SIGNALS:
                if int(owner) != os.getpid() and not _alive(int(owner)):
                    leftover.unlink()
            elif owner != str(os.getpid()) and time.time() - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
        except OSError:
            continue  # another build took care of it, or it is not ours to remove


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: leave its files alone
    return True


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on an output folder while files are renamed into it (POSIX systems;
    elsewhere builds into one folder are not serialised)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def signals_held() -> Iterator[None]:
    """Termination signals wait while the block runs (where the system can hold them)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
