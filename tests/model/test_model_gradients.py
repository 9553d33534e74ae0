"""The hand-written backward pass against central finite differences, in float64.

Bound: for every parameter tensor, ||analytic - numeric|| / (||analytic|| + ||numeric||) < 1e-6
(measured ~1e-8; central differences with h = 1e-6 are good to about 1e-9 here).
"""

import numpy as np
import pytest

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.transformer import Transformer

REL_BOUND = 1e-6
STEP = 1e-6


def _setup(tied: bool, places: int = 0):
    # with places: ids 1-10 stand for the digits 0-9 (a vocabulary needs all ten for places)
    # id 11 breaks a stretch of numbers (a line break): number orders count from 1 again after it;
    # id 12 is a power sign (joins a base and its exponent)
    numbers = dict(digit_tokens=tuple(range(1, 11)), number_orders=3, break_tokens=(11,), power_tokens=(12,))
    digits = dict(number_places=places, **numbers) if places else {}
    config = ModelConfig(
        vocab_size=13 if places else 7,
        context_length=5,
        dim=8,
        layers=2,
        heads=2,
        tied=tied,
        seed=3,
        **digits,
    )
    layout = ParamLayout(config)
    rng = np.random.default_rng(0)
    flat = init_params(config, np.float64)
    flat += rng.standard_normal(flat.shape) * 0.1  # gains/biases away from 1/0 so all paths matter
    x = rng.integers(0, config.vocab_size, (3, 4))
    x[0, :3] = 2  # repeated ids: the embedding gradient must accumulate
    y = rng.integers(0, config.vocab_size, (3, 4))
    return config, layout, flat, x, y


@pytest.mark.parametrize(("tied", "places"), [(True, 0), (False, 0), (True, 4)])
def test_every_parameter_tensor_matches_finite_differences(tied, places):
    config, layout, flat, x, y = _setup(tied, places)
    model = Transformer(config, dtype=np.float64)
    params = layout.views(flat)
    grads_flat = layout.new_buffer(np.float64) + 123.0  # garbage: loss_and_grads must overwrite it
    model.loss_and_grads(params, x, y, layout.views(grads_flat))
    numeric = np.empty_like(flat)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + STEP
        plus = model.loss(params, x, y)
        flat[i] = original - STEP
        minus = model.loss(params, x, y)
        flat[i] = original
        numeric[i] = (plus - minus) / (2 * STEP)
    names = [slot.name for slot in layout]
    assert ("head.out.weight" in names) == (not tied)
    assert ("embed.place" in names) == ("embed.previous_digit" in names) == bool(places)
    assert ("embed.number_order" in names) == bool(places)
    for slot in layout:
        a = grads_flat[slot.offset : slot.offset + slot.size]
        n = numeric[slot.offset : slot.offset + slot.size]
        rel = np.linalg.norm(a - n) / (np.linalg.norm(a) + np.linalg.norm(n))
        assert rel < REL_BOUND, f"{slot.name}: relative error {rel:.2e}"
        assert np.linalg.norm(a) > 0, f"{slot.name} got no gradient"


def test_loss_is_mean_cross_entropy_of_the_logits():
    config, layout, flat, x, y = _setup(tied=True)
    model = Transformer(config, dtype=np.float64)
    logits = model.logits(layout.views(flat), x)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -np.take_along_axis(logp, y[..., None], -1).mean()
    assert model.loss(layout.views(flat), x, y) == pytest.approx(expected, rel=1e-12)


def test_float32_gradients_agree_with_float64():
    config, layout, flat, x, y = _setup(tied=True)
    g64 = layout.new_buffer(np.float64)
    Transformer(config, np.float64).loss_and_grads(layout.views(flat), x, y, layout.views(g64))
    flat32 = flat.astype(np.float32)
    g32 = layout.new_buffer(np.float32)
    Transformer(config, np.float32).loss_and_grads(layout.views(flat32), x, y, layout.views(g32))
    assert np.linalg.norm(g32 - g64) / np.linalg.norm(g64) < 1e-4


def test_causal_prefix_logits_do_not_depend_on_later_tokens():
    config, layout, flat, x, _ = _setup(tied=False)
    model = Transformer(config, np.float64)
    changed = x.copy()
    changed[:, -1] = (changed[:, -1] + 1) % config.vocab_size
    a = model.logits(layout.views(flat), x)
    b = model.logits(layout.views(flat), changed)
    np.testing.assert_allclose(a[:, :-1], b[:, :-1], rtol=0, atol=1e-12)
    assert not np.allclose(a[:, -1], b[:, -1])


def test_rejects_sequences_longer_than_the_context():
    config, layout, flat, _, _ = _setup(tied=True)
    with pytest.raises(ValueError, match="context length"):
        Transformer(config, np.float64).logits(layout.views(flat), np.zeros((1, 6), dtype=int))


def test_attention_rows_far_below_their_head_maximum_do_not_underflow(monkeypatch):
    """The fast softmax shifts by each head's maximum; rows that underflow are redone exactly."""
    import hyper_prime_spiral.model.transformer as transformer_module

    config = ModelConfig(vocab_size=7, context_length=6, dim=8, layers=1, heads=1, seed=0)
    layout = ParamLayout(config)
    flat = init_params(config, np.float64)
    views = layout.views(flat)
    views["embed.token"][:] = np.random.default_rng(0).standard_normal((7, 8)) * 3
    views["block.0.attn.qkv.weight"][:] *= 2000  # scores spanning thousands: exp underflows
    calls = []
    exact = transformer_module._softmax_exact
    monkeypatch.setattr(transformer_module, "_softmax_exact", lambda s: (calls.append(1), exact(s)))
    model = Transformer(config, np.float64)
    ids = np.array([[0, 1, 2, 3, 4, 5]])
    logits = model.logits(layout.views(flat), ids)
    assert calls, "the exact fallback was not needed: make the scores more extreme"
    assert np.all(np.isfinite(logits))
    cached = model.forward_cached(layout.views(flat), ids[0], model.new_cache())
    np.testing.assert_allclose(logits[0], cached, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("tied", [True, False])
def test_large_vocabulary_embedding_path_matches_the_checked_one(tied, monkeypatch):
    """Vocabularies above ONE_HOT_MAX_VOCAB scatter with np.add.at; same gradients."""
    import hyper_prime_spiral.model.transformer as transformer_module

    config, layout, flat, x, y = _setup(tied)
    one_hot = layout.new_buffer(np.float64)
    Transformer(config, np.float64).loss_and_grads(layout.views(flat), x, y, layout.views(one_hot))
    monkeypatch.setattr(transformer_module, "ONE_HOT_MAX_VOCAB", 0)
    scatter = layout.new_buffer(np.float64) + 5.0
    Transformer(config, np.float64).loss_and_grads(layout.views(flat), x, y, layout.views(scatter))
    np.testing.assert_allclose(scatter, one_hot, rtol=1e-12, atol=1e-15)
