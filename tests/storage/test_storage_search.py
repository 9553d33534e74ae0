"""Search order, newest-wins start-up loading, default save folder, model names, `models` CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from storage_helpers import flip_byte, make_bundle, read_doc, write_doc

from hyper_prime_spiral import cli
from hyper_prime_spiral.storage import ModelFileError, save_model
from hyper_prime_spiral.storage import search as search_module
from hyper_prime_spiral.storage.search import (
    ENV_VAR,
    default_save_folder,
    find_models,
    is_valid_model_name,
    load_newest_model,
    model_exists,
    model_name_problem,
    model_path_for_name,
    search_folders,
)


def _save(folder: Path, name: str, seed: int, updated: str) -> Path:
    path = save_model(folder / name, make_bundle(seed=seed))
    doc = read_doc(path)
    doc["training"]["updated"] = updated
    write_doc(path, doc)
    return path


def test_search_order_is_explicit_env_cwd_then_user_data(places, monkeypatch):
    explicit, env = places["tmp"] / "explicit", places["tmp"] / "env"
    monkeypatch.setenv(ENV_VAR, str(env))
    folders = search_folders(explicit)
    assert [f.path for f in folders] == [explicit, env, places["cwd_models"], places["user_models"]]
    assert [f.origin for f in folders] == ["--model", f"${ENV_VAR}", "./models", "user data folder"]
    assert [f.pinned for f in folders] == [True, True, False, False]


def test_search_order_drops_duplicates_and_empty_env(places, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(places["cwd_models"]))
    folders = search_folders()
    assert [f.path for f in folders] == [places["cwd_models"], places["user_models"]]
    assert folders[0].origin == f"${ENV_VAR}"
    monkeypatch.setenv(ENV_VAR, "  ")
    assert [f.origin for f in search_folders()] == ["./models", "user data folder"]


def test_newest_model_wins_across_folders(places):
    _save(places["cwd_models"], "older", 1, "2025-01-01T00:00:00+00:00")
    newest = _save(places["user_models"], "newest", 2, "2026-06-01T00:00:00+00:00")
    _save(places["user_models"], "oldest", 3, "2024-01-01T00:00:00+00:00")
    bundle, message = load_newest_model()
    assert bundle is not None and bundle.path == newest
    assert bundle.params.tobytes() == make_bundle(seed=2).params.tobytes()
    assert "'newest'" in message and str(places["user_models"]) in message and "user data folder" in message


def test_invalid_models_are_skipped_with_a_message(places):
    good = _save(places["cwd_models"], "good", 1, "2025-01-01T00:00:00+00:00")
    damaged = _save(places["cwd_models"], "damaged", 2, "2026-01-01T00:00:00+00:00")
    flip_byte(damaged)  # passes the quick listing check, fails the full load
    (places["cwd_models"] / "empty").mkdir()  # not a model at all
    bundle, message = load_newest_model()
    assert bundle is not None and bundle.path == good
    assert "skipped invalid: empty, damaged (empty: " in message and "config.json: missing" in message
    assert "\n" not in message


def test_no_model_anywhere_returns_none_with_a_message(places):
    bundle, message = load_newest_model()
    assert bundle is None
    assert message.startswith("No model loaded") and str(places["user_models"]) in message


def test_only_broken_models_returns_none_and_never_raises(places):
    broken = _save(places["cwd_models"], "broken", 1, "2026-01-01T00:00:00+00:00")
    (broken / "block_000.safetensors").unlink()
    bundle, message = load_newest_model()
    assert bundle is None and "broken" in message and "missing" in message


def test_explicit_model_wins_over_a_newer_one(places):
    chosen = _save(places["tmp"], "chosen", 1, "2020-01-01T00:00:00+00:00")
    _save(places["cwd_models"], "newer", 2, "2026-01-01T00:00:00+00:00")
    bundle, message = load_newest_model(chosen)
    assert bundle.path == chosen and "--model" in message


def test_env_var_model_wins_over_a_newer_one(places, monkeypatch):
    chosen = _save(places["tmp"], "chosen", 1, "2020-01-01T00:00:00+00:00")
    _save(places["user_models"], "newer", 2, "2026-01-01T00:00:00+00:00")
    monkeypatch.setenv(ENV_VAR, str(chosen))
    bundle, message = load_newest_model()
    assert bundle.path == chosen and ENV_VAR in message


def test_broken_explicit_model_falls_back_to_the_newest_valid_one(places):
    broken = _save(places["tmp"], "broken", 1, "2026-01-01T00:00:00+00:00")
    (broken / "config.json").write_text("nope")
    fallback = _save(places["cwd_models"], "fallback", 2, "2020-01-01T00:00:00+00:00")
    bundle, message = load_newest_model(broken)
    assert bundle.path == fallback and "broken" in message and "not valid JSON" in message


def test_explicit_path_may_be_a_folder_of_models(places):
    folder = places["tmp"] / "collection"
    _save(folder, "a", 1, "2020-01-01T00:00:00+00:00")
    b = _save(folder, "b", 2, "2021-01-01T00:00:00+00:00")
    bundle, _ = load_newest_model(folder)
    assert bundle.path == b
    assert [m.name for m in find_models(folder)] == ["a", "b"]


def test_explicit_directory_without_models_is_reported_as_a_broken_model(places):
    empty = places["tmp"] / "empty"
    empty.mkdir()
    (info,) = find_models(empty)
    assert not info.valid and "config.json: missing" in info.error


def test_missing_explicit_path_is_reported(places):
    models = find_models(places["tmp"] / "absent")
    assert len(models) == 1 and not models[0].valid and "no such file" in models[0].error


def test_hidden_directories_are_not_models(places):
    _save(places["cwd_models"], "real", 1, "2020-01-01T00:00:00+00:00")
    save_model(places["cwd_models"] / ".hidden", make_bundle(seed=5))
    assert [m.name for m in find_models()] == ["real"]


def test_listing_describes_each_model(places):
    path = _save(places["cwd_models"], "described", 1, "2026-02-03T04:05:06+00:00")
    (info,) = find_models()
    bundle = make_bundle(seed=1)
    assert info.valid and info.path == path and info.origin == "./models"
    assert info.n_params == bundle.n_params
    assert info.tokenizer_kind == "char" and info.vocab_size == bundle.config.vocab_size
    assert info.steps == 18 and info.val_loss == 2.75 and info.train_loss == 2.5
    assert info.updated == "2026-02-03T04:05:06+00:00"


def test_a_listed_models_odd_record_values_are_unknown_not_errors(places):
    path = _save(places["cwd_models"], "odd", 1, "2026-02-03T04:05:06+00:00")
    doc = read_doc(path)
    doc["training"].update(steps=True, val_loss=float("nan"), train_loss="low", updated=5)
    write_doc(path, doc)
    (info,) = find_models()
    assert info.valid and info.val_loss is None and info.train_loss is None and info.updated is None
    assert info.steps == 18  # the optimizer's step count stands in


def test_unreadable_folder_is_listed_as_invalid(places, monkeypatch):
    places["cwd_models"].mkdir()
    real_listdir = os.listdir

    def listdir(path="."):
        if Path(path) == places["cwd_models"]:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    (info,) = find_models()
    assert not info.valid and "cannot read this folder: Permission denied" in info.error


def test_default_save_folder_is_the_user_data_folder_and_cwd_models_is_never_created(places):
    assert default_save_folder() == places["user_models"]
    assert places["user_models"].is_dir()
    assert not places["cwd_models"].exists()
    places["cwd_models"].mkdir()  # an existing ./models is searched, but new models still go to user data
    assert default_save_folder() == places["user_models"]
    assert model_path_for_name("x") == places["user_models"] / "x"


def test_default_save_folder_uses_env_folder_but_not_env_model(places, monkeypatch):
    folder = places["tmp"] / "env-folder"
    folder.mkdir()
    monkeypatch.setenv(ENV_VAR, str(folder))
    assert default_save_folder() == folder
    model = save_model(folder / "m", make_bundle())
    monkeypatch.setenv(ENV_VAR, str(model))
    assert default_save_folder() == places["user_models"]
    assert not places["cwd_models"].exists()


def test_no_writable_folder_is_a_clear_error(places, monkeypatch):
    monkeypatch.setattr(search_module, "_writable_folder", lambda path: False)
    with pytest.raises(ModelFileError, match="no writable folder to save models in"):
        default_save_folder()


@pytest.mark.parametrize("name", ["my model", "shakespeare-2", "v1.5_small", "Modèle", "a" * 64, "x(1)"])
def test_valid_model_names(name):
    assert is_valid_model_name(name) and model_name_problem(name) is None


@pytest.mark.parametrize(
    "name, problem",
    [
        ("", "empty"),
        (".", "not a folder name"),
        ("..", "not a folder name"),
        (".secret", "start with '.'"),
        ("a/b", "not allowed"),
        ("a\\b", "not allowed"),
        ("tab\there", "not allowed"),
        ("what?", "not allowed"),
        (" padded", "space"),
        ("a" * 65, "longer than 64"),
        ("con", "reserved"),
        ("NUL.txt", "reserved"),
        ("trailing.", "end with '.'"),
    ],
)
def test_invalid_model_names(name, problem):
    assert not is_valid_model_name(name)
    assert problem in model_name_problem(name)


def test_model_exists_and_path_for_name(places):
    assert not model_exists("alpha")
    path = model_path_for_name("alpha")
    assert path == places["user_models"] / "alpha"
    save_model(path, make_bundle())
    assert model_exists("alpha") and not model_exists("beta") and not model_exists("../alpha")
    with pytest.raises(ModelFileError, match="invalid model name"):
        model_path_for_name("a/b")


def test_models_command_lists_models_and_folders(places, capsys):
    _save(places["cwd_models"], "listed", 1, "2026-02-03T04:05:06+00:00")
    broken = _save(places["cwd_models"], "broken", 2, "2026-02-03T04:05:06+00:00")
    (broken / "config.json").unlink()
    assert cli.main(["models"]) == 0
    out = capsys.readouterr().out
    assert str(places["cwd_models"]) in out and str(places["user_models"]) in out
    listed_line = next(line for line in out.splitlines() if line.startswith("listed"))
    assert "char" in listed_line and "2.7500" in listed_line and "18" in listed_line
    assert "broken:" in out and "config.json: missing" in out


def test_models_command_json(places, capsys):
    path = _save(places["cwd_models"], "listed", 1, "2026-02-03T04:05:06+00:00")
    assert cli.main(["models", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [f["origin"] for f in doc["folders"]] == ["./models", "user data folder"]
    (model,) = doc["models"]
    assert model["name"] == "listed" and model["path"] == str(path)
    assert model["parameters"] == make_bundle().n_params and model["tokenizer"] == "char"
    assert model["steps"] == 18 and model["val_loss"] == 2.75 and model["updated"].startswith("2026-02-03")
    assert doc["invalid"] == []


def test_models_command_accepts_model_before_or_after(places, capsys):
    chosen = _save(places["tmp"], "chosen", 1, "2026-02-03T04:05:06+00:00")
    for argv in (["--model", str(chosen), "models", "--json"], ["models", "--json", "--model", str(chosen)]):
        assert cli.main(argv) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["folders"][0]["origin"] == "--model" and doc["models"][0]["name"] == "chosen"
