"""Undo / redo in text fields (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y; Cmd on macOS), through the app."""

import pygame
import pytest
from ui_events import click, ctrl, key, type_text

from hyper_prime_spiral.ui.widgets import keys
from hyper_prime_spiral.ui.widgets.keys import command_held


@pytest.fixture
def chat(app):
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    assert app.focus is llm.chat_field
    return llm.chat_field


def test_typed_words_undo_as_one_step_and_redo(app, chat):
    type_text(app, "hello")
    key(app, pygame.K_LEFT)  # a caret move ends the typing step
    type_text(app, "XY")
    assert chat.text == "hellXYo"
    ctrl(app, pygame.K_z)
    assert chat.text == "hello" and chat.caret == 4
    ctrl(app, pygame.K_z)
    assert chat.text == ""
    ctrl(app, pygame.K_z)  # nothing left: no change, no error
    assert chat.text == ""
    ctrl(app, pygame.K_z, shift=True)
    assert chat.text == "hello"
    ctrl(app, pygame.K_y)
    assert chat.text == "hellXYo"
    ctrl(app, pygame.K_y)
    assert chat.text == "hellXYo"


def test_deletes_cut_and_paste_are_undone_and_a_new_edit_drops_redo(app, chat):
    type_text(app, "abc def")
    key(app, pygame.K_BACKSPACE)
    key(app, pygame.K_BACKSPACE)
    assert chat.text == "abc d"
    ctrl(app, pygame.K_z)
    assert chat.text == "abc d" + "e"
    ctrl(app, pygame.K_a)
    ctrl(app, pygame.K_x)
    assert chat.text == ""
    ctrl(app, pygame.K_v)
    ctrl(app, pygame.K_v)
    assert chat.text == "abc deabc de"
    ctrl(app, pygame.K_z)
    assert chat.text == "abc de"
    ctrl(app, pygame.K_z)
    assert chat.text == ""
    ctrl(app, pygame.K_z)
    assert chat.text == "abc de"
    type_text(app, "!")
    ctrl(app, pygame.K_y)  # the redo history ended with the new edit
    assert chat.text == "abc de!"


def test_undo_in_a_number_field_keeps_the_value_valid(app):
    app.switch_tab("Training")
    training = app.tab("Training")
    field = next(f for f in training.focusable_fields() if f.numeric)
    before = field.text
    click(app, field.rect.center)
    ctrl(app, pygame.K_a)
    type_text(app, "7")
    assert field.text == "7"
    ctrl(app, pygame.K_z)
    assert field.text == before
    key(app, pygame.K_RETURN)
    assert not app.status_error


def test_cmd_is_the_shortcut_key_on_macos_only(monkeypatch):
    gui = pygame.KMOD_LGUI
    assert command_held(pygame.KMOD_LCTRL, macos=False) and command_held(pygame.KMOD_LCTRL, macos=True)
    assert command_held(gui, macos=True) and not command_held(gui, macos=False)


def test_cmd_z_undoes_on_macos(app, chat, monkeypatch):
    monkeypatch.setattr(keys, "IS_MACOS", True)
    type_text(app, "hi")
    key(app, pygame.K_z, mod=pygame.KMOD_LGUI)
    assert chat.text == ""
    key(app, pygame.K_z, mod=pygame.KMOD_LGUI | pygame.KMOD_LSHIFT)
    assert chat.text == "hi"
