"""GPT-2 style initialisation of the flat parameter buffer, reproducible from `config.seed`."""

from __future__ import annotations

import math

import numpy as np

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout

INIT_STD = 0.02
# Projections that write into the residual stream: scaled so the stream's variance does not
# grow with depth (GPT-2: std / sqrt(2 * layers), two such writes per layer).
RESIDUAL_PROJECTIONS = ("attn.out.weight", "mlp.out.weight")


def init_params(config: ModelConfig, dtype: np.dtype | type = np.float32) -> np.ndarray:
    """A new flat buffer: matrices and embeddings ~ N(0, 0.02), biases 0, LayerNorm gains 1."""
    layout = ParamLayout(config)
    flat = layout.new_buffer(dtype)
    views = layout.views(flat)
    rng = np.random.default_rng(config.seed)
    residual_std = INIT_STD / math.sqrt(2 * config.layers)
    for slot in layout:  # storage order, so the same seed always gives the same parameters
        view = views[slot.name]
        if slot.name.endswith(".gain"):
            view[...] = 1.0
        elif len(slot.shape) == 2:
            std = residual_std if slot.name.endswith(RESIDUAL_PROJECTIONS) else INIT_STD
            view[...] = rng.standard_normal(slot.shape, dtype=np.float64) * std
        # biases stay at zero
    return flat
