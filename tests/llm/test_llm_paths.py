"""Path completion and folder listing for the LLM tab's path field and folder picker."""

from __future__ import annotations

import os
from pathlib import Path

from hyper_prime_spiral.ui.folder_paths import complete_path, expand_path, list_subfolders, looks_like_model


def make_tree(root: Path) -> None:
    for name in ("models/alpha", "models/alphabet", "models/beta", "models/.hidden", "other"):
        (root / name).mkdir(parents=True)
    (root / "models" / "alpha_file.txt").write_text("x")
    (root / "models" / "beta" / "config.json").write_text("{}")


def test_unique_folder_completes_with_separator(tmp_path: Path):
    make_tree(tmp_path)
    assert complete_path(f"{tmp_path}/mo") == f"{tmp_path}/models/"
    assert complete_path(f"{tmp_path}/models/b") == f"{tmp_path}/models/beta/"


def test_ambiguous_completes_common_prefix_then_gives_up(tmp_path: Path):
    make_tree(tmp_path)
    assert complete_path(f"{tmp_path}/models/a") == f"{tmp_path}/models/alpha"
    assert complete_path(f"{tmp_path}/models/alpha") is None  # alpha and alphabet: nothing to add


def test_no_match_missing_folder_or_empty_text_gives_none(tmp_path: Path):
    make_tree(tmp_path)
    assert complete_path(f"{tmp_path}/models/zzz") is None
    assert complete_path(f"{tmp_path}/nowhere/abc") is None
    assert complete_path("   ") is None


def test_files_and_hidden_folders_are_not_offered(tmp_path: Path):
    make_tree(tmp_path)
    assert complete_path(f"{tmp_path}/models/alpha_") is None
    assert complete_path(f"{tmp_path}/models/.h") == f"{tmp_path}/models/.hidden/"


def test_tilde_is_kept_in_the_text_and_expanded_for_lookup(tmp_path: Path, monkeypatch):
    make_tree(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert complete_path("~/oth") == "~/other/"
    assert expand_path(" ~/models/beta ") == tmp_path / "models" / "beta"


def test_relative_paths_complete_from_the_working_folder(tmp_path: Path, monkeypatch):
    make_tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert complete_path("oth") == "other" + os.sep


def test_subfolders_are_sorted_without_hidden_and_models_are_spotted(tmp_path: Path):
    make_tree(tmp_path)
    names = [p.name for p in list_subfolders(tmp_path / "models")]
    assert names == ["alpha", "alphabet", "beta"]
    assert looks_like_model(tmp_path / "models" / "beta")
    assert not looks_like_model(tmp_path / "models" / "alpha")
