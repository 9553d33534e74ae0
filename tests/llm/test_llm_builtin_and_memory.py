"""The built-in model (found last, labelled, read-only) and the app remembering the last model loaded.

A stand-in built-in folder holds the tiny test model, so these tests do not depend on the
package's real built-in model (tests/test_builtin_model.py checks that one)."""

from __future__ import annotations

import io
import json
import sys

import pytest
from llm_helpers import pump

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.storage import search
from hyper_prime_spiral.storage.model_dir import load_model, save_model


@pytest.fixture
def builtin(tmp_path, monkeypatch, tiny_bundle, search_root):
    folder = tmp_path / "package" / "builtin"
    path = save_model(folder / "prime-chat", tiny_bundle)
    monkeypatch.setattr(search, "BUILTIN_FOLDER", folder)
    monkeypatch.setattr(search, "builtin_models_folder", lambda: folder)
    return path


def _files(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def _with_date(path, updated: str):
    config = json.loads((path / "config.json").read_text())
    config["training"]["updated"] = updated
    (path / "config.json").write_text(json.dumps(config))
    return path


def test_the_builtin_model_is_last_in_the_search_and_loads_only_when_nothing_else_does(
    builtin, search_root, tiny_bundle
):
    folders = search.search_folders()
    assert folders[-1].path == builtin.parent and folders[-1].origin == "built-in"
    found = search.load_newest_model()
    assert found.bundle is not None and found.bundle.path == builtin
    assert "Loaded model 'prime-chat' built into the app" in found.message
    old = _with_date(save_model(search_root / "user-data" / "models" / "mine", tiny_bundle), "2001-01-01")
    _with_date(builtin, "2099-01-01")  # newer than any user model, still last
    assert search.load_newest_model().bundle.path == old
    infos = search.find_models()
    assert [(i.name, i.builtin) for i in infos] == [("mine", False), ("prime-chat", True)]


def test_models_lists_it_as_built_in_and_rm_refuses_it(builtin, capsys):
    assert main(["models", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    (entry,) = document["models"]
    assert entry["builtin"] is True and entry["origin"] == "built-in" and entry["path"] == str(builtin)
    assert document["save_folder"] == str(search.user_models_folder())
    assert main(["models"]) == 0
    table = capsys.readouterr().out
    assert (
        "prime-chat (built-in)" in table
        and f"New models are saved in: {search.user_models_folder()}" in table
    )
    before = _files(builtin)
    assert main(["models", "rm", "--yes", str(builtin)]) == 2
    assert "read-only" in capsys.readouterr().err and _files(builtin) == before


def test_continuing_the_builtin_model_writes_a_copy_in_the_user_data_folder(builtin, search_root, capsys):
    corpus = search_root / "corpus.txt"
    corpus.write_text("User: hello\nAI: hello there, how are you?<eot>\n\n" * 40, encoding="utf-8")
    before = _files(builtin)
    argv = ["train", str(corpus), "--resume", str(builtin), "--steps", "2", "--workers", "1", "--json"]
    assert main(argv) == 0, capsys.readouterr().err
    done = json.loads(capsys.readouterr().out.splitlines()[-1])
    copy = search.user_models_folder() / "prime-chat"
    assert done["path"] == str(copy) and load_model(copy).optimizer is not None
    assert _files(builtin) == before  # the package's files are never touched
    assert main(argv) == 0  # a second time: a second copy, the first one kept
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["path"] == str(copy) + "-2"


def test_the_training_tab_overwrite_of_the_builtin_model_saves_a_copy(builtin, make_app):
    from hyper_prime_spiral.training.run_controller import ContinueModel

    app = make_app()
    pump(app, lambda: app.model is not None and app.tab("LLM").startup is None)
    tab = app.tab("Training")
    app.switch_tab("Training")
    launched = []
    tab._launch = lambda target, params, files, headline: launched.append(target)
    tab._confirm_overwrite(tab.form.parameters(), tab.data.selected_files())
    assert "read-only" in app.dialog.message and str(search.user_models_folder()) in app.dialog.message
    next(b for b in app.dialog.buttons if b.label == "Overwrite").on_click()
    (target,) = launched
    assert isinstance(target, ContinueModel) and target.path == search.user_models_folder() / "prime-chat"
    assert target.bundle.path == builtin


def test_the_app_loads_the_model_the_user_loaded_last(make_app, search_root, tiny_bundle):
    user = search_root / "user-data" / "models"
    older = _with_date(save_model(user / "older", tiny_bundle), "2001-01-01")
    newer = save_model(user / "newer", tiny_bundle)
    app = make_app()
    tab = app.tab("LLM")
    pump(app, lambda: app.model is not None and tab.startup is None)
    assert app.model.path == newer  # nothing remembered yet: the newest
    tab.load_path(older)
    pump(app, lambda: tab.loader is None)
    assert app.model.path == older
    app.close()
    again = make_app()
    pump(again, lambda: again.model is not None and again.tab("LLM").startup is None)
    assert again.model.path == older  # remembered over the newer one
    again.close()
    for f in older.iterdir():
        f.unlink()
    older.rmdir()
    third = make_app()
    pump(third, lambda: third.model is not None and third.tab("LLM").startup is None)
    assert third.model.path == newer  # the remembered one is gone: the search order decides


def test_chat_answers_with_the_builtin_model_when_there_is_no_other(builtin, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hello\n"))
    assert main(["chat", "--json", "--max-tokens", "10", "--seed", "1"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["user"] == "hello" and record["tokens"] >= 1
