"""Corpus discovery, token counts, size presets and the settings file."""

from __future__ import annotations

import json
import os

import pytest
from trainrun_helpers import TEXT_A, write_corpus

from hyper_prime_spiral import settings, user_folders
from hyper_prime_spiral.model.tokenizer import split_words
from hyper_prime_spiral.training import corpus_files
from hyper_prime_spiral.training.corpus import CorpusError
from hyper_prime_spiral.training.corpus_files import (
    TokenCounter,
    corpus_folders,
    discover_corpus_files,
    resolve_user_path,
)
from hyper_prime_spiral.training.presets import PRESETS, get_preset


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    folder = tmp_path / "user-data"
    monkeypatch.setattr(user_folders.platformdirs, "user_data_path", lambda *a, **k: folder)
    return folder


def test_discovery_finds_txt_files_of_every_folder_once(tmp_path, user_data):
    work = tmp_path / "work"
    write_corpus(work / "data" / "training")
    (work / "data" / "training" / "notes.md").write_text("not a corpus")
    (work / "data" / "training" / ".hidden.txt").write_text("hidden")
    write_corpus(user_data / "data")
    (user_data / "data" / "extra.txt").write_text("extra text")
    found = discover_corpus_files(work)
    names = [(f.name, f.origin) for f in found]
    assert ("a_chat.txt", "working folder") in names and ("extra.txt", "user data") in names
    assert ("a_chat.txt", "user data") in names  # same name, different file: both listed
    assert "notes.md" not in [n for n, _ in names] and ".hidden.txt" not in [n for n, _ in names]
    again = discover_corpus_files(work)
    assert [f.path for f in again] == [f.path for f in found]


def test_the_same_folder_is_searched_once(tmp_path, user_data, monkeypatch):
    monkeypatch.setattr(user_folders.platformdirs, "user_data_path", lambda *a, **k: tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "training").symlink_to(tmp_path / "data")
    folders = [os.path.realpath(f) for f, _ in corpus_folders(tmp_path)]
    assert len(folders) == len(set(folders))


def test_the_shipped_corpora_are_found_from_any_working_folder(tmp_path, user_data):
    shipped = [f for f in discover_corpus_files(tmp_path) if f.origin == "shipped"]
    assert shipped, "the repository's data/training should be listed"


def test_a_typed_path_adds_a_file_or_a_folder(tmp_path):
    paths = write_corpus(tmp_path / "c")
    assert [f.path for f in resolve_user_path(str(paths[0]))] == [paths[0]]
    assert [f.path for f in resolve_user_path(f"  {tmp_path / 'c'}  ")] == sorted(paths)


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(CorpusError, match="no such file or folder"):
        resolve_user_path(str(tmp_path / "missing.txt"))


def test_a_folder_without_txt_files_is_refused(tmp_path):
    (tmp_path / "notes.md").write_text("not a corpus")
    with pytest.raises(CorpusError, match="holds no .txt files"):
        resolve_user_path(str(tmp_path))


def test_an_empty_path_is_refused():
    with pytest.raises(CorpusError, match="type a file or folder path"):
        resolve_user_path("   ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads everything")
def test_an_unreadable_file_is_refused(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(CorpusError, match="cannot be read"):
        resolve_user_path(str(path))


def test_token_counts_match_the_tokenizers_and_are_cached(tmp_path, monkeypatch):
    paths = write_corpus(tmp_path)
    counter = TokenCounter()
    assert counter.count([paths[0]], "char") == len(TEXT_A)
    assert counter.count([paths[0]], "word") == len(split_words(TEXT_A))
    calls = []
    monkeypatch.setattr(corpus_files, "read_text_file", lambda p: calls.append(p) or "")
    assert counter.count([paths[0]], "char") == len(TEXT_A)
    assert calls == []


def test_presets_are_valid_and_unknown_names_refused():
    for preset in PRESETS.values():
        assert preset.n_params(vocab_size=80, context_length=64) > 0
        assert f"{preset.layers} layers" in preset.describe()
    assert get_preset("tiny").dim < get_preset("small").dim < get_preset("medium").dim
    with pytest.raises(ValueError, match="tiny, small, medium"):
        get_preset("huge")


def test_settings_round_trip_keeps_other_sections(tmp_path):
    path = tmp_path / "cfg" / "settings.json"
    assert settings.load_settings(path) == ({}, None)
    assert settings.save_settings({"llm": {"temperature": 0.5}}, path) is None
    assert settings.update_section("training", {"lr": 0.01}, path) is None
    data, problem = settings.load_settings(path)
    assert problem is None and data == {"llm": {"temperature": 0.5}, "training": {"lr": 0.01}}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]


@pytest.mark.parametrize(("content", "expected"), [("{not json", "corrupt"), ("[1, 2]", "JSON object")])
def test_a_corrupt_settings_file_is_ignored_with_a_message(tmp_path, content, expected):
    path = tmp_path / "settings.json"
    path.write_text(content)
    data, problem = settings.load_settings(path)
    assert data == {} and expected in problem and str(path) in problem
    assert settings.update_section("training", {"lr": 0.02}, path) is None
    assert json.loads(path.read_text()) == {"training": {"lr": 0.02}}


def test_an_unwritable_settings_folder_gives_a_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    problem = settings.save_settings({"a": 1}, blocker / "settings.json")
    assert problem is not None and "Could not save settings" in problem


def test_the_config_folder_can_be_redirected(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.CONFIG_DIR_ENV, str(tmp_path))
    assert settings.settings_path() == tmp_path / "settings.json"
