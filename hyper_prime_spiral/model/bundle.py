"""A trained model as one value: what storage saves and loads, trainers produce, samplers use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.training_record import TrainingRecord


@dataclass
class OptimizerState:
    """AdamW moments (flat, aligned with the parameters) and the number of steps taken."""

    m: np.ndarray
    v: np.ndarray
    step: int


@dataclass
class ModelBundle:
    """Config + tokenizer + flat float32 parameters (+ optional optimizer state and training record)."""

    config: ModelConfig
    tokenizer: Any  # a hyper_prime_spiral.model.tokenizer tokenizer (encode/decode/to_dict)
    params: np.ndarray
    training: TrainingRecord = field(default_factory=TrainingRecord)
    optimizer: OptimizerState | None = None
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else "(unsaved)"

    @property
    def n_params(self) -> int:
        return int(self.params.shape[0])


def model_parts(
    model: ModelBundle | tuple[ModelConfig, Any, np.ndarray],
) -> tuple[ModelConfig, Any, np.ndarray]:
    """(config, tokenizer, flat params) from a ModelBundle or such a tuple (what samplers accept)."""
    if isinstance(model, tuple):
        return model
    return model.config, model.tokenizer, model.params
