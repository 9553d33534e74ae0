"""The body of one training worker process (spawn context; imports no pygame).

Why the environment lines come first: OpenBLAS reads its thread count when numpy loads, so
each worker pins BLAS/OpenMP/numexpr to one thread before anything imports numpy. (The pool
also spawns workers with these variables set, and `limit_loaded_libraries` enforces the
limit at run time in case the parent's main module imported numpy first.)

Protocol (small tuples over a Pipe; all arrays live in shared memory):
  ("tokens", x_spec, y_spec)              attach the new token batch buffers
  ("grad", lo, hi, accum, total_tokens)   gradient of rows lo:hi, weighted by their share of
                                          the batch's tokens, into this worker's gradient row
  ("reduce",)                             sum all gradient rows over this worker's column
                                          slice into row 0; reply with its squared norm
  ("update", lr, step, scale)             AdamW on this worker's slice of params/m/v with
                                          gradient row 0 * scale (the clip factor)
  ("stop",)                               leave
Every command is answered with ("ok", value) or ("error", traceback text).
"""

from __future__ import annotations

import multiprocessing
import os

if multiprocessing.parent_process() is not None:  # in a worker; the parent's environment stays as it is
    for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[_name] = "1"

import signal  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from multiprocessing.connection import Connection  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from hyper_prime_spiral.model.optim import adamw_update  # noqa: E402
from hyper_prime_spiral.training.gradient_model import ModelSpec  # noqa: E402
from hyper_prime_spiral.training.shared_buffers import SharedArray, SharedArraySpec  # noqa: E402


@dataclass(frozen=True)
class WorkerSetup:
    """What one worker needs at start: who it is, the model, and the shared buffers."""

    index: int
    model: ModelSpec
    params: SharedArraySpec
    grads: SharedArraySpec
    m: SharedArraySpec
    v: SharedArraySpec
    columns: tuple[int, int]  # this worker's slice of the flat buffers for reduce/update
    optimizer: Any  # AdamWSettings (beta1, beta2, eps, weight_decay)


def split_rows(lo: int, hi: int, parts: int) -> list[tuple[int, int]]:
    """Split rows lo:hi into at most `parts` contiguous, nearly equal, non-empty ranges."""
    count = hi - lo
    parts = max(1, min(parts, count))
    base, extra = divmod(count, parts)
    ranges, start = [], lo
    for i in range(parts):
        stop = start + base + (1 if i < extra else 0)
        ranges.append((start, stop))
        start = stop
    return ranges


