"""The built-in model shipped as package data: small, without optimizer state, valid, found last,
and it answers through the same chat path as the app."""

from __future__ import annotations

import io
import json
import sys

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.storage import load_model
from hyper_prime_spiral.storage.layout import OPTIMIZER_FILE
from hyper_prime_spiral.storage.search import load_newest_model, search_folders

MAX_BYTES = 16 * 1024 * 1024


def _model_dir(folder):
    (model,) = [p for p in folder.iterdir() if p.is_dir()]
    return model


def test_the_builtin_model_is_small_valid_and_has_no_optimizer_state(with_builtin_model):
    model = _model_dir(with_builtin_model)
    assert sum(f.stat().st_size for f in model.iterdir()) <= MAX_BYTES
    assert not (model / OPTIMIZER_FILE).exists()
    bundle = load_model(model)
    assert bundle.optimizer is None and bundle.training.built_by.startswith("tools/build_builtin_model.py")
    # it copies numbers with the number embeddings: places, previous digits, orders, powers joined
    assert bundle.config.number_places > 0 and bundle.config.number_orders > 0 and bundle.config.power_tokens


def test_a_fresh_start_with_no_other_model_loads_it(with_builtin_model, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_MODEL", raising=False)
    assert search_folders()[-1].origin == "built-in"
    found = load_newest_model()
    assert found.bundle is not None and "built into the app" in found.message


def test_it_answers_through_chat(with_builtin_model, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_MODEL", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO("why is the sky blue\n"))
    assert main(["chat", "--json", "--seed", "1", "--max-tokens", "60"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["reply"] and record["tokens"] > 0
