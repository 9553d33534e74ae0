"""What a training worker computes: a model that fills gradient views for a shard of a batch.

Why a spec instead of an object: worker processes are spawned, so they rebuild the model
from an importable factory name plus a small picklable config. The pool is generic over
this protocol (tests use a tiny stand-in model); `ModelSpec.transformer(config)` is the
real thing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np


class GradientModel(Protocol):
    n_params: int

    def views(self, flat: np.ndarray) -> dict[str, np.ndarray]: ...

    def decay_mask(self) -> np.ndarray: ...

    def loss_and_grads(
        self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, grads: dict[str, np.ndarray]
    ) -> float:
        """Mean loss over the shard's targets; overwrites every tensor of `grads`."""
        ...


@dataclass(frozen=True)
class ModelSpec:
    """`factory` is "package.module:callable"; `factory(config)` builds a GradientModel."""

    factory: str
    config: Any

    def __post_init__(self) -> None:
        module_name, _, attr = self.factory.partition(":")
        if not module_name or not attr:
            raise ValueError(f"model factory must look like 'module:callable', got {self.factory!r}")

    @classmethod
    def transformer(cls, config: Any) -> ModelSpec:
        return cls(f"{__name__}:TransformerGradients", config)

    def build(self) -> GradientModel:
        module_name, _, attr = self.factory.partition(":")
        factory = getattr(importlib.import_module(module_name), attr)
        return factory(self.config)


def row_ranges(rows: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous ranges covering 0:rows, sizes differing by at most one (empty when rows < parts)."""
    base, extra = divmod(rows, parts)
    ranges, start = [], 0
    for i in range(parts):
        stop = start + base + (1 if i < extra else 0)
        ranges.append((start, stop))
        start = stop
    return ranges


class WeightedGradients:
    """The gradient of some rows of a batch, in up to `parts` micro-batches, into one flat buffer.

    Each micro-batch's gradient is weighted by its share of the whole batch's tokens, so the
    sum over micro-batches (and over the pool's shards) is exactly the whole-batch mean
    gradient even when they differ in size. Used by the in-process engine and by each worker.
    """

    def __init__(self, model: GradientModel, out: np.ndarray) -> None:
        self.model = model
        self.out = out
        self._out_views = model.views(out)
        self._scratch: np.ndarray | None = None  # micro-batch gradients, made on first use
        self._scratch_views: dict[str, np.ndarray] = {}

    def compute(
        self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, parts: int, total_tokens: int
    ) -> float:
        """Fill `out` with the token-weighted gradient of rows (x, y); returns their weighted loss."""
        ranges = row_ranges(x.shape[0], max(1, min(parts, x.shape[0])))
        if len(ranges) == 1:
            weight = y.size / total_tokens
            loss = self.model.loss_and_grads(params, x, y, self._out_views)
            if weight != 1.0:
                self.out *= np.float32(weight)
            return weight * loss
        if self._scratch is None:
            self._scratch = np.empty_like(self.out)
            self._scratch_views = self.model.views(self._scratch)
        loss = 0.0
        for i, (a, b) in enumerate(ranges):
            weight = y[a:b].size / total_tokens
            loss += weight * self.model.loss_and_grads(params, x[a:b], y[a:b], self._scratch_views)
            if i == 0:
                np.multiply(self._scratch, np.float32(weight), out=self.out)
            else:
                self._scratch *= np.float32(weight)
                self.out += self._scratch
        return loss


class TransformerGradients:
    """The NumPy transformer seen through the GradientModel protocol."""

    def __init__(self, config: Any) -> None:
        from hyper_prime_spiral.model.params import ParamLayout
        from hyper_prime_spiral.model.transformer import Transformer

        self.layout = ParamLayout(config)
        self.n_params = self.layout.n_params
        self.model = Transformer(config, np.float32)

    def views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        return self.layout.views(flat)

    def decay_mask(self) -> np.ndarray:
        return self.layout.decay_mask(np.float32)

    def loss_and_grads(
        self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, grads: dict[str, np.ndarray]
    ) -> float:
        return float(self.model.loss_and_grads(params, x, y, grads))
