"""The C library of this process, for the two glibc calls the app makes (mallopt, renameat2).

Why `CDLL(None)`: the process's own symbol table already holds libc, and asking for it this
way is instant, while `ctypes.util.find_library("c")` runs `ldconfig` in a subprocess
(~10 ms, on the start-up path of every import that needed it). Linux only; None elsewhere.
"""

from __future__ import annotations

import ctypes
import functools
import sys


@functools.cache
def libc() -> ctypes.CDLL | None:
    """This process's libc with errno capture (`ctypes.get_errno()`), or None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
