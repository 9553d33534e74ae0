"""Data-parallel training over MPI: R ranks, each with its local engine, one all-reduce per step.

Why MPI: data-parallel training needs one collective, an all-reduce of the gradient, and MPI is
the standard engine for exactly that (mpi4py + mpich install from PyPI: the `[cluster]` extra).
Nothing here imports MPI until `connect()` is called, which the CLI does only when the process
was started by `mpiexec`.

How a step works (`ClusterEngine.step`): every rank gets the same global batch (the Trainer
draws it from the same seed on every rank, exactly as a single-machine run does) and keeps
its own contiguous share of the rows; its local engine (in-process, or the shared-memory pool
of `--workers` processes) computes the gradient of those rows weighted by their share of the
*global* batch's tokens; one in-place all-reduce (SUM) of [gradient, loss, stop flag] then gives
every rank the whole-batch mean gradient; clipping and AdamW run on every rank on identical
numbers, so every rank holds bit-identical parameters. The global batch and learning-rate
schedule are those of a single-machine run with the same settings: R ranks are a faster way to
the same model. Every `check_every` steps (and on the last) the ranks compare a digest of the
parameters and AdamW moments; a mismatch raises `ClusterError` on every rank.
"""

from __future__ import annotations

import hashlib
import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, NoReturn, Protocol

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState
from hyper_prime_spiral.model.optim import AdamW, AdamWSettings, clip_grad_norm
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.training.gradient_model import TransformerGradients
from hyper_prime_spiral.training.gradient_sums import WeightedGradients, row_ranges

# Set by the launchers of MPICH (hydra: PMI_*), PMIx-based ones and Open MPI.
LAUNCHER_VARIABLES = ("PMI_RANK", "PMI_SIZE", "PMIX_RANK", "OMPI_COMM_WORLD_SIZE")
CHECK_EVERY = 50  # steps between parameter-digest comparisons
INSTALL_HINT = "pip install 'hyper-prime-spiral[cluster]'"


class ClusterError(RuntimeError):
    """The ranks disagree (different parameters, different settings): the run stops, nothing is saved."""


class ClusterUnavailable(RuntimeError):
    """Started by mpiexec, but mpi4py cannot be imported."""


def launched_by_mpi(environ: Mapping[str, str] | None = None) -> bool:
    """True when an MPI launcher started this process (checked without importing MPI)."""
    env = os.environ if environ is None else environ
    return any(name in env for name in LAUNCHER_VARIABLES)


class Collective(Protocol):
    """What the cluster engine needs from MPI (a test can stand in a single-process group)."""

    rank: int
    size: int

    def allreduce_sum(self, buffer: np.ndarray) -> None:
        """Sum `buffer` over all ranks, in place, identically on every rank."""
        ...

    def allgather(self, value: Any) -> list[Any]:
        """Every rank's `value`, in rank order, on every rank."""
        ...

    def abort(self, code: int) -> NoReturn:
        """End every rank of the job now (exit status `code`)."""
        ...


class MpiCollective:
    """COMM_WORLD through mpi4py (imported here, on first use only)."""

    def __init__(self) -> None:
        try:
            from mpi4py import MPI
        except ImportError as exc:
            raise ClusterUnavailable(
                f"started by mpiexec, but mpi4py is not installed ({exc}); install the extra: {INSTALL_HINT}"
            ) from None
        self._mpi = MPI
        self._comm = MPI.COMM_WORLD
        self.rank = self._comm.Get_rank()
        self.size = self._comm.Get_size()
        local = self._comm.Split_type(MPI.COMM_TYPE_SHARED)
        self.local_size = local.Get_size()
        local.Free()

    def allreduce_sum(self, buffer: np.ndarray) -> None:
        self._comm.Allreduce(self._mpi.IN_PLACE, buffer, op=self._mpi.SUM)

    def allgather(self, value: Any) -> list[Any]:
        return self._comm.allgather(value)

    def abort(self, code: int) -> NoReturn:
        sys.stdout.flush()
        sys.stderr.flush()
        self._comm.Abort(code)
        os._exit(code)  # Abort does not return; this only satisfies NoReturn


def parameter_digest(*arrays: np.ndarray) -> str:
    """A short hash of the exact bytes of the arrays (bit-identical arrays, equal digests)."""
    h = hashlib.blake2b(digest_size=8)
    for array in arrays:
        h.update(np.ascontiguousarray(array).view(np.uint8))
    return h.hexdigest()


def compare_digests(comm: Collective, digest: str, what: str) -> None:
    """Raise ClusterError on every rank if any rank's digest differs from rank 0's."""
    digests = comm.allgather(digest)
    differ = [rank for rank, d in enumerate(digests) if d != digests[0]]
    if differ:
        ranks = ", ".join(str(r) for r in differ)
        raise ClusterError(
            f"{what}: the parameters of rank(s) {ranks} differ from rank 0's "
            f"(digests {', '.join(digests)}); stopping without saving"
        )


class _LocalGradients(Protocol):
    params: np.ndarray

    def gradient(self, x: np.ndarray, y: np.ndarray, total_tokens: int, out: np.ndarray) -> float: ...

    def close(self) -> None: ...


