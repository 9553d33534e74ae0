"""Training on every core: a spawn-context worker pool over shared-memory buffers.

Why this design (docs/design.md, "Parallel training"): parameters, AdamW moments, one gradient
row per worker and the token batch live in shared memory, so a step moves only tiny
messages between processes (row ranges, lr, the step number). Each worker computes the
gradient of its shard of the batch, already weighted by the shard's share of the batch's
tokens, so summing the rows gives exactly the whole-batch mean gradient even when shards
differ in size. Then each worker reduces, and applies AdamW to, its own slice of the flat
buffers (measured faster than the parent doing it all). One message per step: the workers
meet each other at two barriers inside it (`step_sync`: after the gradients, and after the
partial squared norms that give the global clip factor) instead of making three round trips
through the parent (measured faster: docs/design.md). `timeline` records every round trip of
the last steps and each worker's phases inside it.

The parent creates and unlinks every segment, in `close()`, which is idempotent and meant
for `finally` blocks; a dead worker raises `WorkerCrashed` with a readable message.
"""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.gradient_model import ModelSpec
from hyper_prime_spiral.training.gradient_sums import column_slices, row_ranges
from hyper_prime_spiral.training.pool_timeline import PoolTimeline, RoundTrip, StepTimeline
from hyper_prime_spiral.training.shared_buffers import SharedArena, SharedArray
from hyper_prime_spiral.training.step_sync import StepBoard, WorkerBarrier
from hyper_prime_spiral.training.worker import WorkerSetup
from hyper_prime_spiral.training.worker_pool import WorkerProcesses, sigint_deferred


