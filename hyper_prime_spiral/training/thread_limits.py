"""Keep BLAS, OpenMP and numexpr on one thread inside each training worker.

Why: on this machine a second BLAS thread adds 0-20 % at small sizes and collapses when the
other core is busy, so N workers with one thread each beat one process with N threads. The
environment variables only work if they are set before numpy (OpenBLAS) loads, so the pool
puts them into the environment the worker is spawned with; `limit_loaded_libraries()` then
also sets the limit at run time, in case something imported numpy earlier.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
from collections.abc import Iterator

THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

_ENV_LOCK = threading.Lock()
_GET_NAMES = ("openblas_get_num_threads", "scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_")
_SET_NAMES = ("openblas_set_num_threads", "scipy_openblas_set_num_threads64_", "openblas_set_num_threads64_")


def single_thread_env() -> dict[str, str]:
    return dict.fromkeys(THREAD_ENV_VARS, "1")


@contextlib.contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Temporarily set environment variables (children started inside inherit them)."""
    with _ENV_LOCK:
        saved = {key: os.environ.get(key) for key in values}
        os.environ.update(values)
        try:
            yield
        finally:
            for key, old in saved.items():
                if old is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = old


def _loaded_openblas() -> ctypes.CDLL | None:
    """The OpenBLAS library numpy loaded in this process, found through /proc/self/maps."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower() and "/" in line}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            return ctypes.CDLL(path)
        except OSError:
            continue
    return None


def _first_symbol(lib: ctypes.CDLL, names: tuple[str, ...]):
    for name in names:
        func = getattr(lib, name, None)
        if func is not None:
            return func
    return None


def blas_threads() -> int | None:
    """Threads the loaded OpenBLAS will use, or None if it cannot be asked."""
    lib = _loaded_openblas()
    func = _first_symbol(lib, _GET_NAMES) if lib is not None else None
    return int(func()) if func is not None else None


def limit_loaded_libraries(threads: int = 1) -> None:
    """Set OpenBLAS and numexpr (when loaded) to `threads` threads at run time."""
    lib = _loaded_openblas()
    func = _first_symbol(lib, _SET_NAMES) if lib is not None else None
    if func is not None:
        func(ctypes.c_int(threads))
    try:
        import numexpr
    except ImportError:
        return
    numexpr.set_num_threads(threads)
