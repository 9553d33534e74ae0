"""What a training worker computes: a model that fills gradient views for a shard of a batch.

(How the shards' and micro-batches' gradients are summed: `gradient_sums`.)

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
