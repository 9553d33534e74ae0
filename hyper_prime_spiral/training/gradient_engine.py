"""The contract between the Trainer and whatever computes its optimizer steps, and its errors.

Why a Protocol: the in-process engine, the worker pool and any later engine (other machines)
are interchangeable behind `Trainer`; it needs only these four members, and it catches only
`EngineError`, whatever the engine is.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState


class EngineError(RuntimeError):
    """An engine could not finish a step; it has already freed its processes and memory."""


class WorkerError(EngineError):
    """A training worker could not do its job (the message carries its traceback)."""


class WorkerCrashed(WorkerError):
    """A training worker process died (killed, out of memory, ...)."""


@runtime_checkable
class GradientEngine(Protocol):
    """Optimizer steps on a flat float32 parameter buffer.

    `step` computes the gradient of the batch (split into micro-batches or shards, summed
    weighted by token count, so the split never changes the result), clips it to the global
    norm and applies AdamW in place. After `close()`, `params` and `optimizer_state()` are
    private copies that stay readable.
    """

    params: np.ndarray

    def step(self, x: np.ndarray, y: np.ndarray, lr: float) -> tuple[float, float]:
        """One optimizer step on token ids [B, T]: (mean loss, gradient norm before clipping).
        Raises EngineError (and frees everything) when the step cannot be completed."""
        ...

    def optimizer_state(self) -> OptimizerState:
        """A private copy of the AdamW moments and step count."""
        ...

    def close(self) -> None:
        """Free processes and shared memory; idempotent, for `finally` blocks."""
        ...
