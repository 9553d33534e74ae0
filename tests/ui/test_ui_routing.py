"""Event routing: fields keep every key they are typed, hotkeys act only with nothing focused."""

import time

import pygame
import pytest
from ui_events import clear_field, click, ctrl, key, type_char, type_text

from hyper_prime_spiral.primes.modes import MODE_NAMES
from hyper_prime_spiral.training.presets import CHAT_RECIPE
from hyper_prime_spiral.ui.app import App
from hyper_prime_spiral.ui.tabs import TAB_CLASSES
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.text_input import TextInput

LR, BATCH, CONTEXT = f"{CHAT_RECIPE.lr:g}", str(CHAT_RECIPE.batch), str(CHAT_RECIPE.context)  # tab defaults

HOTKEY_STRING = "imfacg pseq0+-"  # every global hotkey character, and a space
TAB_NAMES = [cls.name for cls in TAB_CLASSES]


def global_state(app: App) -> tuple:
    view = app.tab("Visualization")
    return (
        app.active_tab,
        view.model.mode_index,
        view.model.zoom,
        tuple(view.model.offset),
        view.model.animate,
        view.model.show_factors,
        view.model.show_grid,
        view.model.crystalline,
        view.model.prime_count,
        view.model.spiral_count,
        view.model.factor_scope_all,
        app.running,
        app.panel_visible,
        app.dialog is None,
    )


def all_fields(app: App) -> list[tuple[str, int]]:
    return [(tab.name, i) for tab in app.tabs for i in range(len(tab.fields))]


def test_tab_order_matches_the_design(app):
    assert [tab.name for tab in app.tabs] == [
        "Visualization",
        "Calculator",
        "Spheres",
        "LLM",
        "Training",
        "Research",
    ]
    assert app.active_tab == "Visualization"


def test_the_tabs_named_in_the_issue_have_their_fields(app):
    assert isinstance(app.tab("Visualization").number_field, TextInput)
    assert isinstance(app.tab("LLM").chat_field, TextInput)
    assert isinstance(app.tab("LLM").model_path_field, TextInput)
    training = app.tab("Training")
    assert [f.text for f in (training.form.fields[k] for k in ("lr", "epochs", "batch_size", "workers"))] == [
        LR,
        "10",
        BATCH,
        "0",
    ]


@pytest.mark.parametrize("tab_name", TAB_NAMES)
def test_hotkey_characters_typed_into_every_field_stay_in_the_field(app, tab_name):
    tab = app.tab(tab_name)
    if not tab.fields:
        pytest.skip(f"{tab_name} has no text field")
    app.switch_tab(tab_name)
    for field in tab.focusable_fields():
        app.focus_field(field)
        assert app.focus is field
        clear_field(app)
        before = global_state(app)
        type_text(app, HOTKEY_STRING)
        assert field.text == HOTKEY_STRING[: field.max_length]  # a few fields are shorter by design
        assert global_state(app) == before
        assert app.focus is field
        key(app, pygame.K_ESCAPE)
        assert app.focus is None
        assert app.running


def test_hotkeys_act_when_nothing_is_focused(app):
    view = app.tab("Visualization")
    assert app.focus is None
    mode_before = view.model.mode_index
    type_char(app, "m")
    assert view.model.mode_index == (mode_before + 1) % len(MODE_NAMES)
    type_char(app, "+")
    assert view.model.zoom == pytest.approx(1.2)
    type_char(app, "-")
    type_char(app, "-")
    assert view.model.zoom == pytest.approx(1 / 1.2)
    key(app, pygame.K_RIGHT)
    assert view.model.offset[0] != 0
    type_char(app, "0")
    assert view.model.zoom == 1.0 and list(view.model.offset) == [0.0, 0.0]
    type_char(app, " ")
    assert view.model.animate
    type_char(app, "f")
    assert view.model.show_factors
    type_char(app, "p")
    assert not app.panel_visible
    type_char(app, "p")
    assert app.panel_visible
    type_char(app, "i")
    assert app.focus is view.number_field
    key(app, pygame.K_ESCAPE)
    assert app.focus is None and app.running
    type_char(app, "q")
    assert app.running and app.dialog is not None  # a bare letter asks; it never quits at once


