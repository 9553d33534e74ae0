"""ModelConfig refuses impossible sizes with one clear message; GPT-2 initialisation statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hyper_prime_spiral.model.config import ConfigError, ModelConfig
from hyper_prime_spiral.model.init import INIT_STD, init_params
from hyper_prime_spiral.model.params import ParamLayout


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dim": 130, "heads": 4}, "width 130 is not divisible by the number of heads 4"),
        ({"layers": 0}, "layers must be a positive integer, got 0"),
        ({"context_length": -5}, "context_length must be a positive integer, got -5"),
        ({"dim": 64.0}, "dim must be a positive integer, got 64.0"),
        ({"heads": True}, "heads must be a positive integer, got True"),
        ({"vocab_size": 1}, "vocab_size must be at least 2, got 1"),
    ],
)
def test_impossible_configs_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ConfigError, match=message):
        ModelConfig(**{"vocab_size": 65, **changes})


def test_unknown_keys_in_a_saved_config_are_refused():
    with pytest.raises(ConfigError, match="unknown model config keys: \\['width'\\]"):
        ModelConfig.from_dict({"vocab_size": 65, "width": 128})


def test_gpt2_initialisation():
    config = ModelConfig(vocab_size=500, context_length=256, dim=128, layers=6, heads=4, seed=3)
    views = ParamLayout(config).views(init_params(config))
    residual_std = INIT_STD / math.sqrt(2 * config.layers)
    for name, value in views.items():
        if name.endswith(".gain"):
            assert np.all(value == 1.0), name
        elif name.endswith(".bias"):
            assert np.all(value == 0.0), name
        else:
            expected = residual_std if name.endswith(("attn.out.weight", "mlp.out.weight")) else INIT_STD
            assert abs(float(value.mean())) < 4 * expected / math.sqrt(value.size), name
            assert float(value.std()) == pytest.approx(expected, rel=0.05), name
    again = init_params(config)
    assert np.array_equal(again, init_params(config))  # the seed decides everything
    other = init_params(ModelConfig(**{**config.to_dict(), "seed": 4}))
    assert not np.array_equal(again, other)
