"""Typing goes where the user expects: showing the LLM tab gives the chat field the keyboard, and no
bare letter typed there (or anywhere) quits the app without a question. Real key events only."""

from __future__ import annotations

import pygame
import pytest
from llm_helpers import click, key, pump, type_text


@pytest.fixture
def app_with_model(make_app, saved_model):
    app = make_app()
    pump(app, lambda: app.model is not None and app.tab("LLM").startup is None)
    app.tab("LLM").seed_field.set_text("3")
    return app


def test_f4_then_a_question_and_enter_sends_exactly_that_text(app_with_model):
    app = app_with_model
    tab = app.tab("LLM")
    assert app.active_tab == "Visualization" and app.focus is None
    key(app, pygame.K_F4)
    assert app.active_tab == "LLM" and app.focus is tab.chat_field
    type_text(app, "what is a quark")
    key(app, pygame.K_RETURN)
    assert app.running and app.dialog is None
    assert tab.messages == ["what is a quark"]
    assert [m.role for m in tab.chat_view.messages] == ["user", "ai"]
    assert tab.chat_view.messages[0].text == "what is a quark"
    pump(app, lambda: not tab.session.generating)
    assert tab.session.history[-1].role == "AI"
    assert app.focus is tab.chat_field  # the reply has ended: the next question can be typed at once


def test_keys_read_in_the_same_batch_as_f4_still_reach_the_field(make_app):
    """SDL turns text input on only when the field takes focus: keys already queued behind F4 come
    as KEYDOWN without TEXTINPUT, and must still be typed (not taken for hotkeys: `q` quits)."""
    app = make_app()
    tab = app.tab("LLM")
    events = [(pygame.K_F4, "")] + [
        (pygame.K_SPACE if ch == " " else pygame.key.key_code(ch), ch) for ch in "what is a quark"
    ]
    for code, text in events:
        app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=text, scancode=0))
        app.handle_event(pygame.event.Event(pygame.KEYUP, key=code, mod=0, unicode="", scancode=0))
    app.update(1 / 60)  # the end of the event batch
    assert app.running and app.dialog is None
    assert tab.chat_field.text == "what is a quark"
    view = app.tab("Visualization")
    assert (view.model.mode_index, view.model.show_factors) == (0, False)  # no `m`, `f` hotkey fired


@pytest.mark.parametrize("how", ["ctrl+tab", "click", "f4"])
def test_every_way_to_show_the_tab_focuses_the_chat(make_app, how):
    app = make_app()
    tab = app.tab("LLM")
    app.switch_tab("Spheres")
    if how == "ctrl+tab":
        key(app, pygame.K_TAB, pygame.KMOD_LCTRL)
    elif how == "click":
        click(app, app.tab_bar_rects[app.tabs.index(tab)].center)
    else:
        key(app, pygame.K_F4)
    assert app.active_tab == "LLM" and app.focus is tab.chat_field


def test_letters_typed_after_escape_go_back_into_the_chat_field(make_app):
    app = make_app()
    tab = app.tab("LLM")
    key(app, pygame.K_F4)
    key(app, pygame.K_ESCAPE)
    assert app.focus is None and app.running
    type_text(app, "quit?")  # with nothing focused, a letter is still typing, never a hotkey
    assert app.running and app.dialog is None
    assert app.focus is tab.chat_field and tab.chat_field.text == "quit?"


def test_with_the_field_focused_only_the_global_keys_act(make_app):
    app = make_app()
    tab = app.tab("LLM")
    key(app, pygame.K_F4)
    type_text(app, "q p m i")
    key(app, pygame.K_TAB, pygame.KMOD_LCTRL)
    assert app.active_tab == "Training" and app.running
    key(app, pygame.K_F4)
    assert app.focus is tab.chat_field and tab.chat_field.text == "q p m i"  # kept across the switch
    key(app, pygame.K_q, pygame.KMOD_LCTRL)
    assert not app.running