@pytest.mark.parametrize("tab_name", TAB_NAMES)
def test_escape_and_q_ask_before_quitting_from_every_tab(app, tab_name):
    """A bare key may be the start of something the user meant to type: it asks, Enter keeps the app."""
    app.switch_tab(tab_name)
    app.focus_field(None)
    for press in (lambda: key(app, pygame.K_q), lambda: key(app, pygame.K_ESCAPE)):
        press()
        assert app.running and app.dialog is not None and app.dialog.title == "Quit?"
        key(app, pygame.K_RETURN)  # the highlighted answer stays
        assert app.running and app.dialog is None
    key(app, pygame.K_ESCAPE)
    click(app, next(b for b in app.dialog.buttons if b.label == "Quit").rect.center)
    assert not app.running


def test_view_hotkeys_do_nothing_on_the_chat_tab_with_nothing_focused(app):
    app.switch_tab("LLM")
    before = global_state(app)
    type_char(app, "m")
    type_char(app, "+")
    assert global_state(app) == before


def test_tab_switching_keys_work_even_with_a_field_focused(app):
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    assert app.focus is llm.chat_field
    ctrl(app, pygame.K_TAB)
    assert app.active_tab == "Training" and app.focus is None
    click(app, app.tab("Training").form.fields["lr"].rect.center)
    ctrl(app, pygame.K_TAB, shift=True)
    assert app.active_tab == "LLM"
    click(app, llm.chat_field.rect.center)
    ctrl(app, pygame.K_PAGEDOWN)
    assert app.active_tab == "Training"
    ctrl(app, pygame.K_PAGEUP)
    ctrl(app, pygame.K_PAGEUP)
    assert app.active_tab == "Spheres"
    for index, name in enumerate(TAB_NAMES):
        fields = app.current_tab.focusable_fields()
        if fields:
            click(app, fields[0].rect.center)
            assert app.focus is fields[0]
        key(app, getattr(pygame, f"K_F{index + 1}"))
        assert app.active_tab == name
    ctrl(app, pygame.K_TAB)
    assert app.active_tab == "Visualization"  # wraps around


def test_ctrl_q_quits_even_with_a_field_focused(app):
    app.switch_tab("LLM")
    click(app, app.tab("LLM").chat_field.rect.center)
    ctrl(app, pygame.K_q)
    assert not app.running


def test_typing_is_the_sky_blue_into_the_chat_field(app):
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    type_text(app, "is the sky blue")
    assert llm.chat_field.text == "is the sky blue"
    key(app, pygame.K_RETURN)
    assert llm.messages == ["is the sky blue"]
    assert llm.chat_field.text == ""
    assert app.focus is llm.chat_field


def test_keydown_alone_inserts_nothing(app):
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_m, mod=0, unicode="m", scancode=0))
    assert llm.chat_field.text == ""
    assert app.tab("Visualization").model.mode_index == 0


def test_click_outside_a_focused_field_drops_focus_and_fires_the_button(app):
    training = app.tab("Training")
    app.switch_tab("Training")
    click(app, training.form.fields["lr"].rect.center)
    assert app.focus is training.form.fields["lr"]
    click(app, training.start_button.rect.center)
    assert app.focus is None
    assert training.start_button.clicks == 1
    assert f"lr {LR}" in app.status


def test_click_on_the_tab_bar_with_a_field_focused_switches_tab(app):
    view = app.tab("Visualization")
    click(app, view.number_field.rect.center)
    click(app, app.tab_bar_rects[3].center)
    assert app.active_tab == "LLM" and app.focus is app.tab("LLM").chat_field  # the chat takes the keys


def test_click_on_another_field_moves_focus(app):
    training = app.tab("Training")
    app.switch_tab("Training")
    click(app, training.form.fields["lr"].rect.center)
    click(app, training.form.fields["batch_size"].rect.center)
    assert app.focus is training.form.fields["batch_size"]
    assert not training.form.fields["lr"].focused and training.form.fields["batch_size"].focused