class _InProcessGradients:
    """This rank's rows in this process (BLAS on one thread, as the Trainer sets it)."""

    def __init__(self, config: Any, params: np.ndarray, grad_accum: int) -> None:
        self._model = TransformerGradients(config)
        self.params = params
        self._views = self._model.views(params)
        self._grad_accum = grad_accum
        self._buffer: np.ndarray | None = None
        self._weighted: WeightedGradients | None = None

    def gradient(self, x: np.ndarray, y: np.ndarray, total_tokens: int, out: np.ndarray) -> float:
        if self._weighted is None or self._buffer is not out:
            self._buffer, self._weighted = out, WeightedGradients(self._model, out)
        return self._weighted.compute(self._views, x, y, self._grad_accum, total_tokens)

    def close(self) -> None:
        pass


class _PoolGradients:
    """This rank's rows on its shared-memory pool of worker processes (the pool's own AdamW is unused)."""

    def __init__(
        self, config: Any, params: np.ndarray, settings: AdamWSettings, workers: int, grad_accum: int
    ):
        from hyper_prime_spiral.training.pool_engine import PoolEngine

        self._pool = PoolEngine(config, params, settings, workers=workers, grad_accum=grad_accum)
        self.params = self._pool.params  # shared memory: the workers see every update

    def gradient(self, x: np.ndarray, y: np.ndarray, total_tokens: int, out: np.ndarray) -> float:
        loss, grad = self._pool.gradient(x, y)  # mean over these rows
        share = y.size / total_tokens
        np.multiply(grad, np.float32(share), out=out)
        return loss * share

    def close(self) -> None:
        self._pool.close()
        self.params = self._pool.params


class ClusterEngine:
    """GradientEngine over R ranks (see the module docstring); `step` takes the *global* batch.

    `stop_request` (set by this rank's Ctrl+C handler) travels in the all-reduce; when any
    rank asked, every rank sets `stop_agreed` after the same step, so all ranks stop together.
    """

    def __init__(
        self,
        comm: Collective,
        config: Any,
        params: np.ndarray,
        settings: AdamWSettings | None = None,
        workers: int = 1,
        grad_accum: int = 1,
        state: OptimizerState | None = None,
        *,
        check_every: int = CHECK_EVERY,
        stop_request: threading.Event | None = None,
        stop_agreed: threading.Event | None = None,
        on_first_step: Callable[[], None] | None = None,
    ) -> None:
        """`on_first_step` runs once after the first step (when the pool has made every buffer)."""
        if check_every < 1:
            raise ValueError(f"check_every must be at least 1, got {check_every}")
        self.comm = comm
        self.settings = settings or AdamWSettings()
        self.check_every = check_every
        self.stop_request = stop_request or threading.Event()
        self.stop_agreed = stop_agreed or threading.Event()
        layout = ParamLayout(config)
        n = layout.n_params
        flat = np.ascontiguousarray(params, dtype=np.float32)
        if flat.shape != (n,):
            raise ValueError(f"params have shape {flat.shape}, the model needs ({n},)")
        self.optimizer = AdamW(n, layout.decay_mask(), self.settings, _copy_state(state))
        self._n = n
        # [gradient (n), loss, stop flag]: one collective per step carries all three.
        self._buffer = np.zeros(n + 2, np.float32)
        self.allreduce_seconds = 0.0
        self.steps_done = 0
        self._on_first_step = on_first_step
        self._closed = False
        if workers > 1:
            self._local: _LocalGradients = _PoolGradients(config, flat, self.settings, workers, grad_accum)
        else:
            self._local = _InProcessGradients(config, flat.copy(), grad_accum)
        self.params = self._local.params
        try:
            compare_digests(comm, self._digest(), "at the start")
        except BaseException:
            self.close()  # the Trainer never sees this engine: free its pool here
            raise

    @property
    def step_count(self) -> int:
        return self.optimizer.state.step

    def _digest(self) -> str:
        s = self.optimizer.state
        return parameter_digest(self.params, s.m, s.v)

    def _reduce(self, x: np.ndarray, y: np.ndarray) -> float:
        """All-reduced [token-weighted gradient of this rank's rows, loss, stop]; returns the loss."""
        if self._closed:
            raise RuntimeError("the cluster engine is closed")
        x, y = np.asarray(x), np.asarray(y)
        if x.ndim != 2 or x.shape != y.shape or x.shape[0] < 1:
            raise ValueError(
                f"x and y must be equal, non-empty [batch, time] arrays, got {x.shape} and {y.shape}"
            )
        lo, hi = row_ranges(x.shape[0], self.comm.size)[self.comm.rank]
        buffer, n = self._buffer, self._n
        if hi > lo:
            buffer[n] = self._local.gradient(x[lo:hi], y[lo:hi], int(y.size), buffer[:n])
        else:
            buffer[: n + 1] = 0.0  # fewer rows than ranks: this rank adds nothing
        buffer[n + 1] = 1.0 if self.stop_request.is_set() else 0.0
        started = time.perf_counter()
        self.comm.allreduce_sum(buffer)
        self.allreduce_seconds += time.perf_counter() - started
        if buffer[n + 1] > 0:
            self.stop_agreed.set()
        return float(buffer[n])

    def step(self, x: np.ndarray, y: np.ndarray, lr: float) -> tuple[float, float]:
        """One optimizer step on the global batch: returns (mean loss, gradient norm before clipping)."""
        loss = self._reduce(x, y)
        grads = self._buffer[: self._n]
        norm = clip_grad_norm(grads, self.settings.clip)
        self.optimizer.step(self.params, grads, lr)
        self.steps_done += 1
        if self.steps_done == 1 and self._on_first_step is not None:
            self._on_first_step()
        if self.steps_done % self.check_every == 0 or self.stop_agreed.is_set():
            compare_digests(self.comm, self._digest(), f"after step {self.step_count}")
        return loss, norm

    def gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """Mean loss and the all-reduced whole-batch gradient (a copy), without updating anything."""
        loss = self._reduce(x, y)
        return loss, self._buffer[: self._n].copy()

    def verify(self, what: str) -> None:
        """Compare the parameter digest across ranks now (a collective: every rank must call it)."""
        compare_digests(self.comm, self._digest(), what)

    def optimizer_state(self) -> OptimizerState:
        s = self.optimizer.state
        return OptimizerState(s.m.copy(), s.v.copy(), s.step)

    def close(self) -> None:
        """Free the local pool (idempotent); `params` stays readable."""
        if self._closed:
            return
        self._closed = True
        self._local.close()
        self.params = self._local.params


