"""The processes reportgen forks (the PDF helper, the workers of a batch) end with the process
that started them: a build killed outright (SIGKILL, the system out of memory) leaves nothing
running, holding its files and its terminal's pipes."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when `parent` ends (Linux; elsewhere nothing is done),
    and end now if it ended already, before the request was made.  The kernel watches the
    parent's thread that forked: children are forked from the main thread, which lives as long
    as they are needed."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl to be found: the helper's pipe still ends it
        return
    if os.getppid() != parent:
        os._exit(1)