def test_tab_cycles_the_fields_of_the_active_tab(app):
    training = app.tab("Training")
    app.switch_tab("Training")
    key(app, pygame.K_TAB)  # nothing focused: Tab focuses the first field
    order = training.fields  # Tab follows the panel: the four parameters first, then the others
    assert order[:4] == [
        training.form.fields["lr"],
        training.form.fields["epochs"],
        training.form.fields["batch_size"],
        training.form.fields["workers"],
    ]
    assert app.focus is order[0]
    for expected in order[1:] + order[:1]:
        key(app, pygame.K_TAB)
        assert app.focus is expected
    key(app, pygame.K_TAB, mod=pygame.KMOD_LSHIFT)
    assert app.focus is order[-1]
    assert app.active_tab == "Training"


def test_escape_drops_focus_first_and_asks_to_quit_second(app):
    view = app.tab("Visualization")
    click(app, view.number_field.rect.center)
    key(app, pygame.K_ESCAPE)
    assert app.focus is None and app.running
    key(app, pygame.K_ESCAPE)
    assert app.running and app.dialog is not None
    key(app, pygame.K_ESCAPE)  # a second Escape answers "Cancel"
    assert app.running and app.dialog is None


def test_dialog_takes_every_key_and_click(app):
    results = []
    field = TextInput(placeholder="name")
    dialog = Dialog(
        "Name",
        "Type a name",
        ("Create", "Cancel"),
        text_field=field,
        on_result=lambda label, text: results.append((label, text)),
    )
    app.open_dialog(dialog)
    before = global_state(app)
    assert app.focus is field
    type_text(app, "mq 0+")
    key(app, pygame.K_F2)
    key(app, pygame.K_TAB, mod=pygame.KMOD_LCTRL)
    click(app, app.tab_bar_rects[4].center)
    assert global_state(app)[:-1] == before[:-1]
    assert app.dialog is dialog
    assert field.text == "mq 0+"
    key(app, pygame.K_RETURN)
    assert results == [("Create", "mq 0+")]
    assert app.dialog is None and app.focus is None
    assert app.running and app.active_tab == "Visualization"


def test_dialog_escape_cancels_and_buttons_click(app):
    results = []
    dialog = Dialog(
        "Train",
        "Which model?",
        ("Create New Model", "Overwrite Existing", "Cancel"),
        on_result=lambda label, text: results.append(label),
    )
    app.open_dialog(dialog)
    key(app, pygame.K_ESCAPE)
    assert results == ["Cancel"] and app.dialog is None and app.running
    dialog = Dialog(
        "Train",
        "Which model?",
        ("Create New Model", "Overwrite Existing", "Cancel"),
        on_result=lambda label, text: results.append(label),
    )
    app.open_dialog(dialog)
    app.draw(pygame.Surface(app.size))
    click(app, dialog.buttons[1].rect.center)
    assert results == ["Cancel", "Overwrite Existing"] and app.dialog is None


def test_dialog_validation_keeps_it_open(app):
    field = TextInput()
    dialog = Dialog(
        "Name",
        "Model name",
        ("OK", "Cancel"),
        text_field=field,
        validate=lambda label, text: None if text else "A name is needed.",
    )
    app.open_dialog(dialog)
    key(app, pygame.K_RETURN)
    assert app.dialog is dialog and dialog.error == "A name is needed."
    type_text(app, "tiny")
    key(app, pygame.K_RETURN)
    assert app.dialog is None and dialog.result == "OK"


def test_quit_event_stops_the_app(app):
    app.handle_event(pygame.event.Event(pygame.QUIT))
    assert not app.running


def test_quit_asks_first_when_a_tab_would_lose_work(app, monkeypatch):
    monkeypatch.setattr(app.tab("Training"), "quit_warning", lambda: "Training is running.")
    type_char(app, "q")
    assert app.running and app.dialog is not None
    key(app, pygame.K_ESCAPE)  # Cancel
    assert app.running and app.dialog is None
    type_char(app, "q")
    click(app, app.dialog.buttons[0].rect.center)
    assert not app.running


def test_resize_lays_everything_out_again(app):
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=1024, h=640, size=(1024, 640)))
    assert app.size == (1024, 640)
    screen = pygame.Rect(0, 0, 1024, 640)
    for tab in app.tabs:
        for field in tab.fields:
            assert screen.contains(field.rect), (tab.name, field.label)
    assert app.tab_bar_rects[-1].right == 1024 - 320


