"""The training loop learns, is deterministic, reports progress and stops cooperatively."""

import threading

import numpy as np
import pytest

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.sampling import generate
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.training.trainer import Trainer, TrainingError, TrainSettings

CORPUS = "the quick brown fox jumps over the lazy dog. " * 40


def _trainer(steps=200, **kw):
    tok = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=16, dim=32, layers=2, heads=2, seed=1)
    settings = TrainSettings(
        steps=steps, batch_size=8, lr=1e-2, min_lr=1e-3, warmup=10, eval_every=50, eval_batches=4, seed=2
    )
    return Trainer(config, tok, tok.encode(CORPUS), settings, **kw)


def test_loss_falls_far_below_its_start_and_the_model_continues_the_pattern():
    events = []
    result = _trainer(callback=events.append).run()
    start = events[0].train_loss
    assert start > 2.5  # about log(vocab) at initialisation
    assert result.val_loss is not None and result.val_loss < 0.25 * start
    assert [e.step for e in events] == list(range(1, 201))
    assert [e.step for e in events if e.val_loss is not None] == [50, 100, 150, 200]
    assert events[-1].done and not result.stopped
    assert events[-1].epoch > 0 and events[-1].tokens_per_s > 0
    reply = generate(result.bundle, "the quick brown ", temperature=0, max_tokens=9)
    assert reply == "fox jumps"


def test_training_is_deterministic_for_a_seed():
    a = _trainer(steps=20).run()
    b = _trainer(steps=20).run()
    np.testing.assert_array_equal(a.bundle.params, b.bundle.params)
    assert a.train_loss == b.train_loss


def test_stop_event_ends_after_the_current_step_and_returns_a_model():
    stop = threading.Event()
    events = []

    def callback(event):
        events.append(event)
        if event.step == 3:
            stop.set()

    result = _trainer(steps=100, callback=callback, stop_event=stop).run()
    assert result.steps == 4 and result.stopped
    assert events[-1].stopped and events[-1].done and events[-1].val_loss is not None
    assert result.bundle.optimizer.step == 4
    assert result.bundle.training.stopped_early is True


def test_resuming_continues_the_optimizer_state():
    first = _trainer(steps=5).run()
    resumed = _trainer(steps=5, params=first.bundle.params, optimizer_state=first.bundle.optimizer).run()
    assert resumed.bundle.optimizer.step == 10


def test_epochs_set_the_number_of_steps():
    tok = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=16, dim=16, layers=1, heads=2)
    trainer = Trainer(config, tok, tok.encode(CORPUS), TrainSettings(epochs=1.0, batch_size=4))
    assert trainer.total_steps == int(np.ceil(len(trainer.train_ids) / 64))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(),
        dict(steps=10, epochs=1.0),
        dict(steps=0),
        dict(steps=5, lr=0.0),
        dict(steps=5, min_lr=1.0),
        dict(steps=5, batch_size=0),
    ],
)
def test_bad_settings_are_rejected(kwargs):
    with pytest.raises(ValueError):
        TrainSettings(**kwargs)


def test_a_nan_loss_stops_training_with_a_clear_error():
    tok = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=16, dim=16, layers=1, heads=2)
    params = init_params(config)
    params[:10] = np.nan
    trainer = Trainer(config, tok, tok.encode(CORPUS), TrainSettings(steps=5, batch_size=4), params=params)
    with pytest.raises(TrainingError, match="step 1"):
        trainer.run()


def test_two_workers_train_like_one_process():
    pytest.importorskip("hyper_prime_spiral.training.pool_engine")
    tok = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=16, dim=16, layers=1, heads=2)
    results = []
    for workers in (1, 2):
        settings = TrainSettings(steps=3, batch_size=4, eval_every=3, eval_batches=2, workers=workers)
        results.append(Trainer(config, tok, tok.encode(CORPUS), settings).run())
    one, two = results
    assert two.bundle.optimizer.step == 3
    assert two.train_loss == pytest.approx(one.train_loss, rel=1e-5)
    np.testing.assert_allclose(two.bundle.params, one.bundle.params, atol=1e-5)


def test_training_runs_blas_on_one_thread_and_restores_the_count_after():
    """A second BLAS thread collapses when the other core is busy: `run()` pins this process to one."""
    from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries

    before = blas_threads()
    if before is None:
        pytest.skip("the loaded BLAS cannot report its thread count")
    limit_loaded_libraries(2)
    try:
        seen = []
        _trainer(steps=3, callback=lambda event: seen.append(blas_threads())).run()
        assert seen == [1, 1, 1]
        assert blas_threads() == 2
    finally:
        limit_loaded_libraries(before)


def _overfitting_trainer(keep_best: bool) -> Trainer:
    """A model big enough to memorise 900 characters of varied text: its held-out loss rises."""
    text = " ".join(f"{n} is {'odd' if n % 2 else 'even'} and {n * n} is its square." for n in range(30))
    tok = build_tokenizer("char", text)
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=32, dim=64, layers=2, heads=4)
    settings = TrainSettings(
        steps=300, batch_size=8, lr=1e-2, min_lr=1e-2, warmup=10, eval_every=20, eval_batches=4,
        val_fraction=0.2, keep_best=keep_best,
    )  # fmt: skip
    return Trainer(config, tok, tok.encode(text), settings)


def test_the_weights_of_the_lowest_validation_loss_are_kept():
    trainer = _overfitting_trainer(keep_best=True)
    result = trainer.run()
    vals = {e.step: e.val_loss for e in result.history if e.val_loss is not None}
    best_step = min(vals, key=vals.get)
    assert vals[result.steps] > vals[best_step] + 0.05  # it did overfit
    assert result.best_step == best_step and result.val_loss == pytest.approx(vals[best_step])
    assert trainer.evaluate(result.bundle.params) == pytest.approx(vals[best_step], rel=1e-5)
    assert result.bundle.training.kept_step == best_step
    assert result.bundle.training.last_step_val_loss == pytest.approx(vals[result.steps])
    assert result.bundle.optimizer.step == best_step  # resuming continues from the kept weights


def test_without_keep_best_the_last_weights_are_returned():
    trainer = _overfitting_trainer(keep_best=False)
    result = trainer.run()
    last = result.history[-1].val_loss
    assert result.best_step is None and result.val_loss == pytest.approx(last)
    assert trainer.evaluate(result.bundle.params) == pytest.approx(last, rel=1e-5)
