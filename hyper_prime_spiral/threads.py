"""Keep BLAS, OpenMP and numexpr on one thread: in spawned children and in this process.

Why: on this 2-core machine a second BLAS thread adds 0-20 % at small sizes and collapses
(measured 5x) when the other core is busy, so the training workers, the generation process
and in-process training each run one thread. The environment variables only work if they
are set before numpy (OpenBLAS) loads, so children are spawned inside `environment(
single_thread_env())`; `limit_loaded_libraries()` / `one_blas_thread()` set the limit at run
time in a process where numpy is already loaded (through threadpoolctl, which finds the
library on Linux, macOS and Windows). Neutral module (imports no numpy, no pygame) so both
`model/` and `training/` can use it.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

from threadpoolctl import threadpool_info, threadpool_limits

THREAD_ENV_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")

_ENV_LOCK = threading.Lock()


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


def blas_threads() -> int | None:
    """Threads the loaded BLAS will use (the largest count if several are loaded), or None if no
    BLAS that threadpoolctl knows is loaded."""
    counts = [info["num_threads"] for info in threadpool_info() if info.get("user_api") == "blas"]
    return max(counts) if counts else None


def limit_loaded_libraries(threads: int = 1) -> None:
    """Set the loaded BLAS (OpenBLAS, MKL, BLIS...) and numexpr to `threads` threads at run time.

    Through threadpoolctl, which finds the libraries on Linux, macOS and Windows alike.
    """
    threadpool_limits(limits=threads, user_api="blas")
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
