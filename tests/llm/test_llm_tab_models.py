"""The LLM tab's model panel: start-up loading, load by path / list / Browse, Save As, model info."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pygame
import pytest
from llm_helpers import click, key, pump, set_field, type_text

from hyper_prime_spiral.storage import search
from hyper_prime_spiral.storage.model_dir import load_model, save_model
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker


def idle(tab) -> bool:
    return not tab.loading and tab.listing is None and tab.saving is None


def started(make_app, **kwargs):
    app = make_app(**kwargs)
    tab = app.tab("LLM")
    pump(app, lambda: idle(tab))
    app.switch_tab("LLM")
    return app, tab


def info_text(tab) -> str:
    return " | ".join(label + value for label, value, _ in tab._info_lines())


def test_startup_loads_the_model_named_by_the_environment(make_app, search_root, tiny_bundle, monkeypatch):
    path = save_model(search_root / "elsewhere" / "pinned", tiny_bundle)
    save_model(search_root / "models" / "newer", tiny_bundle)  # newer, but the env var is pinned
    monkeypatch.setenv(search.ENV_VAR, str(path))
    app, tab = started(make_app)
    assert app.model is not None and app.model.path == path
    assert "Loaded model 'pinned'" in app.status and str(path.parent) in app.status
    assert tab.session.bundle is app.model
    text = info_text(tab)
    c = tiny_bundle.config
    for part in (
        "Name: pinned",
        f"Parameters: {tiny_bundle.n_params:,}",
        f"Layers / width / heads: {c.layers} / {c.dim} / {c.heads}",
        f"Tokenizer: char, vocabulary {c.vocab_size}",
        f"Context: {c.context_length} tokens",
        "Training steps: 25",
        "Validation loss: ",
    ):
        assert part in text
    assert "unknown" not in text


def test_the_panel_names_the_kept_step_of_an_overfit_run(make_app, tiny_bundle):
    app, tab = started(make_app)
    record = replace(tiny_bundle.training, steps=5778, kept_step=1836, val_loss=0.6743)
    app.set_model(replace(tiny_bundle, training=record), "test")
    assert "Training steps: 5,778 (kept step 1,836) | Validation loss: 0.6743" in info_text(tab)


def test_startup_takes_the_newest_model_of_the_search_folders(make_app, search_root, tiny_bundle):
    save_model(search_root / "models" / "newest", tiny_bundle)
    older = save_model(search_root / "user-data" / "models" / "older", tiny_bundle)  # written later...
    config = json.loads((older / "config.json").read_text())
    config["training"]["updated"] = "2000-01-01T00:00:00+00:00"  # ...but trained long ago
    (older / "config.json").write_text(json.dumps(config))
    app, tab = started(make_app)
    assert app.model is not None and app.model.name == "newest"
    assert "Loaded model 'newest'" in app.status
    assert sorted(info.name for info in tab.found_models) == ["newest", "older"]


def test_startup_with_explicit_model_path(make_app, search_root, tiny_bundle):
    path = save_model(search_root / "cli" / "given", tiny_bundle)
    app, tab = started(make_app, model_path=str(path))
    assert app.model.path == path and tab.model_path_field.text == str(path)


def test_startup_with_a_model_name_loads_that_model(make_app, search_root, tiny_bundle):
    """`hyper-prime-spiral --model first` takes a name `models` lists, as `generate --model` does."""
    path = save_model(search_root / "user-data" / "models" / "first", tiny_bundle)
    save_model(search_root / "models" / "newer", tiny_bundle)  # newer, but --model is pinned
    app, tab = started(make_app, model_path="first")
    assert app.model is not None and app.model.path == path
    assert "Loaded model 'first'" in app.status and not app.status_error
    assert tab.model_path_field.text == str(path)


def test_startup_with_an_unknown_model_name_says_what_was_searched(make_app, search_root, tiny_bundle):
    save_model(search_root / "models" / "other", tiny_bundle)
    app, tab = started(make_app, model_path="nosuch")
    assert app.model is not None and app.model.name == "other"  # the search goes on without it
    assert "\n" not in app.status
    assert "no model named 'nosuch' in" in app.status and str(search_root / "models") in app.status


def test_load_by_typed_model_name_and_an_unknown_name_keeps_the_model(make_app, saved_model):
    app, tab = started(make_app)
    app.set_model(None)
    set_field(app, tab.model_path_field, "tiny")  # ./models/tiny, by the name the list shows
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.loading)
    assert app.model is not None and app.model.path == saved_model and not app.status_error
    set_field(app, tab.model_path_field, "nosuch")
    key(app, pygame.K_RETURN)
    assert not tab.loading and app.status_error and app.model.path == saved_model
    assert "no model named 'nosuch' in" in app.status and "kept 'tiny'" in app.status


def test_startup_with_nothing_to_load_explains(make_app):
    app, tab = started(make_app)
    assert app.model is None and "No model loaded" in app.status and "Training tab" in app.status
    assert "Not loaded" in info_text(tab)
    assert not tab.save_as_button.enabled


def test_load_by_typed_path_with_tilde(make_app, saved_model, monkeypatch):
    monkeypatch.setenv("HOME", str(saved_model.parent))
    app, tab = started(make_app)
    app.set_model(None)
    set_field(app, tab.model_path_field, "~/tiny")
    key(app, pygame.K_RETURN)
    assert tab.loading
    pump(app, lambda: not tab.loading)
    assert app.model is not None and app.model.path == saved_model
    assert "Loaded model 'tiny'" in app.status and not app.status_error


@pytest.mark.parametrize("problem", ["missing", "broken", "not a model"])
def test_a_bad_path_shows_the_error_and_keeps_the_current_model(make_app, saved_model, search_root, problem):
    app, tab = started(make_app)
    current = app.model
    assert current is not None
    target = search_root / "bad"
    if problem == "broken":
        shutil.copytree(saved_model, target)
        block = next(target.glob("block_*.safetensors"))
        data = bytearray(block.read_bytes())
        data[-5] ^= 0xFF
        block.write_bytes(bytes(data))
    elif problem == "not a model":
        target.mkdir()
    set_field(app, tab.model_path_field, str(target))
    click(app, tab.load_button.rect.center)
    pump(app, lambda: not tab.loading)
    assert app.status_error and str(target) in app.status
    if problem == "broken":
        assert "block_" in app.status  # the message names the damaged file
    assert app.model is current and tab.session.bundle is current
    assert "(kept 'tiny')" in app.status


def test_empty_path_is_refused(make_app):
    app, tab = started(make_app)
    set_field(app, tab.model_path_field, "")
    key(app, pygame.K_RETURN)
    assert app.status_error and "path" in app.status and not tab.loading


def test_clicking_a_model_in_the_list_loads_it(make_app, saved_model, search_root, tiny_bundle):
    save_model(search_root / "models" / "second", tiny_bundle)
    app, tab = started(make_app)
    names = [info.name for info in tab.found_models]
    assert sorted(names) == ["second", "tiny"]
    index = names.index("second") if app.model.name != "second" else names.index("tiny")
    wanted = tab.found_models[index].path
    click(app, tab.model_list.row_rect(index).center)
    pump(app, lambda: not tab.loading)
    assert app.model.path == wanted and not app.status_error
    assert tab.model_list.selected == index  # the loaded model is highlighted


def test_a_broken_model_in_the_list_shows_its_error(make_app, saved_model, search_root):
    (search_root / "models" / "junk").mkdir()
    (search_root / "models" / "junk" / "config.json").write_text("{not json")
    app, tab = started(make_app)
    index = [info.name for info in tab.found_models].index("junk")
    click(app, tab.model_list.row_rect(index).center)
    assert app.status_error and "junk" in app.status and app.model.name == "tiny"


def test_tab_completes_paths_and_otherwise_moves_focus(make_app, search_root):
    (search_root / "models" / "alpha-model").mkdir(parents=True)
    app, tab = started(make_app)
    set_field(app, tab.model_path_field, f"{search_root}/models/alp")
    key(app, pygame.K_TAB)
    assert app.focus is tab.model_path_field
    assert tab.model_path_field.text == f"{search_root}/models/alpha-model/"
    key(app, pygame.K_TAB)  # nothing more to complete: focus moves on
    assert app.focus is not tab.model_path_field


def test_browse_opens_a_folder_picker_navigable_by_keys(make_app, saved_model, search_root):
    app, tab = started(make_app)
    app.set_model(None)
    set_field(app, tab.model_path_field, str(search_root))
    click(app, tab.browse_button.rect.center)
    picker = app.dialog
    assert isinstance(picker, FolderPicker) and picker.folder == search_root
    type_text(app, "q")  # modal: no hotkey (q would quit), nothing typed anywhere
    assert app.running and app.active_tab == "LLM"
    names = [p.name for p in picker.entries]
    for _ in range(names.index("models")):
        key(app, pygame.K_DOWN)
    key(app, pygame.K_RETURN)  # opens ./models
    assert picker.folder == search_root / "models"
    key(app, pygame.K_LEFT)  # back up
    assert picker.folder == search_root
    assert picker.entries[picker.list.selected].name == "models"  # the folder just left stays selected
    key(app, pygame.K_RIGHT)  # opens the selected row
    key(app, pygame.K_ESCAPE)
    assert app.dialog is None and app.model is None
    click(app, tab.browse_button.rect.center)
    picker = app.dialog
    picker.show(search_root / "models")
    row = [p.name for p in picker.entries].index("tiny")
    click(app, picker.list.row_rect(row).center)
    click(app, picker.list.row_rect(row).center)  # double-click on a model folder chooses it
    assert app.dialog is None
    pump(app, lambda: not tab.loading)
    assert app.model is not None and app.model.path == saved_model


def test_folder_picker_choose_button_and_unreadable_folder(make_app, saved_model, search_root):
    app, tab = started(make_app)
    picker = FolderPicker(search_root / "models", on_choose=tab._folder_chosen)
    app.open_dialog(picker)
    assert not picker.show(search_root / "no-such-folder") and "cannot open" in picker.error
    assert picker.folder == search_root / "models"
    picker.list.select([p.name for p in picker.entries].index("tiny"))
    click(app, picker.choose_button.rect.center)
    assert app.dialog is None and tab.model_path_field.text == str(saved_model)


def test_folder_picker_started_on_a_model_shows_its_folder_with_it_selected(saved_model):
    picker = FolderPicker(saved_model, on_choose=lambda path: None)
    assert picker.folder == saved_model.parent
    assert picker.entries[picker.list.selected] == saved_model
    assert picker.list.items[picker.list.selected] == "tiny/   [model]"


def test_save_as_copies_the_model_under_a_new_name(make_app, saved_model, search_root, tiny_bundle):
    user_models = search_root / "user-data" / "models"  # copies go to the user data folder
    (user_models / "taken").mkdir(parents=True)  # any folder of that name blocks the name
    app, tab = started(make_app)
    click(app, tab.save_as_button.rect.center)
    dialog = app.dialog
    assert dialog is not None and dialog.text_field.text == "tiny-copy"
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    type_text(app, "bad/name")
    key(app, pygame.K_RETURN)
    assert app.dialog is dialog and "not allowed" in dialog.error
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    type_text(app, "taken")
    key(app, pygame.K_RETURN)
    assert app.dialog is dialog and "already exists" in dialog.error
    key(app, pygame.K_a, pygame.KMOD_LCTRL)
    type_text(app, "my copy")
    key(app, pygame.K_RETURN)
    assert app.dialog is None
    pump(app, lambda: idle(tab))
    target = user_models / "my copy"
    assert load_model(target).n_params == tiny_bundle.n_params
    assert app.model.path == target and "Saved a copy as 'my copy'" in app.status
    assert "my copy" in [info.name for info in tab.found_models]


def test_a_model_set_elsewhere_reaches_the_chat(make_app, tiny_bundle):
    app, tab = started(make_app)
    assert app.model is None
    app.set_model(tiny_bundle, "trained a new model")
    assert tab.session.bundle is tiny_bundle and "trained a new model" in app.status
    assert "Name: (unsaved)" in info_text(tab) and tab.save_as_button.enabled


def test_panel_draws_while_loading_and_with_the_picker_open(make_app, saved_model, search_root):
    app, tab = started(make_app)
    tab.load_path(saved_model)
    surface = pygame.Surface(app.size)
    app.draw(surface)  # with the loading bar
    pump(app, lambda: not tab.loading)
    click(app, tab.browse_button.rect.center)
    app.draw(surface)
    assert isinstance(app.dialog, FolderPicker)
