"""Keep freed memory inside the process (glibc mallopt), so big temporaries do not re-fault pages.

glibc hands large freed blocks (>= 128 KiB by default, adaptively more) back to the OS with
munmap/trim; the next step then page-faults them in again (docs/design.md, "Measured
reasons"). Raising the mmap and trim thresholds keeps them in
the heap. Linux/glibc only; anywhere else this is a no-op.
"""

from __future__ import annotations

import ctypes

from hyper_prime_spiral.libc import libc

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 32 * 1024 * 1024  # the largest value glibc accepts on 64-bit
TRIM_THRESHOLD_BYTES = 512 * 1024 * 1024

_done = False


def keep_freed_memory() -> bool:
    """Raise glibc's mmap/trim thresholds once per process; True if it took effect."""
    global _done
    if _done:
        return True
    mallopt = getattr(libc(), "mallopt", None)
    if mallopt is None:
        return False  # not Linux, or not glibc (e.g. musl)
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    ok_mmap = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
    ok_trim = mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    _done = bool(ok_mmap and ok_trim)
    return _done
