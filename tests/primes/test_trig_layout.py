"""The numexpr layouts equal the numpy ones (to float rounding) in every mode."""

from __future__ import annotations

import numpy as np
import pytest

from hyper_prime_spiral.primes import modes, spirals, trig_layout

pytest.importorskip("numexpr")


def _layouts(mode: int, params: modes.ModeParams, numexpr_from: int | None) -> modes.Layout:
    with trig_layout.numexpr_from(numexpr_from):
        return modes.layout(mode, params)


@pytest.mark.parametrize("mode", range(len(modes.MODE_NAMES)))
@pytest.mark.parametrize("crystalline", [False, True])
def test_every_mode_lays_out_the_same_points_with_numexpr_and_numpy(mode, crystalline):
    params = modes.ModeParams(count=3000, phase=37.5, crystalline=crystalline, spiral_count=20_000)
    fast, plain = _layouts(mode, params, 0), _layouts(mode, params, None)
    assert fast.xy.shape == plain.xy.shape and len(plain.xy) > 0
    np.testing.assert_allclose(fast.xy, plain.xy, rtol=1e-6, atol=1e-4)  # float32 dots
    np.testing.assert_array_equal(fast.values, plain.values)
    np.testing.assert_array_equal(fast.color, plain.color)
    np.testing.assert_allclose(fast.guides, plain.guides, rtol=1e-6, atol=1e-4)


def test_both_paths_agree_on_raw_points_and_numexpr_really_runs(monkeypatch):
    values = np.arange(0, 250_000, dtype=np.int64)
    radius, theta = np.linspace(0, 500, 250_000), np.linspace(-7, 7, 250_000)
    with trig_layout.numexpr_from(None):
        sacks_np, polar_np = spirals.sacks_xy(values), trig_layout.polar(radius, theta)
    calls = []
    evaluate = trig_layout.numexpr.evaluate
    monkeypatch.setattr(trig_layout.numexpr, "evaluate", lambda *a, **k: calls.append(a) or evaluate(*a, **k))
    sacks_ne, polar_ne = spirals.sacks_xy(values), trig_layout.polar(radius, theta)  # default threshold
    assert len(calls) == 4, "numexpr was not used for 250,000 points"
    np.testing.assert_allclose(sacks_ne, sacks_np, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(polar_ne, polar_np, rtol=1e-12, atol=1e-9)
    assert trig_layout.polar(radius[:10], theta[:10]).shape == (10, 2) and len(calls) == 4  # small: numpy
