"""Every mode draws; the clock geometry lands on the right pixels; the layer cache works."""

import numpy as np
import pygame
import pytest

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.ui import theme


def _content_pixels(app):
    surface = pygame.Surface(app.size)
    app.draw(surface)
    view = app.tab("Visualization")
    rect = view.content_rect.inflate(0, -60)  # leave out the info line at the bottom
    return pygame.surfarray.array3d(surface.subsurface(rect)), view


@pytest.mark.parametrize("mode", range(len(modes.MODE_NAMES)))
def test_each_mode_draws_non_background_pixels(app, mode):
    view = app.tab("Visualization")
    view.model.set_mode(mode)
    view.model.spiral_count = 20_000
    pixels, _ = _content_pixels(app)
    lit = np.any(pixels != np.array(theme.BACKGROUND), axis=2).sum()
    assert lit > 100, f"{modes.MODE_NAMES[mode]} drew only {lit} pixels"


def test_clock_sudoku_puts_5_at_three_oclock_and_37_at_the_top(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SUDOKU)
    surface = pygame.Surface(app.size)
    app.draw(surface)
    cx, cy = view.content_rect.center
    assert surface.get_at((round(cx + 87.5), cy))[:3] == (255, 255, 0)
    assert surface.get_at((cx, round(cy - 87.5)))[:3] == (255, 0, 255)
    # panning moves dots and rings together
    view.model.offset = [100.0, -40.0]
    app.draw(surface)
    assert surface.get_at((round(cx + 100 + 87.5), cy - 40))[:3] == (255, 255, 0)
    ring0 = surface.get_at((cx + 100, round(cy - 40 + 87.5)))[:3]
    assert ring0 != theme.BACKGROUND


def test_still_view_is_rendered_once_and_animation_re_renders(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.HARMONIC)
    surface = pygame.Surface(app.size)
    app.draw(surface)
    renders = view.view.layer.renders
    app.update(1 / 60)
    app.draw(surface)
    assert view.view.layer.renders == renders  # nothing changed: cached layer
    view.model.animate = True
    app.update(0.5)
    app.draw(surface)
    assert view.model.phase == pytest.approx(0.5 * modes.PHASE_PER_SECOND)
    assert view.view.layer.renders == renders + 1
