"""SDL text input has one owner, the focus manager: on for a focused field or a tab that reads typing."""

from __future__ import annotations

import pygame
import pytest
from ui_events import key, type_char

from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.text_input import TextInput


@pytest.fixture
def text_input_state(monkeypatch):
    """Record what the app asks of SDL: the last call wins, as in SDL."""
    state = {"on": None}
    monkeypatch.setattr(pygame.key, "start_text_input", lambda: state.update(on=True))
    monkeypatch.setattr(pygame.key, "stop_text_input", lambda: state.update(on=False))
    return state


def test_text_input_is_on_only_for_a_focused_field_or_the_calculator(app, text_input_state):
    app.switch_tab("Research")
    assert text_input_state["on"] is None  # nothing asked for it: unchanged (off since start-up)
    app.focus_field(app.current_tab.fields[0])
    assert text_input_state["on"] is True
    key(app, pygame.K_ESCAPE)
    assert app.focus is None and text_input_state["on"] is False
    app.switch_tab("Calculator")
    assert text_input_state["on"] is True
    app.switch_tab("Visualization")
    assert text_input_state["on"] is False


def test_closing_a_dialog_field_on_the_calculator_keeps_its_typing(app, text_input_state):
    """A field losing focus used to switch text input off, and Shift+8 then read as "8"."""
    app.switch_tab("Calculator")
    dialog = Dialog("Name?", "", ("OK", "Cancel"), text_field=TextInput())
    app.open_dialog(dialog)
    assert app.focus is dialog.text_field
    key(app, pygame.K_ESCAPE)
    assert app.dialog is None and app.focus is None
    assert text_input_state["on"] is True
    type_char(app, "6")
    type_char(app, "*")
    type_char(app, "7")
    key(app, pygame.K_RETURN)
    assert app.tab("Calculator").calc.display == "42"


def test_the_key_that_gives_focus_is_dropped_at_once_and_only_once(app):
    view = app.tab("Visualization")
    type_char(app, "i")
    assert app.focus is view.number_field and view.number_field.text == ""  # no frame needed
    app.update(0.016)
    app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text="i"))  # a later "i" is typing
    assert view.number_field.text == "i"
