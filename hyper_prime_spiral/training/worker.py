"""The body of one training worker process (spawn context; imports no pygame).

One BLAS/OpenMP/numexpr thread per worker: the pool spawns workers with the single-thread
environment (read when numpy loads), and `worker_main` also sets the limit at run time in
case the parent's main module imported numpy first (`hyper_prime_spiral.threads`).

Protocol (small tuples over a Pipe; all arrays live in shared memory):
  ("tokens", x_spec, y_spec)              attach the new token batch buffers
  ("grad", lo, hi, accum, total_tokens)   gradient of rows lo:hi, weighted by their share of
                                          the batch's tokens, into this worker's gradient row
  ("reduce",)                             sum all gradient rows over this worker's column
                                          slice into row 0; reply with its squared norm
  ("update", lr, step, scale)             AdamW on this worker's slice of params/m/v with
                                          gradient row 0 * scale (the clip factor)
  ("stop",)                               leave
Every command is answered with ("ok", value, (start, end, cpu)) or ("error", traceback text);
the stamp (wall clock and this thread's CPU seconds) feeds the pool's step timeline.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from hyper_prime_spiral.model.memory import keep_freed_memory
from hyper_prime_spiral.model.optim import AdamWSettings, adamw_update
from hyper_prime_spiral.process_guard import exit_with_parent
from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries
from hyper_prime_spiral.training.gradient_model import ModelSpec
from hyper_prime_spiral.training.gradient_sums import WeightedGradients, sum_into_first_row
from hyper_prime_spiral.training.shared_buffers import SharedArray, SharedArraySpec


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
    optimizer: AdamWSettings


class _Worker:
    """One worker's state: the model, its views into the shared buffers, and private scratch."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.model = setup.model.build()
        specs = {"params": setup.params, "grads": setup.grads, "m": setup.m, "v": setup.v}
        self.shared = {name: SharedArray.attach(spec) for name, spec in specs.items()}
        self.params = self.shared["params"].array
        self.grad_rows = self.shared["grads"].array
        self.param_views = self.model.views(self.params)
        self.my_gradient = WeightedGradients(self.model, self.grad_rows[setup.index])
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
        if hi <= lo:
            self.my_gradient.out.fill(0.0)
            return 0.0
        assert self.x is not None and self.y is not None, "no token buffer attached"
        x, y = self.x.array[lo:hi], self.y.array[lo:hi]
        return self.my_gradient.compute(self.param_views, x, y, accum, total_tokens)

    def reduce(self) -> float:
        lo, hi = self.setup.columns
        total = sum_into_first_row(self.grad_rows[:, lo:hi])
        return float(np.dot(total, total))

    def update(self, lr: float, step: int, scale: float) -> None:
        lo, hi = self.setup.columns
        grads = self.grad_rows[0, lo:hi]
        if scale != 1.0:
            grads *= np.float32(scale)
        m, v = self.shared["m"].array[lo:hi], self.shared["v"].array[lo:hi]
        adamw_update(
            self.params[lo:hi],
            grads,
            m,
            v,
            self.decay_mask,
            lr=lr,
            step=step,
            scratch=self.update_scratch,
            **self.setup.optimizer.update_kwargs(),
        )

    def close(self) -> None:
        del self.param_views, self.my_gradient  # views into shared memory go first
        self.params = self.grad_rows = np.empty(0, np.float32)
        for shared in [*self.shared.values(), self.x, self.y]:
            if shared is not None:
                shared.release()


def _thread_report() -> dict[str, Any]:
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
    limit_loaded_libraries(1)  # in case the parent's main module loaded numpy before us
    np.seterr(all="ignore")  # the parent reports a diverging run in one line; no warnings
    exit_with_parent()  # even in the middle of a step, not only at the next read of the pipe
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
            start, cpu_start = time.perf_counter(), time.thread_time()
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
            conn.send(("ok", result, (start, time.perf_counter(), time.thread_time() - cpu_start)))
    except Exception:
        try:
            conn.send(("error", traceback.format_exc()))
        except (OSError, ValueError):
            pass
    finally:
        if worker is not None:
            worker.close()
        conn.close()
