"""Model loading off the UI thread: the progress record, its error line, and its own lane."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from llm_helpers import pump

from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.model_dir import load_model, save_model
from hyper_prime_spiral.ui.tabs import llm as llm_tab
from hyper_prime_spiral.ui.tabs.base import BACKGROUND_LANES, MODELS_LANE
from hyper_prime_spiral.ui.tabs.model_load import ModelLoad, load_error_message


def test_model_load_reports_the_share_of_tensor_bytes_read(tmp_path: Path, tiny_bundle):
    path = save_model(tmp_path / "m", tiny_bundle)
    recorded = json.loads((path / "config.json").read_text())["files"]
    calls: list[tuple[int, int]] = []
    load_model(path, progress=lambda done, total: calls.append((done, total)))
    total = sum(entry["bytes"] for entry in recorded.values())
    assert len(calls) == len(recorded)  # one call per tensor file (optimizer included)
    assert [t for _, t in calls] == [total] * len(calls) and calls[-1][0] == total
    assert all(a[0] < b[0] for a, b in zip(calls, calls[1:], strict=False))
    load = ModelLoad(path)
    assert load.fraction == 0.0
    load_model(path, progress=load.progress)
    assert load.fraction == 1.0 and load.elapsed > 0


def test_load_error_message_names_the_folder_unless_the_error_already_does(tmp_path: Path):
    assert load_error_message(tmp_path, ModelFileError(f"{tmp_path}: config.json is missing")) == (
        f"{tmp_path}: config.json is missing"
    )
    assert (
        load_error_message(tmp_path, OSError("disk on fire"))
        == f"cannot load {tmp_path}: OSError: disk on fire"
    )


def test_an_unknown_lane_is_refused(make_app):
    app = make_app()
    with pytest.raises(ValueError, match="lane"):
        app.run_in_background(print, lane="nowhere")


def test_a_stuck_model_load_never_delays_other_background_work(make_app, saved_model, monkeypatch):
    """Token counts and analyses share the "work" lane; model files have their own threads."""
    app = make_app()
    tab = app.tab("LLM")
    pump(app, lambda: not tab.loading and tab.listing is None)
    release = threading.Event()
    entered = threading.Semaphore(0)

    def stuck_load(path, progress):
        progress(1, 4)
        entered.release()
        assert release.wait(20)
        return load_model(path, progress=progress)

    monkeypatch.setattr(llm_tab, "load_model", stuck_load)
    try:
        tab.load_path(saved_model)
        # as many more stuck model-file jobs as the "work" lane has threads: none may block it
        for _ in range(BACKGROUND_LANES["work"]):
            app.run_in_background(stuck_load, saved_model, lambda done, total: None, lane=MODELS_LANE)
        for _ in range(1 + BACKGROUND_LANES["work"]):
            assert entered.acquire(timeout=10)
        assert tab.loading and tab.loader.fraction == 0.25  # the progress bar's share
        counted = []
        app.run_in_background(len, "token count", on_done=counted.append)
        pump(app, lambda: counted == [11], timeout=10)
        assert tab.loading
    finally:
        release.set()
    pump(app, lambda: not tab.loading)
    assert app.model is not None and app.model.path == saved_model and not app.status_error
