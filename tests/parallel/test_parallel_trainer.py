"""The Trainer on the pool: same result as in-process, and a STOP frees the pool."""

from __future__ import annotations

import threading
from types import SimpleNamespace

import numpy as np
from parallel_helpers import TINY, segments_alive

from hyper_prime_spiral.training import pool_engine
from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

TOKENIZER = SimpleNamespace(vocab_size=TINY.vocab_size, kind="stub")


def corpus() -> np.ndarray:
    return np.random.default_rng(5).integers(0, TINY.vocab_size, 400).astype(np.int32)


def run(workers: int, steps: int, stop_after: int | None = None, seen: list | None = None):
    stop = threading.Event()

    def on_progress(event):
        if stop_after is not None and event.step >= stop_after:
            stop.set()

    settings = TrainSettings(
        steps=steps, batch_size=5, warmup=1, eval_every=100, eval_batches=1, workers=workers
    )
    trainer = Trainer(TINY, TOKENIZER, corpus(), settings, callback=on_progress, stop_event=stop)
    return trainer.run()


def test_trainer_with_two_workers_matches_one_process():
    pooled, single = run(workers=2, steps=3), run(workers=1, steps=3)
    assert pooled.steps == single.steps == 3
    np.testing.assert_allclose(pooled.bundle.params, single.bundle.params, rtol=0, atol=2e-5)
    assert pooled.bundle.optimizer.step == 3


def test_stop_ends_training_after_the_step_and_frees_every_segment(monkeypatch):
    engines = []
    original = pool_engine.PoolEngine

    class RecordingPool(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            engines.append(self)

        def step(self, x, y, lr):
            result = super().step(x, y, lr)
            self.names_seen = self.segment_names
            return result

    monkeypatch.setattr(pool_engine, "PoolEngine", RecordingPool)
    result = run(workers=2, steps=50, stop_after=2)
    assert result.stopped and 2 <= result.steps <= 3  # the step in flight when STOP came finishes
    (engine,) = engines
    assert engine.names_seen and segments_alive(engine.names_seen) == []
    assert np.isfinite(result.bundle.params).all()
