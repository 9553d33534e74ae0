"""Keep BLAS, OpenMP and numexpr on one thread: in spawned children and in this process.

Why: on this 2-core machine a second BLAS thread adds 0-20 % at small sizes and collapses
(measured 5x) when the other core is busy, so the training workers, the generation process
and in-process training each run one thread. The environment variables only work if they
are set before numpy (OpenBLAS) loads, so children are spawned inside `environment(
single_thread_env())`; `limit_loaded_libraries()` / `one_blas_thread()` set the limit at run
time in a process where numpy is already loaded. Neutral module (imports no numpy, no
pygame) so both `model/` and `training/` can use it.
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
    """The environment that makes a freshly spawned process load its libraries single-threaded."""
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


def _openblas_function(names: tuple[str, ...]):
    """The first of `names` exported by the loaded OpenBLAS, or None."""
    lib = _loaded_openblas()
    if lib is None:
        return None
    for name in names:
        func = getattr(lib, name, None)
        if func is not None:
            return func
    return None


def blas_threads() -> int | None:
    """Threads the loaded OpenBLAS will use, or None if it cannot be asked."""
    func = _openblas_function(_GET_NAMES)
    return int(func()) if func is not None else None


def limit_loaded_libraries(threads: int = 1) -> None:
    """Set OpenBLAS and numexpr (when loaded) to `threads` threads at run time."""
    func = _openblas_function(_SET_NAMES)
    if func is not None:
        func(ctypes.c_int(threads))
    try:
        import numexpr
    except ImportError:
        return
    numexpr.set_num_threads(threads)


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the body with this process's BLAS and numexpr on one thread (BLAS count restored after).

    For training in this process: multi-threaded OpenBLAS collapses when another thread or
    process keeps a core busy (the UI, pool workers, another program): docs/design.md,
    "Measured reasons".
    """
    before = blas_threads()
    limit_loaded_libraries(1)
    try:
        yield
    finally:
        if before is not None and before > 1:
            limit_loaded_libraries(before)
