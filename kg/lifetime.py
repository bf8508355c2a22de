"""Child processes that die with their parent (Linux ``PR_SET_PDEATHSIG``)."""

from __future__ import annotations

import ctypes
import os
import signal

_PR_SET_PDEATHSIG = 1


def exit_with_parent(parent: int) -> None:
    """In a child process: be killed when ``parent`` dies, even by kill -9, so a killed build
    or server leaves nothing behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's own shutdown is all there is
        pass
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
