"""Training length as a time budget ("Minutes"): the schedule follows the share of the budget used,
the run ends by itself with the learning rate at its floor; `train --preset` sizes come from the
one table of presets; the recipe's defaults are what `train` uses."""

from __future__ import annotations

import json

import numpy as np
import pytest

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.storage import load_model
from hyper_prime_spiral.training.presets import CHAT_RECIPE, PRESETS
from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

TEXT = "the quick brown fox jumps over the lazy dog. " * 200


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        ({"steps": 5, "minutes": 1.0}, "exactly one of steps, epochs or minutes"),
        ({}, "exactly one of steps, epochs or minutes"),
        ({"minutes": 0.0}, "minutes must be positive"),
        ({"minutes": float("nan")}, "minutes must be positive"),
    ],
)
def test_exactly_one_length_and_a_positive_budget(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        TrainSettings(**kwargs)


def test_a_timed_run_ends_by_itself_with_the_learning_rate_at_its_floor():
    tokenizer = build_tokenizer("char", TEXT)
    config = PRESETS["tiny"].config(tokenizer.vocab_size, context_length=16)
    settings = TrainSettings(minutes=0.02, batch_size=4, lr=1e-2, min_lr=1e-3, warmup=5, eval_batches=2)
    events = []
    result = Trainer(config, tokenizer, tokenizer.encode(TEXT), settings, callback=events.append).run()
    last = events[-1]
    assert last.done and last.step == result.steps and last.total_steps == result.steps
    assert not result.stopped
    assert result.steps > settings.warmup  # the budget bought real steps
    assert last.lr < settings.min_lr + 0.25 * (settings.lr - settings.min_lr)  # near the end of the cosine
    assert max(e.lr for e in events) > 0.9 * settings.lr  # ... after reaching the peak
    assert last.val_loss is not None and np.isfinite(last.val_loss)
    assert result.bundle.training.budget_minutes == 0.02


def test_train_preset_and_minutes_from_the_command_line(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "timed"
    argv = ["train", str(corpus), "--out", str(out), "--preset", "tiny", "--minutes", "0.02"]
    argv += ["--context", "16", "--batch", "4", "--workers", "1", "--tokenizer", "char", "--json"]
    assert main(argv) == 0, capsys.readouterr().err
    done = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert done["event"] == "done" and not done["stopped"]
    bundle = load_model(out)
    tiny = PRESETS["tiny"]
    assert (bundle.config.layers, bundle.config.dim, bundle.config.heads) == (
        tiny.layers,
        tiny.dim,
        tiny.heads,
    )
    settings = bundle.training.settings
    assert settings["minutes"] == 0.02 and settings["steps"] is None
    assert settings["lr"] == CHAT_RECIPE.lr and settings["min_lr"] == pytest.approx(CHAT_RECIPE.min_lr)


def test_train_defaults_are_the_recipe(tmp_path, capsys):
    from hyper_prime_spiral.cli import build_parser

    args = build_parser().parse_args(["train", "x.txt"])
    assert (args.preset, args.tokenizer, args.max_vocab) == (
        CHAT_RECIPE.preset,
        CHAT_RECIPE.tokenizer,
        CHAT_RECIPE.vocab,
    )
    assert (args.context, args.batch, args.lr, args.warmup) == (
        CHAT_RECIPE.context,
        CHAT_RECIPE.batch,
        CHAT_RECIPE.lr,
        CHAT_RECIPE.warmup,
    )
    assert args.steps is None and args.epochs is None and args.minutes is None  # -> CHAT_RECIPE.minutes
