"""The background training controller: new model, continue, stop, and every failure as a message."""

from __future__ import annotations

import errno
from dataclasses import replace

import numpy as np
import pytest
from trainrun_helpers import finish, write_corpus

from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.storage import atomic as storage_atomic
from hyper_prime_spiral.storage import load_model
from hyper_prime_spiral.training import resources
from hyper_prime_spiral.training.corpus import load_corpus
from hyper_prime_spiral.training.gradient_engine import WorkerCrashed
from hyper_prime_spiral.training.presets import TAB_RECIPE, get_preset
from hyper_prime_spiral.training.run_controller import (
    ContinueModel,
    NewModel,
    RunFailed,
    RunSaved,
    RunStarted,
    TrainingRun,
)
from hyper_prime_spiral.training.trainer import ProgressEvent, Trainer

FAST = replace(TAB_RECIPE, steps=4, batch=2, workers=1, context=16)


def new_run(tmp_path, paths, name="m", params=FAST, kind="char"):
    return TrainingRun(paths, params, NewModel(tmp_path / "models" / name, get_preset("tiny"), kind))


def test_a_new_model_is_trained_on_all_files_and_saved(tmp_path):
    paths = write_corpus(tmp_path / "data")
    run = new_run(tmp_path, paths)
    run.start()
    messages, outcome = finish(run)
    assert isinstance(outcome, RunSaved), outcome
    started = next(m for m in messages if isinstance(m, RunStarted))
    joined = load_corpus(paths)
    expected = len(build_tokenizer("char", joined).encode(joined))
    assert started.train_tokens + started.val_tokens == expected
    assert expected > max(len(p.read_text()) for p in paths)
    steps = [m.step for m in messages if isinstance(m, ProgressEvent)]
    assert steps == [1, 2, 3, 4]
    loaded = load_model(tmp_path / "models" / "m")
    assert loaded.config.layers == get_preset("tiny").layers and loaded.config.context_length == 16
    assert loaded.training.corpus_files == [str(p) for p in paths]
    assert outcome.bundle.path == tmp_path / "models" / "m"
    np.testing.assert_array_equal(loaded.params, outcome.bundle.params)


def test_word_tokenizer_is_used_when_chosen(tmp_path):
    paths = write_corpus(tmp_path / "data")
    run = new_run(tmp_path, paths, kind="word")
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunSaved), outcome
    assert load_model(outcome.path).tokenizer.kind == "word"


def test_continuing_a_model_updates_the_same_directory_and_resumes_the_optimizer(tmp_path):
    paths = write_corpus(tmp_path / "data")
    first = new_run(tmp_path, paths)
    first.start()
    _, saved = finish(first)
    bundle = load_model(saved.path)
    second = TrainingRun(paths[:1], replace(TAB_RECIPE, steps=3, batch=2, workers=1), ContinueModel(bundle))
    second.start()
    _, outcome = finish(second)
    assert isinstance(outcome, RunSaved), outcome
    assert outcome.path == saved.path
    again = load_model(saved.path)
    assert again.optimizer.step == 4 + 3
    assert again.training.total_steps == 7
    assert again.config == bundle.config and again.tokenizer == bundle.tokenizer
    assert not np.array_equal(again.params, bundle.params)


def test_stop_ends_after_the_current_step_and_saves(tmp_path):
    paths = write_corpus(tmp_path / "data")
    run = new_run(tmp_path, paths, params=replace(TAB_RECIPE, steps=5000, batch=2, workers=1, context=16))
    run.start()
    seen = []
    while not any(isinstance(m, ProgressEvent) for m in seen):
        seen.extend(run.poll())
        assert run.running or seen, "the run ended before reporting progress"
    run.stop()
    messages, outcome = finish(run)
    assert isinstance(outcome, RunSaved), outcome
    assert outcome.stopped and outcome.steps < 5000
    assert "stopped" in outcome.message
    assert load_model(outcome.path).training.steps == outcome.steps


def test_stop_before_training_starts_saves_nothing(tmp_path, monkeypatch):
    paths = write_corpus(tmp_path / "data")
    run = new_run(tmp_path, paths)
    run.stop()
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed) and "nothing was saved" in outcome.message
    assert not (tmp_path / "models" / "m").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "empty"), (b"\x00\x01binary", "binary"), (b"\xff\xfe bad", "UTF-8"), (b"too short", "at least")],
)
def test_bad_corpus_ends_with_a_readable_message(tmp_path, content, expected):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    run = new_run(tmp_path, [bad])
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed)
    assert outcome.message.startswith("Training data:") and expected in outcome.message
    assert not (tmp_path / "models").exists()


def test_missing_corpus_file(tmp_path):
    run = new_run(tmp_path, [tmp_path / "gone.txt"])
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed) and "no such file" in outcome.message


def test_a_crashed_worker_is_reported(tmp_path, monkeypatch):
    def crash(self):
        raise WorkerCrashed("training worker 1 died (killed by signal 9)")

    monkeypatch.setattr(Trainer, "run", crash)
    run = new_run(tmp_path, write_corpus(tmp_path / "data"))
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed)
    assert "worker 1 died" in outcome.message


def test_full_disk_on_overwrite_keeps_the_previous_model(tmp_path, monkeypatch):
    paths = write_corpus(tmp_path / "data")
    first = new_run(tmp_path, paths)
    first.start()
    _, saved = finish(first)
    before = load_model(saved.path)

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_atomic, "write_file_synced", full_disk)
    run = TrainingRun(paths, FAST, ContinueModel(before))
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed)
    assert outcome.message.startswith("Saving failed") and "disk is full" in outcome.message
    assert outcome.bundle is not None  # the trained weights are still in memory
    monkeypatch.undo()
    after = load_model(saved.path)
    np.testing.assert_array_equal(after.params, before.params)


def test_creating_over_an_existing_directory_is_refused(tmp_path):
    paths = write_corpus(tmp_path / "data")
    (tmp_path / "models" / "m").mkdir(parents=True)
    (tmp_path / "models" / "m" / "notes.txt").write_text("mine")
    run = new_run(tmp_path, paths)
    run.start()
    _, outcome = finish(run)
    assert isinstance(outcome, RunFailed) and "already exists" in outcome.message
    assert (tmp_path / "models" / "m" / "notes.txt").read_text() == "mine"


def test_workers_zero_means_all_cores_but_never_more_than_the_batch(monkeypatch):
    monkeypatch.setattr(resources, "usable_cores", lambda: 8)
    assert replace(TAB_RECIPE, workers=0, batch=12).workers_to_use()[0] == 8
    assert replace(TAB_RECIPE, workers=0, batch=3).workers_to_use()[0] == 3
    assert replace(TAB_RECIPE, workers=2, batch=12).workers_to_use()[0] == 2


def test_short_runs_evaluate_and_warm_up_in_proportion():
    settings = replace(TAB_RECIPE, steps=50).train_settings(1, 50)
    assert settings.eval_every == 5 and settings.warmup == 5
    long = replace(TAB_RECIPE, epochs=2, steps=None).train_settings(1, 100_000)
    assert long.epochs == 2 and long.steps is None and long.warmup == 100
