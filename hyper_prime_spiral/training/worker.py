"""The body of one training worker process (spawn context; imports no pygame).

One BLAS/OpenMP/numexpr thread per worker: the pool spawns workers with the single-thread
environment (read when numpy loads), and `worker_main` also sets the limit at run time in
case the parent's main module imported numpy first (`hyper_prime_spiral.threads`).

Protocol (small tuples over a Pipe; all arrays live in shared memory):
  ("tokens", x_spec, y_spec)              attach the new token batch buffers
  ("step", lo, hi, accum, total_tokens, lr, step)
                                          one whole optimizer step, the workers meeting at
                                          two barriers (`step_sync`) instead of the parent:
                                          the gradient of rows lo:hi into this worker's row;
                                          barrier; sum every row over this worker's column
                                          slice into row 0 and post its squared norm on the
                                          step board; barrier; AdamW on this worker's slice
                                          of params/m/v with row 0 * the clip factor of the
                                          global norm. Replies (loss share, squared norm).
  ("grad", lo, hi, accum, total_tokens)   only the gradient of rows lo:hi, weighted by their
                                          share of the batch's tokens, into this worker's row
  ("reduce",)                             sum all gradient rows over this worker's column
                                          slice into row 0; reply with its squared norm
  ("stop",)                               leave
Every command is answered with ("ok", value, stamp) or ("error", traceback text). The stamp
(wall clock and this thread's CPU seconds, and for "step" each phase's) feeds the pool's step
timeline. A worker whose part of a step fails still meets its peers at the barriers (marking
itself failed on the board), so no peer waits for ever and none updates after a failure.
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
from hyper_prime_spiral.model.optim import AdamWSettings, adamw_update, clip_scale
from hyper_prime_spiral.process_guard import exit_with_parent
from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries
from hyper_prime_spiral.training.gradient_model import ModelSpec
from hyper_prime_spiral.training.gradient_sums import WeightedGradients, sum_into_first_row
from hyper_prime_spiral.training.pool_timeline import PhaseStamp, WorkerStamp
from hyper_prime_spiral.training.shared_buffers import SharedArray, SharedArraySpec
from hyper_prime_spiral.training.step_sync import StepBoard, WorkerBarrier


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
    board: SharedArraySpec  # the step board (`step_sync.StepBoard`)
    barrier: WorkerBarrier
    workers: int


class _Worker:
    """One worker's state: the model, its views into the shared buffers, and private scratch."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.model = setup.model.build()
        specs = {"params": setup.params, "grads": setup.grads, "m": setup.m, "v": setup.v}
        specs["board"] = setup.board
        self.shared = {name: SharedArray.attach(spec) for name, spec in specs.items()}
        self.params = self.shared["params"].array
        self.grad_rows = self.shared["grads"].array
        self.param_views = self.model.views(self.params)
        self.my_gradient = WeightedGradients(self.model, self.grad_rows[setup.index])
        self.board = StepBoard(self.shared["board"].array, setup.workers)
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

    def step(
        self, lo: int, hi: int, accum: int, total_tokens: int, lr: float, step: int
    ) -> tuple[tuple[float, float], tuple[PhaseStamp, ...]]:
        """One optimizer step with the other workers; ((loss share, squared norm), phase stamps).

        Every phase runs only while no worker has failed, and every worker goes through both
        barriers whatever happened, so a failure ends the step everywhere without an update.
        """
        me, board = self.setup.index, self.board
        phases: list[PhaseStamp] = []
        results = {"grad": 0.0, "reduce": 0.0}
        error: BaseException | None = None

        def phase(name: str, work: Any) -> None:
            nonlocal error
            start, cpu = time.perf_counter(), time.thread_time()
            if error is None and not board.any_failed():
                try:
                    results[name] = work()
                except Exception as exc:
                    error = exc
                    board.failed[me] = 1.0
            phases.append(PhaseStamp(name, start, time.perf_counter(), time.thread_time() - cpu))

        def meet(name: str) -> None:
            start, cpu = time.perf_counter(), time.thread_time()
            self.setup.barrier.wait(me, board.aborted)
            phases.append(PhaseStamp(name, start, time.perf_counter(), time.thread_time() - cpu))

        phase("grad", lambda: self.gradient(lo, hi, accum, total_tokens))
        meet("grad_barrier")
        phase("reduce", self.post_partial_norm)
        meet("norm_barrier")
        phase("update", lambda: self.update(lr, step, clip_scale(board.norm(), self.setup.optimizer.clip)))
        if error is not None:
            raise error
        return (results["grad"], results["reduce"]), tuple(phases)

    def post_partial_norm(self) -> float:
        partial = self.reduce()
        self.board.partial_norms[self.setup.index] = partial
        return partial

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
                phases: tuple[PhaseStamp, ...] = ()
                if command == "step":
                    result, phases = worker.step(*message[1:])
                elif command == "grad":
                    result: Any = worker.gradient(*message[1:])
                elif command == "reduce":
                    result = worker.reduce()
                elif command == "tokens":
                    result = worker.attach_tokens(*message[1:])
                else:
                    raise ValueError(f"unknown command {command!r}")
            except Exception:
                conn.send(("error", traceback.format_exc()))
                continue
            stamp = WorkerStamp(start, time.perf_counter(), time.thread_time() - cpu_start, phases)
            conn.send(("ok", result, stamp))
    except Exception:
        try:
            conn.send(("error", traceback.format_exc()))
        except (OSError, ValueError):
            pass
    finally:
        if worker is not None:
            worker.close()
        conn.close()
