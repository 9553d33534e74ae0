"""Issue 15, crashes and wrong exit codes: every bad input is one line and the right status."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from hostile_helpers import TINY, run_cli, tiny_bundle, write_corpus

from hyper_prime_spiral.settings import settings_path
from hyper_prime_spiral.storage import ModelFileError, load_model, save_model


# --- 10. a bad settings file never stops the app -------------------------------------------------
@pytest.mark.parametrize(
    ("training", "phrase"),
    [
        ({"preset": [1]}, "preset=[1] is invalid"),
        ({"tokenizer": {"a": 1}}, "tokenizer={'a': 1} is invalid"),
        ("oops", "not an object"),
        ("deep", "nested too deeply"),
    ],
)
def test_the_app_starts_with_defaults_and_a_message_on_bad_training_settings(training, phrase):
    from hyper_prime_spiral.training.presets import DEFAULT_PRESET
    from hyper_prime_spiral.ui.app import App

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    if training == "deep":
        path.write_text('{"training": ' + "[" * 50_000 + "]" * 50_000 + "}")
    else:
        path.write_text(json.dumps({"training": training, "llm": "oops"}))
    app = App(size=(1600, 900))
    try:
        app.switch_tab("Training")
        tab = app.tab("Training")
        assert tab.form.preset_name == DEFAULT_PRESET
        assert phrase in (tab._settings_problem or "")
        assert app.status_error and phrase in app.status
    finally:
        app.close()


# --- 11. impossible sizes: exit 2 and the estimate -----------------------------------------------
@pytest.mark.parametrize(
    "extra",
    [
        ["--dim", "1000000"],
        ["--layers", "100000", "--dim", "1024"],
        ["--batch", "1000000000"],
        ["--context", "100000"],
    ],
)
def test_impossible_sizes_exit_2_with_the_memory_estimate(tmp_path, capsys, extra):
    corpus = write_corpus(tmp_path, "abc def ghi. " * 20_000)
    code, _, err = run_cli(
        ["train", corpus, "--out", tmp_path / "m", "--steps", "1", "--workers", "1", *extra], capsys
    )
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert "this run needs" in err and "iB of memory" in err and "this machine has" in err
    assert not (tmp_path / "m").exists()


# --- 12. workers are capped at the batch rows and the usable cores -------------------------------
def test_a_thousand_workers_are_capped_at_the_batch_and_the_cores_with_a_note(tmp_path, capsys):
    from hyper_prime_spiral.training.resources import usable_cores

    corpus = write_corpus(tmp_path)
    code, _, err = run_cli(
        ["train", corpus, "--out", tmp_path / "m", "--steps", "2", "--workers", "1000", *TINY], capsys
    )
    assert code == 0, err
    expected = min(4, usable_cores())
    assert f"training on {expected} worker(s), not 1000" in err
    assert load_model(tmp_path / "m").training.settings["workers"] == expected


def test_usable_cores_follow_the_affinity_mask(monkeypatch):
    from hyper_prime_spiral.training import resources

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert resources.usable_cores() == 1
    assert resources.cap_workers(8, 12)[0] == 1


# --- 13. every config field's type is checked; an empty name is refused --------------------------
@pytest.mark.parametrize(
    ("field", "value"), [("tied", "no"), ("seed", "../../etc"), ("seed", -1), ("seed", 1.5), ("tied", 1)]
)
def test_a_config_field_of_the_wrong_type_is_refused(tmp_path, field, value):
    model = save_model(tmp_path / "m", tiny_bundle())
    doc = json.loads((model / "config.json").read_text())
    doc["model"][field] = value
    (model / "config.json").write_text(json.dumps(doc))
    with pytest.raises(ModelFileError, match=f"invalid model config: {field} must be"):
        load_model(model)


def test_an_empty_name_is_refused(tmp_path, capsys):
    corpus = write_corpus(tmp_path)
    code, _, err = run_cli(["train", corpus, "--name", "", "--steps", "1", *TINY], capsys)
    assert code == 2 and err.count("\n") == 1 and "the name is empty" in err


# --- 15. SIGTERM stops like Ctrl+C and saves once -------------------------------------------------
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.timeout(120)
def test_sigterm_stops_after_the_step_and_saves(tmp_path):
    corpus = write_corpus(tmp_path)
    cmd = [sys.executable, "-m", "hyper_prime_spiral", "train", corpus, "--out", tmp_path / "m", "--json"]
    cmd += ["--workers", "1", "--steps", "100000", "--eval-every", "1", *TINY]
    proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "step" in json.loads(proc.stdout.readline())
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    done = json.loads(out.splitlines()[-1])
    assert done["event"] == "done" and done["stopped"] is True
    assert "SIGTERM: stopping after this step" in err
    assert load_model(tmp_path / "m").training.stopped_early is True


def test_a_crashed_run_saves_the_kept_best_weights_and_says_where(tmp_path, capsys, monkeypatch):
    """In process: the engine fails at step 5 after evaluations at 2 and 4 (pool crashes are
    covered by tests/parallel/test_parallel_cli_interrupt.py)."""
    from hyper_prime_spiral.training import in_process_engine
    from hyper_prime_spiral.training.gradient_engine import EngineError

    real_step = in_process_engine.InProcessEngine.step
    calls = {"n": 0}

    def failing_step(self, x, y, lr):
        calls["n"] += 1
        if calls["n"] == 5:
            raise EngineError("training worker 1 died (exit code -9, killed by signal 9)")
        return real_step(self, x, y, lr)

    monkeypatch.setattr(in_process_engine.InProcessEngine, "step", failing_step)
    corpus = write_corpus(tmp_path)
    code, _, err = run_cli(
        [
            "train",
            corpus,
            "--out",
            tmp_path / "m",
            "--steps",
            "50",
            "--eval-every",
            "2",
            "--workers",
            "1",
            *TINY,
        ],
        capsys,
    )
    last = err.strip().splitlines()[-1]  # after the progress lines of steps 2 and 4
    assert code == 1 and "Traceback" not in err
    assert "worker 1 died" in last and "saved the weights of step" in last and str(tmp_path / "m") in last
    assert load_model(tmp_path / "m").training.kept_step in (2, 4)
