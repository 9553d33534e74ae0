"""AdamW, clipping and the learning-rate schedule."""

import math

import numpy as np
import pytest

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamW, AdamWSettings, adamw_update, clip_grad_norm, lr_at
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.training.in_process_engine import InProcessEngine


@pytest.mark.parametrize("tied", [True, False])
def test_one_step_changes_every_parameter_tensor(tied):
    config = ModelConfig(vocab_size=11, context_length=8, dim=16, layers=2, heads=2, tied=tied)
    layout = ParamLayout(config)
    params = init_params(config)
    before = params.copy()
    engine = InProcessEngine(config, params, AdamWSettings())
    rng = np.random.default_rng(1)
    x = rng.integers(0, 11, (4, 8))
    engine.step(x, np.roll(x, -1, axis=1), lr=1e-3)
    old, new = layout.views(before), layout.views(engine.params)
    unchanged = [s.name for s in layout if np.array_equal(old[s.name], new[s.name])]
    assert unchanged == []
    assert engine.optimizer_state().step == 1


def test_adamw_matches_the_reference_formula():
    rng = np.random.default_rng(0)
    p = rng.standard_normal(10)
    g = rng.standard_normal(10)
    m = rng.standard_normal(10) * 0.1
    v = rng.random(10) * 0.1
    mask = (np.arange(10) % 2).astype(float)
    lr, b1, b2, eps, wd, step = 0.01, 0.9, 0.99, 1e-8, 0.1, 3
    ref_m = b1 * m + (1 - b1) * g
    ref_v = b2 * v + (1 - b2) * g * g
    ref_p = p * (1 - lr * wd * mask)
    ref_p -= lr * (ref_m / (1 - b1**step)) / (np.sqrt(ref_v / (1 - b2**step)) + eps)
    adamw_update(p, g, m, v, mask, lr=lr, step=step, beta1=b1, beta2=b2, eps=eps, weight_decay=wd)
    np.testing.assert_allclose(m, ref_m, rtol=1e-10)
    np.testing.assert_allclose(v, ref_v, rtol=1e-10)
    np.testing.assert_allclose(p, ref_p, rtol=1e-10, atol=1e-15)


def test_weight_decay_only_touches_matrices():
    config = ModelConfig(vocab_size=5, context_length=4, dim=4, layers=1, heads=1)
    layout = ParamLayout(config)
    params = init_params(config) + np.float32(0.5)
    before = params.copy()
    opt = AdamW(layout.n_params, layout.decay_mask(), AdamWSettings(weight_decay=0.5))
    opt.step(params, np.zeros_like(params), lr=0.1)  # zero gradient: only decay can move weights
    old, new = layout.views(before), layout.views(params)
    for slot in layout:
        moved = not np.array_equal(old[slot.name], new[slot.name])
        assert moved == (len(slot.shape) == 2), slot.name


def test_clip_grad_norm_scales_to_the_limit_and_reports_the_old_norm():
    g = np.array([3.0, 4.0], dtype=np.float32)
    assert clip_grad_norm(g, 1.0) == pytest.approx(5.0)
    assert np.linalg.norm(g) == pytest.approx(1.0, rel=1e-5)
    small = np.array([0.3, 0.4], dtype=np.float32)
    clip_grad_norm(small, 1.0)
    np.testing.assert_allclose(small, [0.3, 0.4])


def test_lr_schedule_warms_up_then_decays_to_the_minimum():
    assert lr_at(0, 1e-3, 1e-4, 100, 2000) == pytest.approx(1e-3 / 101)
    assert lr_at(99, 1e-3, 1e-4, 100, 2000) == pytest.approx(1e-3 * 100 / 101)
    assert lr_at(100, 1e-3, 1e-4, 100, 2000) == pytest.approx(1e-3)
    mid = lr_at(1050, 1e-3, 1e-4, 100, 2000)
    assert mid == pytest.approx(1e-4 + 0.5 * (1 + math.cos(math.pi * 0.5)) * 9e-4)
    assert lr_at(2000, 1e-3, 1e-4, 100, 2000) == pytest.approx(1e-4)
    rates = [lr_at(s, 1e-3, 1e-4, 100, 2000) for s in range(100, 2000)]
    assert all(a >= b for a, b in zip(rates, rates[1:], strict=False))