def _copy_state(state: OptimizerState | None) -> OptimizerState | None:
    if state is None:
        return None
    return OptimizerState(
        state.m.astype(np.float32, copy=True), state.v.astype(np.float32, copy=True), state.step
    )


class ClusterSession:
    """This rank's view of the job: who it is, a guard that cleans up if it dies, and the engine factory."""

    def __init__(self, comm: Collective, guard: Any = None, local_size: int = 1) -> None:
        self.comm = comm
        self.guard = guard
        self.local_size = local_size
        self.host = socket.gethostname()
        self.engine: ClusterEngine | None = None
        self.gathered = False  # whether this rank took part in `ready`

    @classmethod
    def start(cls) -> ClusterSession:
        """Connect to MPI (imports mpi4py) and start this rank's shared-memory guard."""
        from hyper_prime_spiral.training.rank_guard import RankGuard

        comm = MpiCollective()
        return cls(comm, RankGuard(comm.rank, socket.gethostname()), comm.local_size)

    @property
    def rank(self) -> int:
        return self.comm.rank

    @property
    def size(self) -> int:
        return self.comm.size

    @property
    def is_root(self) -> bool:
        return self.comm.rank == 0

    def default_workers(self) -> int:
        """All cores shared among the ranks on this host."""
        return max(1, (os.cpu_count() or 1) // max(1, self.local_size))

    def ready(
        self, problem: str | None, digest: str | None = None
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Every rank's host, pid, set-up problem (None when ready) and job digest: one collective,
        called once per rank. Returns (members, problems): all ranks in order, and those with a problem."""
        self.gathered = True
        me = {"rank": self.rank, "host": self.host, "pid": os.getpid(), "problem": problem, "digest": digest}
        members = self.comm.allgather(me)
        return members, [m for m in members if m["problem"] is not None]

    def engine_factory(
        self, stop_request: threading.Event, stop_agreed: threading.Event, check_every: int = CHECK_EVERY
    ) -> Callable[..., ClusterEngine]:
        """A `make_engine`-shaped factory for the Trainer."""

        def make(
            config: Any, params: np.ndarray, settings: Any, state: OptimizerState | None
        ) -> ClusterEngine:
            self.engine = ClusterEngine(
                self.comm,
                config,
                params,
                settings.optimizer(),
                workers=settings.workers,
                grad_accum=settings.grad_accum,
                state=state,
                check_every=check_every,
                stop_request=stop_request,
                stop_agreed=stop_agreed,
                on_first_step=self.guard.report if self.guard is not None else None,
            )
            return self.engine

        return make

    def compare(self, arrays: tuple[np.ndarray, ...], what: str) -> None:
        """Raise ClusterError on every rank unless all ranks hold the same bytes (a collective)."""
        compare_digests(self.comm, parameter_digest(*arrays), what)

    def allreduce_ms_per_step(self) -> float | None:
        engine = self.engine
        if engine is None or engine.steps_done == 0:
            return None
        return 1000.0 * engine.allreduce_seconds / engine.steps_done

    def fail(self, message: str, code: int) -> NoReturn:
        """Report this rank's failure and end the whole job (the other ranks are stopped by MPI)."""
        print(f"hyper-prime-spiral: rank {self.rank} on {self.host}: {message}", file=sys.stderr, flush=True)
        if self.guard is not None:
            self.guard.quiet()
        self.comm.abort(code)

    def finish(self) -> None:
        """This rank ends cleanly (its guard stays silent and removes nothing)."""
        if self.guard is not None:
            self.guard.done()
