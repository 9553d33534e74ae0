"""A few pool steps give the same parameters and AdamW state as in-process training."""

from __future__ import annotations

import numpy as np
import pytest
from parallel_helpers import TINY, batch

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.in_process_engine import InProcessEngine
from hyper_prime_spiral.training.pool_engine import PoolEngine

STEPS = 4
# A low clip limit so clipping really happens on some steps (it is part of what must agree).
SETTINGS = AdamWSettings(clip=0.5)


def train(engine, batches, lrs) -> list[tuple[float, float]]:
    return [engine.step(x, y, lr) for (x, y), lr in zip(batches, lrs, strict=True)]


@pytest.mark.parametrize("accum", [1, 2])
def test_two_worker_training_matches_in_process_training(accum):
    batches = [batch(5, TINY.context_length, TINY.vocab_size, seed=s) for s in range(STEPS)]
    lrs = [3e-3, 2e-3, 1e-3, 5e-4]
    ref = InProcessEngine(TINY, init_params(TINY), SETTINGS)
    ref_history = train(ref, batches, lrs)
    engine = PoolEngine(TINY, init_params(TINY), SETTINGS, workers=2, grad_accum=accum)
    try:
        history = train(engine, batches, lrs)
    finally:
        engine.close()
    assert any(norm > SETTINGS.clip for _, norm in ref_history), "clipping was not exercised"
    for (loss, norm), (ref_loss, ref_norm) in zip(history, ref_history, strict=True):
        assert loss == pytest.approx(ref_loss, rel=1e-5)
        assert norm == pytest.approx(ref_norm, rel=1e-4)
    assert not np.array_equal(engine.params, init_params(TINY)), "training changed nothing"
    np.testing.assert_allclose(engine.params, ref.params, rtol=0, atol=2e-5)
    state, ref_state = engine.optimizer_state(), ref.optimizer_state()
    assert state.step == ref_state.step == STEPS
    np.testing.assert_allclose(state.m, ref_state.m, rtol=0, atol=1e-5 * np.abs(ref_state.m).max())
    np.testing.assert_allclose(state.v, ref_state.v, rtol=0, atol=1e-5 * np.abs(ref_state.v).max())


def test_resumed_pool_continues_the_step_count_and_moments():
    x, y = batch(4, TINY.context_length, TINY.vocab_size)
    ref = InProcessEngine(TINY, init_params(TINY), SETTINGS)
    ref.step(x, y, 1e-3)
    first = ref.optimizer_state()
    resumed_from = type(first)(first.m.copy(), first.v.copy(), first.step)
    start = ref.params.copy()
    ref.step(x, y, 1e-3)
    with PoolEngine(TINY, start, SETTINGS, workers=2, state=resumed_from) as engine:
        engine.step(x, y, 1e-3)
    assert engine.optimizer_state().step == 2
    np.testing.assert_allclose(engine.params, ref.params, rtol=0, atol=2e-5)


def test_both_engines_satisfy_the_engine_contract_and_errors_share_one_base():
    from hyper_prime_spiral.training.gradient_engine import EngineError, GradientEngine, WorkerCrashed

    engine = InProcessEngine(TINY, init_params(TINY), SETTINGS)
    assert isinstance(engine, GradientEngine)
    with PoolEngine(TINY, init_params(TINY), SETTINGS, workers=2) as pool:
        assert isinstance(pool, GradientEngine)
    assert issubclass(WorkerCrashed, EngineError) and issubclass(EngineError, RuntimeError)
    assert not isinstance(object(), GradientEngine)


def test_every_pool_step_leaves_a_timeline_of_its_round_trip_and_phases():
    batches = [batch(5, TINY.context_length, TINY.vocab_size, seed=s) for s in range(3)]
    with PoolEngine(TINY, init_params(TINY), SETTINGS, workers=2) as engine:
        train(engine, batches, [1e-3] * 3)
        steps = list(engine.timeline.steps)
        summary = engine.timeline.summary()
    assert len(steps) == 3
    phases = ["grad", "grad_barrier", "reduce", "norm_barrier", "update"]
    for step in steps:
        assert [trip.name for trip in step.trips] == ["step"]  # one message per step
        assert step.started <= step.trips[0].sent and step.trips[-1].received <= step.finished
        for trip in step.trips:
            assert len(trip.workers) == 2
            # worker clocks and the parent's are one clock: work happens inside the round trip
            assert all(trip.sent <= w.start <= w.end <= trip.received for w in trip.workers)
            assert all(w.cpu >= 0 for w in trip.workers)
            for w in trip.workers:
                assert [p.name for p in w.phases] == phases
                assert all(w.start <= p.start <= p.end <= w.end for p in w.phases)
                assert all(a.end <= b.start for a, b in zip(w.phases[:-1], w.phases[1:], strict=True))
            # nobody leaves a barrier before the last worker has arrived at it
            for barrier in ("grad_barrier", "norm_barrier"):
                spans = [next(p for p in w.phases if p.name == barrier) for w in trip.workers]
                assert max(p.start for p in spans) <= min(p.end for p in spans)
    assert summary["steps"] == 3 and summary["step_ms"] > 0
    assert summary["grad_ms"] > summary["reduce_ms"] and "step_messaging_ms" in summary
