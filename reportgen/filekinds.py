"""What stands at a path that is not a regular file, in the officer's words: a pipe, a device or
a link that loops is never called missing, and is never opened (a pipe waits for a writer for
ever, /dev/zero never ends)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "是文件夹"),
    (stat.S_ISFIFO, "是命名管道"),
    (stat.S_ISCHR, "是设备文件"),
    (stat.S_ISBLK, "是设备文件"),
    (stat.S_ISSOCK, "是套接字"),
)


def not_regular(path: Path) -> str:
    """Empty for a regular file (or a link to one); else what `path` is, to follow its subject:
    不存在, 是循环的符号链接…, 是命名管道，不是普通文件…"""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "是指向不存在的文件的符号链接" if path.is_symlink() else "不存在"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "是循环的符号链接（最终指向它自己）"
        return f"无法读取（{exc.strerror or exc}）"
    except ValueError:  # a NUL in the name
        return "的名称无效"
    if stat.S_ISREG(mode):
        return ""
    what = next((word for test, word in _KINDS if test(mode)), "是特殊文件")
    if path.is_symlink():
        what += f"（由符号链接指向 {printable(os.readlink(path))}）"
    return f"{what}，不是普通文件"


def printable(text: str) -> str:
    """`text` as a sheet or a terminal can hold it: the bytes of a file name that are not UTF-8
    (kept by Python as lone surrogates) shown as U+FFFD."""
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in text)
