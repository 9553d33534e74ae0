"""Issue 15, data loss: a failed or refused run never costs the user a model or a file."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hostile_helpers import (
    TINY,
    run_cli,
    run_cli_process,
    tiny_bundle,
    train_tiny,
    tree_digest,
    write_corpus,
)

from hyper_prime_spiral.storage import ModelFileError, load_model, save_model

DIVERGE = ["--lr", "1e308", "--warmup", "0"]


# --- 1. non-finite weights are never saved nor loaded -------------------------------------------
@pytest.mark.parametrize("steps", ["1", "3"])
def test_a_diverging_resume_fails_and_leaves_the_model_byte_identical(tmp_path, capsys, steps):
    corpus = write_corpus(tmp_path)
    model = train_tiny(tmp_path / "good", corpus, capsys)
    before = tree_digest(model)
    code, out, err = run_cli(
        ["train", corpus, "--resume", model, "--steps", steps, "--workers", "1", *DIVERGE], capsys
    )
    assert code == 1
    assert err.strip().count("\n") == 0 and "try a lower learning rate" in err
    assert tree_digest(model) == before
    load_model(model)


def test_a_diverging_new_model_is_not_saved(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    code, _, err = run_cli(
        ["train", corpus, "--out", tmp_path / "new", "--steps", "1", "--workers", "1", *TINY, *DIVERGE],
        capsys,
    )
    assert code == 1 and "nothing was saved" in err
    assert not (tmp_path / "new").exists()


def test_saving_non_finite_weights_is_refused_naming_the_tensor(tmp_path):
    bundle = tiny_bundle()
    bundle.params[7] = np.nan
    with pytest.raises(ModelFileError, match="embed.token holds 1 non-finite"):
        save_model(tmp_path / "m", bundle)
    assert not (tmp_path / "m").exists()
    bundle = tiny_bundle()
    bundle.optimizer.v[-1] = np.inf
    with pytest.raises(ModelFileError, match="optimizer moment v of tensor"):
        save_model(tmp_path / "m", bundle)


# --- 14. divergence: one line on stderr ----------------------------------------------------------
def test_divergence_prints_one_line_and_no_numpy_warnings_even_from_workers(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    model = train_tiny(tmp_path / "good", corpus, capsys)
    result = run_cli_process(
        ["train", corpus, "--resume", model, "--steps", "2", "--workers", "2", *DIVERGE], tmp_path
    )
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "RuntimeWarning" not in result.stderr


# --- 2. --overwrite replaces only a recognisable model ------------------------------------------
def test_overwrite_refuses_a_folder_whose_config_json_is_not_a_model(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "src" / "main.py").write_text("print('mine')\n")
    (project / "README").write_text("my app\n")
    (project / "config.json").write_text('{"name": "my app"}')
    before = tree_digest(project)
    code, _, err = run_cli(["train", corpus, "--out", project, "--overwrite", "--steps", "1", *TINY], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "not a hyper-prime-spiral model" in err and "refusing" in err
    assert tree_digest(project) == before


def test_overwrite_of_the_current_folder_is_refused_and_keeps_the_corpus(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = write_corpus(tmp_path)
    code, _, err = run_cli(["train", corpus.name, "--out", ".", "--overwrite", "--steps", "1", *TINY], capsys)
    assert code == 2 and err.count("\n") == 1
    assert corpus.read_text() and sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]


# --- 3. replacing a model never deletes the user's other files ----------------------------------
def test_resume_refuses_before_training_when_the_model_folder_holds_other_files(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    model = train_tiny(tmp_path / "m", corpus, capsys)
    (model / "notes.txt").write_text("my notes")
    before = tree_digest(model)
    code, out, err = run_cli(
        ["train", corpus, "--resume", model, "--steps", "1", "--workers", "1", "--json"], capsys
    )
    assert code == 2 and err.count("\n") == 1
    assert "notes.txt" in err and "nothing was changed" in err
    assert '"step"' not in out  # refused before the first step
    assert tree_digest(model) == before


def test_a_write_protected_model_folder_is_not_replaced(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    model = train_tiny(tmp_path / "m", corpus, capsys)
    before = tree_digest(model)
    model.chmod(0o555)
    try:
        code, out, err = run_cli(
            ["train", corpus, "--resume", model, "--steps", "1", "--workers", "1"], capsys
        )
    finally:
        model.chmod(0o755)
    assert code == 2 and "read-only" in err
    assert tree_digest(model) == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]  # no hidden copy left


# --- 4. a corpus the resumed model cannot read is refused ---------------------------------------
def test_resume_on_a_corpus_of_unknown_characters_is_refused_unless_allowed(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    model = train_tiny(tmp_path / "m", corpus, capsys, "--tokenizer", "char")  # BPE knows every byte
    before = tree_digest(model)
    foreign = write_corpus(tmp_path, "Ωμέγα ψυχή ξένη γλώσσα.\n" * 40, "greek.txt")
    code, _, err = run_cli(["train", foreign, "--resume", model, "--steps", "1", "--workers", "1"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "unknown to this model's char vocabulary" in err and "--allow-unknown" in err
    assert tree_digest(model) == before
    code, _, err = run_cli(
        ["train", foreign, "--resume", model, "--steps", "1", "--workers", "1", "--allow-unknown"], capsys
    )
    assert code == 0, err


# --- 5. the save target is checked before the first step ----------------------------------------
def _target_cases(tmp_path):
    read_only = tmp_path / "ro"
    read_only.mkdir()
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "data.csv").write_text("1,2\n")
    return {
        "read-only parent": (read_only / "m", [], "cannot save a model in this folder"),
        "under a file": (tmp_path / "a_file" / "m", [], "is a file"),
        "dangling symlink": (tmp_path / "dangling", [], "symbolic link"),
        "non-model folder": (folder, ["--overwrite"], "not a model"),
    }


@pytest.mark.parametrize("case", ["read-only parent", "under a file", "dangling symlink", "non-model folder"])
def test_a_bad_save_target_is_refused_before_the_first_step(tmp_path, capsys, monkeypatch, case):
    import tempfile

    target, extra, phrase = _target_cases(tmp_path)[case]
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, dir=None, **kwargs):  # root writes anywhere: simulate the read-only folder
        if dir is not None and str(dir).endswith("/ro"):
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkdtemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    corpus = write_corpus(tmp_path)
    code, out, err = run_cli(
        ["train", corpus, "--out", target, "--steps", "1", "--json", *TINY, *extra], capsys
    )
    assert code == 2 and err.count("\n") == 1 and phrase in err, err
    assert '"step"' not in out  # no step was run


def test_the_training_tab_run_checks_its_target_before_the_first_step(tmp_path):
    from hyper_prime_spiral.training.presets import PRESETS, TAB_RECIPE
    from hyper_prime_spiral.training.run_controller import (
        NewModel,
        RunFailed,
        TrainingRun,
    )

    corpus = write_corpus(tmp_path)
    (tmp_path / "a_file").write_text("x")
    run = TrainingRun(
        [corpus],
        replace(TAB_RECIPE, steps=2, workers=1),
        NewModel(tmp_path / "a_file" / "m", PRESETS["tiny"]),
    )
    run.start()
    assert run.join(timeout=60)
    messages = run.poll()
    assert len(messages) == 1 and isinstance(messages[0], RunFailed)
    assert "is a file" in messages[0].message
