"""Spheres tab: draws shaded spheres, rotates while animating and by dragging; twin primes joined."""

import numpy as np
import pygame
import pytest
from ui_events import type_char

from hyper_prime_spiral.primes import spheres
from hyper_prime_spiral.ui import theme


def test_scene_twins_and_shading():
    scene = spheres.build_scene(30)
    pairs = [tuple(scene.values[list(pair)]) for pair in scene.twins]
    assert (3, 5) in pairs and (11, 13) in pairs and (101, 103) in pairs
    assert all(b - a == 2 for a, b in pairs)
    shade = spheres.shading(10)
    assert shade.shape == (21, 21) and shade[0, 0] == 0 and shade.max() <= 1.0
    assert shade[6, 6] > shade[14, 14]  # lit from the upper left
    proj = spheres.project(scene, 0.3, 0.2)
    assert np.all(np.diff(proj.depth[proj.order]) <= 0)  # far first
    with pytest.raises(ValueError):
        spheres.build_scene(0)


def test_spheres_draw_rotate_and_drag(app):
    app.switch_tab("Spheres")
    tab = app.tab("Spheres")
    surface = pygame.Surface(app.size)
    app.draw(surface)
    pixels = pygame.surfarray.array3d(surface.subsurface(tab.content_rect))
    assert np.any(pixels != np.array(theme.BACKGROUND), axis=2).sum() > 2000
    angles = (tab.angle_x, tab.angle_y)
    app.update(1.0)
    assert (tab.angle_x, tab.angle_y) == angles  # still while not animating
    type_char(app, " ")
    app.update(1.0)
    assert tab.angle_x > angles[0] and tab.angle_y > angles[1]
    type_char(app, " ")
    before = tab.angle_y
    start = tab.content_rect.center
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    app.handle_event(
        pygame.event.Event(
            pygame.MOUSEMOTION, pos=(start[0] + 100, start[1]), rel=(100, 0), buttons=(1, 0, 0)
        )
    )
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(start[0] + 100, start[1]), button=1))
    assert tab.angle_y == pytest.approx(before + 1.0)
    type_char(app, "c")
    assert not tab.show_twins
