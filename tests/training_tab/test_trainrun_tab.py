"""The Training tab driven like a user: real clicks and keys through App.handle_event.

Everything is written under tmp_path: the working folder (./models, ./data/training), the
user-data folder (platformdirs) and the settings folder are all redirected.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import time

import numpy as np
import platformdirs
import pygame
import pytest
from trainrun_helpers import TEXT_A, TEXT_B, write_corpus

from hyper_prime_spiral.settings import settings_path
from hyper_prime_spiral.storage import load_model
from hyper_prime_spiral.training.corpus import load_corpus
from hyper_prime_spiral.training.corpus_files import BPE_CHARS_PER_TOKEN
from hyper_prime_spiral.training.presets import CHAT_RECIPE
from hyper_prime_spiral.ui.app import App
from hyper_prime_spiral.ui.widgets.check_list import ROW_HEIGHT

LR, BATCH, CONTEXT = f"{CHAT_RECIPE.lr:g}", str(CHAT_RECIPE.batch), str(CHAT_RECIPE.context)  # tab defaults

SLOW_STEPS = "100000"


# --- event helpers (what SDL sends) -------------------------------------------------------------
def click(app, pos):
    pos = tuple(int(v) for v in pos)
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def key(app, keycode, mod=0):
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=keycode, mod=mod, unicode="", scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=mod, unicode="", scancode=0))


def type_text(app, text):
    for ch in text:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=ch))


def fill(app, field, text):
    """Click the field, select all, type `text`, press Enter."""
    click(app, field.rect.center)
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    key(app, pygame.K_BACKSPACE)
    type_text(app, text)
    key(app, pygame.K_RETURN)


def dialog_button(app, label):
    assert app.dialog is not None, "a dialog should be open"
    return next(b for b in app.dialog.buttons if b.label == label)


def pump(app, until, timeout=60.0):
    """Run frames (update + an occasional draw) until `until()` is true; bounded."""
    surface = pygame.Surface(app.size)
    deadline = time.monotonic() + timeout
    frame = 0
    while not until():
        assert time.monotonic() < deadline, "timed out waiting for the training tab"
        app.update(0.016)
        if frame % 10 == 0:
            app.draw(surface)
        frame += 1
        time.sleep(0.005)
    app.update(0.016)
    app.draw(surface)


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_MODEL", raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda *a, **k: tmp_path / "user-data")
    write_corpus(tmp_path / "data" / "training")
    return tmp_path


def models_folder(work):
    """Where the tab saves new models: the user data folder (./models is never created)."""
    return work / "user-data" / "models"


def open_app(work):
    app = App(size=(1600, 900))
    pump(app, lambda: app.tab("LLM").startup is None, 10)  # the start-up model search is over
    app.switch_tab("Training")
    return app


@pytest.fixture
def app(work):
    application = open_app(work)
    yield application
    application.close()


def tick_only_my_files(app, work):
    """Untick everything, then tick the two files of the test's data/training by clicking rows."""
    tab = app.tab("Training")
    click(app, tab.data.none_button.rect.center)
    mine = [i for i, f in enumerate(tab.data.corpus) if f.path.parent == work / "data" / "training"]
    assert len(mine) == 2
    for index in mine:
        rect = tab.data.file_list.rect
        click(app, (rect.x + 40, rect.y + 2 + index * ROW_HEIGHT + ROW_HEIGHT // 2))
    assert sorted(f.path.name for f in tab.data.selected_files()) == ["a_chat.txt", "b_prose.txt"]
    return [tab.data.corpus[i].path for i in mine]


def quick_settings(app, steps="4", workers="1"):
    tab = app.tab("Training")
    click(app, tab.form.size_buttons["tiny"].rect.center)
    click(app, tab.form.tokenizer_buttons["char"].rect.center)
    fill(app, tab.form.fields["minutes"], "0")  # train by steps, not the default time budget
    fill(app, tab.form.fields["steps"], steps)
    fill(app, tab.form.fields["batch_size"], "2")
    fill(app, tab.form.fields["context_length"], "16")
    fill(app, tab.form.fields["workers"], workers)
    key(app, pygame.K_ESCAPE)  # leave the field


def create_model(app, name):
    tab = app.tab("Training")
    click(app, tab.start_button.rect.center)
    click(app, dialog_button(app, "Create New Model").rect.center)
    assert app.dialog is not None and app.dialog.title == "Create new model"
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    type_text(app, name)
    key(app, pygame.K_RETURN)
    assert app.dialog is None and tab.run is not None


def train_new_model(app, work, name):
    """A quick run that creates models/NAME; returns its directory."""
    tick_only_my_files(app, work)
    quick_settings(app)
    create_model(app, name)
    pump(app, lambda: app.tab("Training").run is None)
    return models_folder(work) / name


def overwrite_loaded_model(app):
    """START TRAINING -> Overwrite Existing -> Overwrite (the confirmation)."""
    click(app, app.tab("Training").start_button.rect.center)
    click(app, dialog_button(app, "Overwrite Existing").rect.center)
    click(app, dialog_button(app, "Overwrite").rect.center)


# --- the prompt before training -----------------------------------------------------------------
def test_start_opens_the_prompt_and_overwrite_is_disabled_without_a_model(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    click(app, tab.start_button.rect.center)
    assert app.dialog is not None and app.dialog.title == "Start training"
    assert app.dialog.labels == ["Create New Model", "Overwrite Existing", "Cancel"]
    assert not dialog_button(app, "Overwrite Existing").enabled
    click(app, dialog_button(app, "Overwrite Existing").rect.center)  # disabled: nothing happens
    assert app.dialog is not None and tab.run is None


@pytest.mark.parametrize("how", ["cancel button", "escape"])
def test_cancel_and_escape_change_nothing(app, work, how):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    click(app, tab.start_button.rect.center)
    if how == "escape":
        key(app, pygame.K_ESCAPE)
    else:
        click(app, dialog_button(app, "Cancel").rect.center)
    assert app.dialog is None and tab.run is None and app.running
    assert not (models_folder(work)).exists() or not any((models_folder(work)).iterdir())
    assert "nothing changed" in app.status


def test_escape_in_the_name_dialog_changes_nothing(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    click(app, tab.start_button.rect.center)
    click(app, dialog_button(app, "Create New Model").rect.center)
    key(app, pygame.K_ESCAPE)
    assert app.dialog is None and tab.run is None
    assert not any((models_folder(work)).iterdir())


def test_the_name_dialog_refuses_invalid_and_existing_names(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    (models_folder(work) / "taken").mkdir(parents=True)
    click(app, tab.start_button.rect.center)
    click(app, dialog_button(app, "Create New Model").rect.center)
    assert app.dialog.text_field.text == f"{CHAT_RECIPE.preset}-{CHAT_RECIPE.tokenizer}"  # suggested
    for bad, reason in [("taken", "already exists"), ("a/b", "not allowed"), ("", "empty"), (".x", "'.'")]:
        key(app, pygame.K_a, pygame.KMOD_LCTRL)
        key(app, pygame.K_BACKSPACE)
        type_text(app, bad)
        key(app, pygame.K_RETURN)
        assert app.dialog is not None and reason in app.dialog.error, (bad, app.dialog.error)
    assert tab.run is None
    assert [p.name for p in (models_folder(work)).iterdir()] == ["taken"]


# --- training from the tab ----------------------------------------------------------------------
def test_create_trains_on_all_ticked_files_saves_and_loads_into_the_llm_tab(app, work):
    tab = app.tab("Training")
    files = tick_only_my_files(app, work)
    quick_settings(app)
    click(app, tab.form.tokenizer_buttons["bpe"].rect.center)
    create_model(app, "first")
    pump(app, lambda: tab.run is None)
    target = models_folder(work) / "first"
    assert (target / "config.json").is_file()
    assert app.model is not None and app.model.path == target
    assert app.tab("LLM").session.bundle is app.model
    assert "saved first" in app.status and not app.status_error
    assert len(tab.progress_view.plot.series["train"]) == 4 and tab.progress_view.bar.value == 1.0
    assert tab.progress_view.last.step == 4
    saved = load_model(target)
    assert saved.training.corpus_files == [str(p) for p in files]
    text = load_corpus(files)
    assert saved.tokenizer.kind == "bpe" and (target / "tokenizer.json").is_file()
    assert saved.training.train_tokens + saved.training.val_tokens == len(saved.tokenizer.encode(text))
    assert saved.tokenizer.decode(saved.tokenizer.encode(text)) == text
    assert saved.config.layers == 2 and saved.config.context_length == 16


def test_overwrite_asks_again_then_updates_the_same_directory(app, work):
    tab = app.tab("Training")
    target = train_new_model(app, work, "mine")
    before = json.loads((target / "config.json").read_text())

    click(app, tab.start_button.rect.center)
    click(app, dialog_button(app, "Overwrite Existing").rect.center)
    assert app.dialog.title == "Overwrite model?"
    assert "'mine'" in app.dialog.message and str(target) in app.dialog.message
    click(app, dialog_button(app, "Cancel").rect.center)  # declining changes nothing
    assert app.dialog is None and tab.run is None
    assert json.loads((target / "config.json").read_text()) == before

    overwrite_loaded_model(app)
    assert tab.run is not None
    pump(app, lambda: tab.run is None)
    assert [p.name for p in (models_folder(work)).iterdir()] == ["mine"]
    again = load_model(target)
    assert again.optimizer.step == 8 and again.training.total_steps == 8
    assert app.model.path == target and app.model.optimizer.step == 8


def test_stop_ends_after_the_current_step_and_saves(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    quick_settings(app, steps=SLOW_STEPS)
    create_model(app, "stopped")
    assert tab.start_button.label == "STOP" and not tab.form.fields["lr"].enabled
    pump(app, lambda: tab.progress_view.events >= 2)
    assert "Training step" in app.status
    ticked = list(tab.data.selected_files())
    click(app, (tab.data.file_list.rect.x + 40, tab.data.file_list.rect.y + 2 + ROW_HEIGHT // 2))
    assert tab.data.selected_files() == ticked  # the data is fixed while training runs
    click(app, tab.start_button.rect.center)
    pump(app, lambda: tab.run is None)
    saved = load_model(models_folder(work) / "stopped")
    assert saved.training.stopped_early and saved.training.steps < int(SLOW_STEPS)
    assert app.model is not None and app.model.path == models_folder(work) / "stopped"
    assert tab.start_button.label == "START TRAINING" and tab.form.fields["lr"].enabled
    assert "stopped" in app.status


def test_two_workers_train_from_the_tab_and_the_terminal_stays_quiet(app, work, capfd):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    quick_settings(app, steps="3", workers="2")
    capfd.readouterr()
    create_model(app, "pool")
    pump(app, lambda: tab.run is None, timeout=90)
    assert capfd.readouterr() == ("", "")  # no per-step output, not even from the workers
    assert not app.status_error, app.status
    assert load_model(models_folder(work) / "pool").training.settings["workers"] == 2
    assert len(tab.progress_view.plot.series["train"]) == 3


def test_a_bad_corpus_ends_with_a_message_in_the_tab_and_status_line(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    (work / "data" / "training" / "a_chat.txt").write_bytes(b"\x00\x00 not text")
    quick_settings(app)
    create_model(app, "broken")
    pump(app, lambda: tab.run is None)
    assert app.status_error and "binary" in app.status
    assert tab.progress_view.outcome_error and "binary" in tab.progress_view.outcome
    assert not (models_folder(work) / "broken").exists()
    assert app.model is None


def test_a_killed_worker_ends_the_run_with_a_message_and_saves_the_last_good_weights(app, work):
    tab = app.tab("Training")
    target = train_new_model(app, work, "kept")
    before = load_model(target).training.total_steps

    fill(app, tab.form.fields["steps"], SLOW_STEPS)
    fill(app, tab.form.fields["workers"], "2")
    key(app, pygame.K_ESCAPE)
    overwrite_loaded_model(app)
    pump(app, lambda: tab.progress_view.events >= 1, timeout=90)
    workers = [p for p in multiprocessing.active_children() if p.name.startswith("hps-train-worker")]
    assert len(workers) == 2
    os.kill(workers[1].pid, signal.SIGKILL)
    pump(app, lambda: tab.run is None, timeout=90)
    assert app.status_error and "worker" in app.status and "died" in app.status
    assert tab.progress_view.outcome_error and "worker" in tab.progress_view.outcome
    assert "saved the weights of step" in app.status and str(target) in app.status
    saved = load_model(target)  # the weights learnt before the crash replaced the model, atomically
    assert saved.training.total_steps > before
    assert app.model is not None and np.array_equal(app.model.params, saved.params)
    assert tab.start_button.label == "START TRAINING" and app.running


def test_closing_the_window_while_training_asks_then_stops_and_saves(work):
    app = open_app(work)
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    quick_settings(app, steps=SLOW_STEPS)
    create_model(app, "closing")
    pump(app, lambda: tab.progress_view.events >= 1)
    app.handle_event(pygame.event.Event(pygame.QUIT))
    assert app.running and app.dialog is not None and "Training is running" in app.dialog.message
    key(app, pygame.K_ESCAPE)  # keep training
    assert app.running and tab.training
    app.handle_event(pygame.event.Event(pygame.QUIT))
    assert [b.label for b in app.dialog.buttons] == ["Stop, save and quit", "Keep training"]
    click(app, dialog_button(app, "Stop, save and quit").rect.center)
    assert not app.running
    app.close()  # what App.run does on the way out: stop after the step, save
    saved = load_model(models_folder(work) / "closing")
    assert saved.training.stopped_early


# --- fields, data list, settings ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("key", "bad", "kept"),
    [
        ("lr", "abc", LR),
        ("lr", "5", LR),
        ("epochs", "-1", "10"),
        ("batch_size", "2.5", BATCH),
        ("batch_size", "0", BATCH),
        ("workers", "x", "0"),
        ("steps", "-3", "0"),
        ("context_length", "4", CONTEXT),
    ],
)
def test_numeric_fields_refuse_bad_values_and_keep_the_previous_one(app, key, bad, kept):
    field = app.tab("Training").form.fields[key]
    fill(app, field, bad)
    assert field.text == kept
    assert app.status_error and bad in app.status


def test_start_with_nothing_ticked_is_refused(app, work):
    tab = app.tab("Training")
    click(app, tab.data.none_button.rect.center)
    click(app, tab.start_button.rect.center)
    assert app.dialog is None and app.status_error and "Tick at least one" in app.status


def test_files_are_listed_at_once_and_the_selection_line_counts_tokens(app, work):
    tab = app.tab("Training")
    assert {"a_chat.txt", "b_prose.txt"} <= {f.name for f in tab.data.corpus}
    tick_only_my_files(app, work)
    click(app, tab.form.tokenizer_buttons["bpe"].rect.center)
    pump(app, lambda: "bpe tokens" in tab.data.selection_text and "counting" not in tab.data.selection_text)
    estimate = round(len(TEXT_A) / BPE_CHARS_PER_TOKEN) + round(len(TEXT_B) / BPE_CHARS_PER_TOKEN)
    assert f"about {estimate:,} bpe tokens" in tab.data.selection_text  # learnt at the start
    click(app, tab.form.tokenizer_buttons["char"].rect.center)
    pump(app, lambda: "char tokens" in tab.data.selection_text and "counting" not in tab.data.selection_text)
    assert tab.data.selection_text.startswith("2 of ")
    assert f"{len(TEXT_A) + len(TEXT_B):,} char tokens" in tab.data.selection_text  # both files' characters
    click(app, tab.form.tokenizer_buttons["word"].rect.center)
    pump(app, lambda: "word tokens" in tab.data.selection_text)


def test_a_typed_path_adds_files_or_explains_why_not(app, work):
    tab = app.tab("Training")
    fill(app, tab.data.path_field, str(work / "nowhere.txt"))
    assert app.status_error and "no such file" in app.status
    extra = work / "more"
    extra.mkdir()
    (extra / "extra.txt").write_text("some extra text " * 20)
    fill(app, tab.data.path_field, str(extra))
    assert not app.status_error and "Added 1 file" in app.status
    assert any(f.path == extra / "extra.txt" for f in tab.data.selected_files())
    assert tab.data.path_field.text == ""


def test_values_persist_between_runs_of_the_app(work):
    app = open_app(work)
    tab = app.tab("Training")
    fill(app, tab.form.fields["lr"], "0.005")
    fill(app, tab.form.fields["context_length"], "32")
    click(app, tab.form.size_buttons["medium"].rect.center)
    tick_only_my_files(app, work)
    app.close()
    again = open_app(work)
    try:
        t2 = again.tab("Training")
        fields = t2.form.fields
        assert fields["lr"].text == "0.005" and fields["context_length"].text == "32"
        assert t2.form.preset_name == "medium"
        assert sorted(f.name for f in t2.data.selected_files()) == ["a_chat.txt", "b_prose.txt"]
    finally:
        again.close()


def test_a_corrupt_settings_file_is_ignored_with_a_message(work):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{ not json")
    app = App(size=(1600, 900))
    try:
        tab = app.tab("Training")
        assert tab.form.fields["lr"].text == LR
        assert "corrupt" in (tab._settings_problem or "")
    finally:
        app.close()


def test_rescan_lists_new_files_and_keeps_the_ticks(app, work):
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    (work / "data" / "training" / "c_new.txt").write_text("fresh text " * 30)
    assert "c_new.txt" not in [f.name for f in tab.data.corpus]
    click(app, tab.data.rescan_button.rect.center)
    assert "c_new.txt" in [f.name for f in tab.data.corpus]
    assert sorted(f.name for f in tab.data.selected_files()) == ["a_chat.txt", "b_prose.txt"]
    click(app, tab.data.all_button.rect.center)
    assert len(tab.data.selected_files()) == len(tab.data.corpus)


def test_an_invalid_saved_value_falls_back_to_the_default_with_a_message(work):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"training": {"lr": "fast", "batch_size": "7", "preset": "huge"}}))
    app = App(size=(1600, 900))
    try:
        tab = app.tab("Training")
        fields = tab.form.fields
        assert fields["lr"].text == LR and fields["batch_size"].text == "7"
        assert tab.form.preset_name == "small"
        assert "lr='fast'" in tab._settings_problem
    finally:
        app.close()


def test_rescan_names_the_folders_it_lists_including_the_users_own(app, work):
    tab = app.tab("Training")
    (work / "user-data" / "data").mkdir(parents=True)
    (work / "user-data" / "data" / "my_notes.txt").write_text("my own words\n" * 20, encoding="utf-8")
    click(app, tab.data.rescan_button.rect.center)
    assert "my_notes.txt" in {f.name for f in tab.data.corpus}
    for place in (work / "data" / "training", work / "user-data" / "data"):
        assert str(place) in app.status
    assert "(working folder)" in app.status and "(shipped)" in app.status and "(user data)" in app.status