class _Worker:
    """One worker's state: the model, its views into the shared buffers, and private scratch."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.model = setup.model.build()
        specs = {"params": setup.params, "grads": setup.grads, "m": setup.m, "v": setup.v}
        self.shared = {name: SharedArray.attach(spec) for name, spec in specs.items()}
        self.params = self.shared["params"].array
        self.grad_rows = self.shared["grads"].array
        self.my_row = self.grad_rows[setup.index]
        self.param_views = self.model.views(self.params)
        self.row_views = self.model.views(self.my_row)
        self.scratch: np.ndarray | None = None  # micro-batch gradients, made on first use
        self.scratch_views: dict[str, np.ndarray] = {}
        lo, hi = setup.columns
        self.decay_mask = np.ascontiguousarray(self.model.decay_mask()[lo:hi], dtype=np.float32)
        self.update_scratch = np.empty(hi - lo, np.float32)
        self.x: SharedArray | None = None
        self.y: SharedArray | None = None

    def attach_tokens(self, x_spec: SharedArraySpec, y_spec: SharedArraySpec) -> None:
        for old in (self.x, self.y):
            if old is not None:
                old.release()
        self.x, self.y = SharedArray.attach(x_spec), SharedArray.attach(y_spec)

    def gradient(self, lo: int, hi: int, accum: int, total_tokens: int) -> float:
        row = self.my_row
        if hi <= lo:
            row.fill(0.0)
            return 0.0
        assert self.x is not None and self.y is not None, "no token buffer attached"
        x_all, y_all = self.x.array, self.y.array
        ranges = split_rows(lo, hi, accum)
        loss = 0.0
        for i, (a, b) in enumerate(ranges):
            x, y = x_all[a:b], y_all[a:b]
            weight = y.size / total_tokens
            if len(ranges) == 1:
                loss += weight * self.model.loss_and_grads(self.param_views, x, y, self.row_views)
                if weight != 1.0:
                    row *= np.float32(weight)
                continue
            if self.scratch is None:
                self.scratch = np.empty_like(row)
                self.scratch_views = self.model.views(self.scratch)
            loss += weight * self.model.loss_and_grads(self.param_views, x, y, self.scratch_views)
            if i == 0:
                np.multiply(self.scratch, np.float32(weight), out=row)
            else:
                self.scratch *= np.float32(weight)
                row += self.scratch
        return loss

    def reduce(self) -> float:
        lo, hi = self.setup.columns
        total = self.grad_rows[0, lo:hi]
        for r in range(1, self.grad_rows.shape[0]):
            total += self.grad_rows[r, lo:hi]
        return float(np.dot(total, total))

    def update(self, lr: float, step: int, scale: float) -> None:
        lo, hi = self.setup.columns
        grads = self.grad_rows[0, lo:hi]
        if scale != 1.0:
            grads *= np.float32(scale)
        s = self.setup.optimizer
        adamw_update(
            self.params[lo:hi],
            grads,
            self.shared["m"].array[lo:hi],
            self.shared["v"].array[lo:hi],
            self.decay_mask,
            lr=lr,
            step=step,
            beta1=s.beta1,
            beta2=s.beta2,
            eps=s.eps,
            weight_decay=s.weight_decay,
            scratch=self.update_scratch,
        )

    def close(self) -> None:
        self.param_views = self.row_views = self.scratch_views = {}
        self.params = self.grad_rows = self.my_row = np.empty(0, np.float32)
        for shared in [*self.shared.values(), self.x, self.y]:
            if shared is not None:
                shared.release()


def _thread_report() -> dict[str, Any]:
    from hyper_prime_spiral.training.thread_limits import blas_threads

    report: dict[str, Any] = {
        "pid": os.getpid(),
        "blas_threads": blas_threads(),
        "pygame_loaded": "pygame" in sys.modules,
    }
    try:
        import numexpr

        report["numexpr_threads"] = numexpr.get_num_threads()
    except ImportError:
        report["numexpr_threads"] = None
    return report


def worker_main(setup: WorkerSetup, conn: Connection) -> None:
    """Serve commands until "stop" or until the parent goes away."""
    # Ctrl+C reaches the whole process group; only the parent decides how to shut down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # the pool spawned us with SIGINT blocked
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    from hyper_prime_spiral.model.memory import keep_freed_memory
    from hyper_prime_spiral.training.thread_limits import limit_loaded_libraries

    limit_loaded_libraries(1)
    worker: _Worker | None = None
    try:
        keep_freed_memory()  # glibc keeps freed step buffers instead of re-faulting them
        worker = _Worker(setup)
        conn.send(("ok", _thread_report()))
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return  # the parent is gone
            command = message[0]
            if command == "stop":
                return
            try:
                if command == "grad":
                    result: Any = worker.gradient(*message[1:])
                elif command == "reduce":
                    result = worker.reduce()
                elif command == "update":
                    result = worker.update(*message[1:])
                elif command == "tokens":
                    result = worker.attach_tokens(*message[1:])
                else:
                    raise ValueError(f"unknown command {command!r}")
            except Exception:
                conn.send(("error", traceback.format_exc()))
                continue
            conn.send(("ok", result))
    except Exception:
        try:
            conn.send(("error", traceback.format_exc()))
        except (OSError, ValueError):
            pass
    finally:
        if worker is not None:
            worker.close()
        conn.close()
