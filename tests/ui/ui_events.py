"""Real pygame events for driving `App.handle_event` in tests (what SDL sends for a key press)."""

from __future__ import annotations

import pygame

_SHIFTED = set('~!@#$%^&*()_+{}|:"<>?')


def key(app, keycode: int, mod: int = 0, unicode: str = "") -> None:
    """Press and release one key (KEYDOWN + KEYUP, no text)."""
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=keycode, mod=mod, unicode=unicode, scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=mod, unicode=unicode, scancode=0))


def type_char(app, ch: str) -> None:
    """A printable key as SDL delivers it: KEYDOWN (with .unicode), then TEXTINPUT, then KEYUP."""
    keycode = pygame.K_SPACE if ch == " " else pygame.key.key_code(ch.lower())
    mod = pygame.KMOD_SHIFT if (ch.isupper() or ch in _SHIFTED) else 0
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=keycode, mod=mod, unicode=ch, scancode=0))
    app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=mod, unicode="", scancode=0))


def type_text(app, text: str) -> None:
    for ch in text:
        type_char(app, ch)


def ctrl(app, keycode: int, shift: bool = False) -> None:
    mod = pygame.KMOD_LCTRL | (pygame.KMOD_LSHIFT if shift else 0)
    key(app, keycode, mod=mod)


def move(app, pos: tuple[int, int]) -> None:
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))


def click(app, pos: tuple[int, int], button: int = 1) -> None:
    """Move there, press and release (what a real click produces)."""
    move(app, pos)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def wheel(app, pos: tuple[int, int], y: int) -> None:
    move(app, pos)
    app.handle_event(
        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y))
    )


def clear_field(app) -> None:
    """Ctrl+A then Backspace in the focused field."""
    ctrl(app, pygame.K_a)
    key(app, pygame.K_BACKSPACE)