def test_gradient_accumulation_gives_the_whole_batch_gradient():
    config = ModelConfig(vocab_size=9, context_length=6, dim=8, layers=1, heads=2)
    rng = np.random.default_rng(2)
    x = rng.integers(0, 9, (5, 6))
    y = rng.integers(0, 9, (5, 6))
    results = []
    for accum in (1, 2, 5):
        engine = InProcessEngine(config, init_params(config), AdamWSettings(clip=0.0), grad_accum=accum)
        loss, norm = engine.step(x, y, lr=1e-2)
        results.append((loss, norm, engine.optimizer_state().m / 0.1))  # m = (1 - beta1) * grad
    for loss, norm, grad in results[1:]:
        assert loss == pytest.approx(results[0][0], rel=1e-5)
        assert norm == pytest.approx(results[0][1], rel=1e-4)
        np.testing.assert_allclose(grad, results[0][2], rtol=1e-4, atol=1e-7)


def test_engine_rejects_bad_arguments():
    config = ModelConfig(vocab_size=9, context_length=6, dim=8, layers=1, heads=2)
    with pytest.raises(ValueError, match="grad_accum"):
        InProcessEngine(config, init_params(config), grad_accum=0)
    with pytest.raises(ValueError, match="float32"):
        InProcessEngine(config, init_params(config, np.float64))


def test_chunked_update_equals_one_pass_over_a_long_buffer():
    from hyper_prime_spiral.model.optim import ADAMW_CHUNK

    rng = np.random.default_rng(3)
    n = 2 * ADAMW_CHUNK + 17  # several chunks and a ragged tail
    p, g = rng.standard_normal(n), rng.standard_normal(n)
    m, v = np.zeros(n), np.zeros(n)
    mask = (rng.random(n) < 0.5).astype(float)
    expected = p * (1 - 1e-3 * 0.1 * mask) - 1e-3 * g / (np.abs(g) + 1e-8)  # first step: m/sqrt(v) = sign
    adamw_update(p, g, m, v, mask, lr=1e-3, step=1, weight_decay=0.1)
    np.testing.assert_allclose(p, expected, rtol=1e-9, atol=1e-15)


def test_decay_runs_cover_exactly_the_mask_and_give_the_mask_update():
    from hyper_prime_spiral.model.optim import DecayRuns

    mask = np.array([0, 1, 1, 0, 0, 1, 0, 1, 1, 1], np.float32)
    runs = DecayRuns.from_mask(mask)
    assert runs.runs == ((1, 3), (5, 6), (7, 10))
    assert runs.within(2, 8) == [(0, 1), (3, 4), (5, 6)]  # clipped to [2, 8), relative to 2
    assert DecayRuns.from_mask(np.zeros(4)).runs == () and DecayRuns.from_mask(np.ones(3)).runs == ((0, 3),)
    rng = np.random.default_rng(5)
    p, g = rng.standard_normal(10), rng.standard_normal(10)
    by_mask, by_runs = p.copy(), p.copy()
    moments = [np.zeros(10) for _ in range(4)]
    adamw_update(by_mask, g.copy(), moments[0], moments[1], mask, lr=0.1, step=1, weight_decay=0.5)
    adamw_update(by_runs, g.copy(), moments[2], moments[3], runs, lr=0.1, step=1, weight_decay=0.5)
    np.testing.assert_array_equal(by_mask, by_runs)


def test_grad_scale_is_the_clipped_gradient():
    rng = np.random.default_rng(6)
    p, g = rng.standard_normal(50), rng.standard_normal(50)
    mask = np.ones(50)
    scaled, prescaled = p.copy(), p.copy()
    m1, v1, m2, v2 = (np.full(50, 0.01) for _ in range(4))
    adamw_update(scaled, g.copy(), m1, v1, mask, lr=1e-2, step=2, grad_scale=0.25)
    adamw_update(prescaled, g * 0.25, m2, v2, mask, lr=1e-2, step=2)
    np.testing.assert_allclose(scaled, prescaled, rtol=1e-12)
    np.testing.assert_allclose(v1, v2, rtol=1e-12)