def test_panel_hidden_fields_cannot_be_focused_and_i_shows_the_panel(app):
    view = app.tab("Visualization")
    type_char(app, "p")
    assert not app.panel_visible
    assert view.content_rect.width == 1600
    assert view.focusable_fields() == []
    type_char(app, "i")
    assert app.panel_visible and app.focus is view.number_field


def test_background_work_reports_on_the_ui_thread(app):
    results = []
    future = app.run_in_background(lambda x: x * 2, 21, on_done=results.append)
    future.result(timeout=10)
    for _ in range(500):
        app.update(1 / 60)
        if results:
            break
        time.sleep(0.01)
    assert results == [42]
    failing = app.run_in_background(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=10)
    for _ in range(500):
        app.update(1 / 60)
        if app.status_error:
            break
        time.sleep(0.01)
    assert app.status_error and "division" in app.status


def test_wheel_over_the_chat_keeps_the_chat_field_focused(app):
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    pos = llm.chat_view.rect.center
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=4))  # legacy wheel press
    app.handle_event(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=4))
    assert app.focus is llm.chat_field


def test_dialog_buttons_can_be_chosen_with_the_keyboard(app):
    results = []
    dialog = Dialog(
        "Train",
        "Which model?",
        ("Create New Model", "Overwrite Existing", "Cancel"),
        on_result=lambda label, text: results.append(label),
    )
    app.open_dialog(dialog)
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_RETURN)
    assert results == ["Overwrite Existing"]
    app.open_dialog(
        Dialog("Again", "?", ("A", "B", "C"), on_result=lambda label, text: results.append(label))
    )
    key(app, pygame.K_TAB, mod=pygame.KMOD_LSHIFT)
    key(app, pygame.K_RETURN)
    assert results == ["Overwrite Existing", "C"]


def test_idle_frame_rate_is_used_only_when_the_tab_allows_it(app, monkeypatch):
    monkeypatch.setattr(type(app.current_tab), "idle_fps", None)
    assert app._frame_cap(100.0) == 60  # tabs run at 60 FPS unless they say otherwise
    monkeypatch.setattr(type(app.current_tab), "idle_fps", 15)
    assert app._frame_cap(0.1) == 60  # the user is active
    assert app._frame_cap(100.0) == 15
    app.open_dialog(Dialog("Question", "?", ("OK",)))
    assert app._frame_cap(100.0) == 60


def test_tabs_slow_down_when_idle_unless_something_moves(app):
    from hyper_prime_spiral.ui.tabs.base import IDLE_FPS

    idle = 100.0  # seconds since the last input
    for name in ("Visualization", "Calculator", "Spheres", "LLM", "Training", "Research"):
        app.switch_tab(name)
        assert app._frame_cap(idle) == IDLE_FPS < 60, name
        assert app._frame_cap(0.1) == 60, name  # the user is active: full speed at once
    app.switch_tab("Visualization")
    app.tab("Visualization").model.animate = True  # the shared animation moves three tabs
    for name in ("Visualization", "Calculator", "Spheres"):
        app.switch_tab(name)
        assert app._frame_cap(idle) == 60, name


def test_a_disabled_field_loses_focus_and_keys_become_hotkeys_again(app):
    view = app.tab("Visualization")
    click(app, view.number_field.rect.center)
    view.number_field.enabled = False
    mode_before = view.model.mode_index
    type_char(app, "m")
    assert app.focus is None
    assert view.number_field.text == ""
    assert view.model.mode_index != mode_before


def test_dialog_keyboard_skips_disabled_buttons(app):
    results = []
    dialog = Dialog(
        "Train",
        "?",
        ("Create New Model", "Overwrite Existing", "Cancel"),
        on_result=lambda label, text: results.append(label),
    )
    dialog.buttons[1].enabled = False
    app.open_dialog(dialog)
    key(app, pygame.K_TAB)
    assert dialog.selected == 2
    dialog.choose(1)  # a disabled button cannot be chosen
    assert app.dialog is dialog and results == []
    key(app, pygame.K_RETURN)
    assert results == ["Cancel"]
