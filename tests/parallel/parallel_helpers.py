"""Shared set-up for the pool tests: tiny models, batches and a /dev/shm check."""

from __future__ import annotations

import os

import numpy as np

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.training.gradient_model import ModelSpec

TOY_VOCAB = 7
TOY = ModelSpec("parallel_toy_model:make", TOY_VOCAB)
# ids 1-10 stand for the digits, 11 for a line break and 12 for a power sign, so the number
# embeddings (places, previous digits, orders) are trained and summed across workers too
TINY = ModelConfig(
    vocab_size=14,
    context_length=8,
    dim=16,
    layers=2,
    heads=2,
    seed=3,
    number_places=5,
    digit_tokens=tuple(range(1, 11)),
    number_orders=4,
    break_tokens=(11,),
    power_tokens=(12,),
)


def toy_params(seed: int = 0) -> np.ndarray:
    n = TOY_VOCAB * TOY_VOCAB + TOY_VOCAB
    return np.random.default_rng(seed).normal(0, 0.5, n).astype(np.float32)


def batch(rows: int, time: int, vocab: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, vocab, (rows, time)), rng.integers(0, vocab, (rows, time))


def segments_alive(names: list[str]) -> list[str]:
    """Which of these shared-memory segments still exist (POSIX shm lives in /dev/shm)."""
    return [name for name in names if os.path.exists(os.path.join("/dev/shm", name.lstrip("/")))]
