"""Random input on every tab (fixed seed): nothing raises, the app stays consistent."""

import random

import pygame
import pytest

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs import TAB_CLASSES

KEYS = [
    pygame.K_a, pygame.K_i, pygame.K_m, pygame.K_p, pygame.K_0, pygame.K_SPACE, pygame.K_TAB,
    pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_HOME, pygame.K_END,
    pygame.K_BACKSPACE, pygame.K_DELETE, pygame.K_RETURN, pygame.K_ESCAPE, pygame.K_PLUS, pygame.K_MINUS,
]  # fmt: skip
MODS = [0, 0, 0, pygame.KMOD_LSHIFT, pygame.KMOD_LCTRL]


def random_event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    in_tab_bar = rng.random() < 0.05
    pos = (rng.randrange(size[0]), 10 if in_tab_bar else rng.randrange(theme.TAB_BAR_HEIGHT + 1, size[1]))
    kind = rng.random()
    if kind < 0.35:
        key = rng.choice(KEYS)
        mod = rng.choice(MODS)
        char = pygame.key.name(key) if len(pygame.key.name(key)) == 1 else ""
        return pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=char, scancode=0)
    if kind < 0.5:
        return pygame.event.Event(pygame.TEXTINPUT, text=rng.choice("abc 123+-.xyzé"))
    if kind < 0.7:
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(1, 1), buttons=(rng.random() < 0.3, 0, 0))
    if kind < 0.85:
        return pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=rng.choice([1, 1, 1, 3]))
    if kind < 0.95:
        return pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1)
    return pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=rng.choice([-1, 1]), flipped=False)


@pytest.mark.parametrize("tab_name", [cls.name for cls in TAB_CLASSES])
def test_random_input_never_breaks_a_tab(app, tab_name):
    rng = random.Random(tab_name)
    surface = pygame.Surface(app.size)
    for step in range(400):
        if app.active_tab != tab_name:
            app.switch_tab(tab_name)
        event = random_event(rng, app.size)
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and app.focus is None:
            continue  # Escape with nothing focused quits; keep the app running for the test
        if event.type == pygame.KEYDOWN and event.key == pygame.K_q:
            continue
        app.handle_event(event)
        if app.dialog is not None:  # cancel at once: a random Enter must not start training
            app.handle_event(
                pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0)
            )
        app.running = True
        if step % 20 == 0:
            app.update(1 / 60)
            app.draw(surface)
        focus = app.focus
        assert (
            focus is None
            or focus in app.current_tab.fields
            or (app.dialog and focus is app.dialog.text_field)
        )
