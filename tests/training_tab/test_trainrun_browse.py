"""The Training tab's path field: Tab completes folders and files, Browse... picks a folder to add."""

from __future__ import annotations

import platformdirs
import pygame
import pytest
from test_trainrun_tab import click as _click
from test_trainrun_tab import key as _key
from test_trainrun_tab import type_text as _type
from trainrun_helpers import write_corpus

from hyper_prime_spiral.ui.app import App
from hyper_prime_spiral.ui.folder_paths import complete_path
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_MODEL", raising=False)
    monkeypatch.setattr(platformdirs, "user_data_path", lambda *a, **k: tmp_path / "user-data")
    write_corpus(tmp_path / "data" / "training")
    application = App(size=(1600, 900))
    application.switch_tab("Training")
    yield application
    application.close()


def test_completion_offers_files_only_when_asked(tmp_path):
    (tmp_path / "poems").mkdir()
    (tmp_path / "poetry.txt").write_text("x")
    assert complete_path(str(tmp_path / "poe")) == str(tmp_path / "poems") + "/"  # folders only
    assert complete_path(str(tmp_path / "poe"), files=True) is None  # "poems" or "poetry.txt": nothing to add
    assert complete_path(str(tmp_path / "poet"), files=True) == str(tmp_path / "poetry.txt")  # no "/"
    assert complete_path(str(tmp_path / "poem"), files=True) == str(tmp_path / "poems") + "/"


def test_tab_completes_the_path_then_enter_adds_the_file(app, tmp_path):
    tab = app.tab("Training")
    (tmp_path / "extra-notes.txt").write_text("notes about crystals " * 20)
    _click(app, tab.data.path_field.rect.center)
    _type(app, str(tmp_path / "extra-n"))
    _key(app, pygame.K_TAB)
    assert tab.data.path_field.text == str(tmp_path / "extra-notes.txt") and app.focus is tab.data.path_field
    _key(app, pygame.K_RETURN)
    assert not app.status_error, app.status
    assert any(f.path == tmp_path / "extra-notes.txt" for f in tab.data.selected_files())


def test_browse_opens_the_folder_picker_and_adds_the_chosen_folder(app, tmp_path):
    tab = app.tab("Training")
    more = tmp_path / "more"
    more.mkdir()
    (more / "one.txt").write_text("first extra text " * 20)
    (more / "two.txt").write_text("second extra text " * 20)
    _click(app, tab.data.browse_button.rect.center)
    picker = app.dialog
    assert isinstance(picker, FolderPicker) and picker.folder == tmp_path / "data" / "training"
    picker.show(more)
    _click(app, picker.choose_button.rect.center)
    assert app.dialog is None and "Added 2 files" in app.status
    assert {f.name for f in tab.data.selected_files()} >= {"one.txt", "two.txt"}


def test_browse_cancelled_changes_nothing(app):
    tab = app.tab("Training")
    before = [f.path for f in tab.data.selected_files()]
    _click(app, tab.data.browse_button.rect.center)
    _key(app, pygame.K_ESCAPE)
    assert app.dialog is None and [f.path for f in tab.data.selected_files()] == before