class PoolEngine:
    """`GradientEngine` on a pool of worker processes (raises `WorkerCrashed` / `WorkerError`).

    `params` is the flat float32 parameter buffer in shared memory; after `close()` it is a
    private copy, so the caller can still save it.
    """

    def __init__(
        self,
        config: object,
        params: np.ndarray,
        settings: AdamWSettings | None = None,
        workers: int = 2,
        grad_accum: int = 1,
        state: OptimizerState | None = None,
        *,
        model: ModelSpec | None = None,
    ) -> None:
        for name, value in (("workers", workers), ("grad_accum", grad_accum)):
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        self.settings = settings or AdamWSettings()
        self.workers = workers
        self.grad_accum = grad_accum
        self._model = model or ModelSpec.transformer(config)
        flat = np.asarray(params)
        if flat.ndim != 1:
            raise ValueError(f"params must be a flat array, got shape {flat.shape}")
        n = flat.shape[0]
        if model is None:
            from hyper_prime_spiral.model.params import ParamLayout

            expected = ParamLayout(config).n_params  # type: ignore[arg-type]
            if n != expected:
                raise ValueError(f"params have {n} values, the model needs {expected}")
        if state is not None and (state.m.shape != (n,) or state.v.shape != (n,)):
            raise ValueError(f"optimizer state has {state.m.shape[0]} moments, the model has {n} parameters")
        self._arena = SharedArena()
        self._procs: WorkerProcesses | None = None
        self._x: SharedArray | None = None
        self._y: SharedArray | None = None
        self._closed = False
        self._final_state: OptimizerState | None = None
        self.step_count = 0
        self.timeline = PoolTimeline()  # where each step's time went (for benches)
        self._step_record: StepTimeline | None = None
        try:
            self._params = self._arena.create((n,), np.float32)
            self._grads = self._arena.create((workers, n), np.float32)
            self._m = self._arena.create((n,), np.float32)
            self._v = self._arena.create((n,), np.float32)
            self._board_array = self._arena.create((StepBoard.size(workers),), np.float64)
            self._board = StepBoard(self._board_array.array, workers)
            # held until close: spawning workers open its semaphores by name
            self._barrier = WorkerBarrier(workers, mp.get_context("spawn"))
            self._params.array[:] = flat
            if state is not None:
                self._m.array[:] = state.m
                self._v.array[:] = state.v
                self.step_count = int(state.step)
            self.params: np.ndarray = self._params.array
            self._columns = column_slices(n, workers)
            setups = [
                WorkerSetup(
                    index=i,
                    model=self._model,
                    params=self._params.spec,
                    grads=self._grads.spec,
                    m=self._m.spec,
                    v=self._v.spec,
                    columns=self._columns[i],
                    optimizer=self.settings,
                    board=self._board_array.spec,
                    barrier=self._barrier,
                    workers=workers,
                )
                for i in range(workers)
            ]
            self._procs = WorkerProcesses(setups)
            self.worker_reports = self._procs.reports
        except BaseException:
            self.close()
            raise

    # -- the GradientEngine protocol ---------------------------------------------------------

    def step(self, x: np.ndarray, y: np.ndarray, lr: float) -> tuple[float, float]:
        """One optimizer step on batch (x, y): returns (mean loss, gradient norm before clipping)."""
        if self._closed or self._procs is None:
            raise RuntimeError("the training pool is closed")
        x, y = self._check_batch(x, y)
        try:
            self._step_record = record = StepTimeline(time.perf_counter())
            self._write_tokens(x, y)
            self.step_count += 1
            total, accum, count = int(y.size), self.grad_accum, self.step_count
            shards = row_ranges(x.shape[0], self.workers)
            messages = [("step", lo, hi, accum, total, float(lr), count) for lo, hi in shards]
            answers = self._round_trip("step", messages)
            record.finished = time.perf_counter()
            self.timeline.steps.append(record)
            return float(sum(loss for loss, _ in answers)), self._board.norm()
        except BaseException:
            self.close()  # a half-done step leaves the pool unusable; free everything now
            raise

    def gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and the reduced whole-batch gradient (a copy), without updating anything."""
        if self._closed or self._procs is None:
            raise RuntimeError("the training pool is closed")
        x, y = self._check_batch(x, y)
        self._step_record = None
        try:
            loss = self._shard_gradients(x, y)
            self._procs.broadcast([("reduce",)] * self.workers)
            return loss, self._grads.array[0].copy()
        except BaseException:
            self.close()
            raise

    def optimizer_state(self) -> OptimizerState:
        """A private copy of the AdamW moments and step count (also valid after close)."""
        if self._final_state is not None:
            s = self._final_state
            return OptimizerState(s.m.copy(), s.v.copy(), s.step)
        return OptimizerState(self._m.array.copy(), self._v.array.copy(), self.step_count)

    def close(self) -> None:
        """Stop the workers and unlink every shared segment. Idempotent; for `finally` blocks."""
        if self._closed:
            return
        self._closed = True
        if hasattr(self, "_board"):
            self._board.abort()  # a worker waiting at a barrier for a dead peer leaves it
        with sigint_deferred():
            self._shutdown()

    def _shutdown(self) -> None:
        try:
            if self._procs is not None:
                self._procs.shutdown()
        finally:
            self._procs = None
            # Keep usable private copies of what callers read after training.
            if hasattr(self, "_v"):
                self.params = self._params.array.copy()
                m, v = self._m.array.copy(), self._v.array.copy()
                self._final_state = OptimizerState(m, v, self.step_count)
            self._arena.release_all()

    def __enter__(self) -> PoolEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def worker_pids(self) -> list[int | None]:
        return self._procs.pids if self._procs is not None else []

    @property
    def segment_names(self) -> list[str]:
        """Names of the live shared-memory segments (for tests and diagnostics)."""
        return self._arena.names

    # -- internals --------------------------------------------------------------------------

    @staticmethod
    def _check_batch(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or x.shape != y.shape or x.shape[0] < 1 or x.shape[1] < 1:
            raise ValueError(
                f"x and y must be equal, non-empty [batch, time] arrays, got {x.shape} and {y.shape}"
            )
        if not (np.issubdtype(x.dtype, np.integer) and np.issubdtype(y.dtype, np.integer)):
            raise ValueError(f"x and y must hold integer token ids, got {x.dtype} and {y.dtype}")
        return x, y

    def _shard_gradients(self, x: np.ndarray, y: np.ndarray) -> float:
        """Every worker writes its token-weighted shard gradient into its row; returns the mean loss.
        (`gradient` only: `step` does this inside its one message.)"""
        assert self._procs is not None
        self._write_tokens(x, y)
        total_tokens = int(y.size)
        shards = row_ranges(x.shape[0], self.workers)
        messages = [("grad", lo, hi, self.grad_accum, total_tokens) for lo, hi in shards]
        losses = self._round_trip("grad", messages)
        return float(sum(losses))

    def _round_trip(self, name: str, messages: list[tuple]) -> list:
        """Broadcast and collect, stamping the round trip into the current step's timeline."""
        assert self._procs is not None
        sent = time.perf_counter()
        answers = self._procs.broadcast(messages)
        if self._step_record is not None:
            stamps = tuple(s for s in self._procs.stamps if s is not None)
            self._step_record.trips.append(RoundTrip(name, sent, time.perf_counter(), stamps))
        return answers

    def _write_tokens(self, x: np.ndarray, y: np.ndarray) -> None:
        assert self._procs is not None
        held = self._x.array.shape if self._x is not None else (0, 0)
        fits = held[0] >= x.shape[0] and held[1] == x.shape[1]
        if not fits:
            new_x = self._arena.create(x.shape, np.int32)
            new_y = self._arena.create(y.shape, np.int32)
            self._procs.broadcast([("tokens", new_x.spec, new_y.spec)] * self.workers)
            for old in (self._x, self._y):
                if old is not None:
                    self._arena.release(old)
            self._x, self._y = new_x, new_y
        assert self._x is not None and self._y is not None
        rows = x.shape[0]
        np.copyto(self._x.array[:rows], x, casting="same_kind")
        np.copyto(self._y.array[:rows], y, casting="same_kind")
