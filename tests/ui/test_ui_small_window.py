"""At the smallest window (640x400) every control of every tab can be reached: content reflows,
a panel taller than the window scrolls (wheel, scrollbar, and focus moving to a hidden field)."""

from __future__ import annotations

import itertools

import pygame
import pytest
from ui_events import key, move, wheel

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.app import PANEL_WHEEL_STEP, App


@pytest.fixture
def small():
    application = App(size=theme.MIN_SIZE)
    yield application
    application.close()


def _controls(widgets):
    return [w for w in widgets if getattr(w, "rect", None) is not None and getattr(w, "visible", True)]


def _draw(app) -> pygame.Surface:
    surface = pygame.Surface(app.size)
    app.update(1 / 60)
    app.draw(surface)
    return surface


@pytest.mark.parametrize("size", [theme.MIN_SIZE, (800, 500)])
@pytest.mark.parametrize("name", ["Visualization", "Calculator", "Spheres", "LLM", "Training", "Research"])
def test_every_control_is_inside_the_window_or_reachable_by_scrolling(name, size):
    app = App(size=size)
    try:
        _check_reachable(app, name)
    finally:
        app.close()


def _check_reachable(app, name):
    app.switch_tab(name)
    tab = app.current_tab
    _draw(app)
    for widget in _controls(tab.content_widgets):
        assert tab.content_rect.contains(widget.rect), (
            f"{name}: {type(widget).__name__} {widget.rect} cut off"
        )
    panel = _controls(tab.panel_widgets)
    for a, b in itertools.combinations(panel, 2):
        assert not a.rect.colliderect(b.rect), f"{name}: {a.rect} overlaps {b.rect}"
    for widget in panel:
        tab.reveal_in_panel(widget.rect)
        _draw(app)
        label = getattr(widget, "label", type(widget).__name__)
        assert tab.panel_view.contains(widget.rect) or widget.rect.height > tab.panel_view.height, (
            f"{name}: {label} at {widget.rect} cannot be scrolled into {tab.panel_view}"
        )
        assert pygame.Rect((0, 0), app.size).contains(tab.panel_view)


def test_the_wheel_and_the_scrollbar_move_a_tall_panel(small):
    app = small
    app.switch_tab("LLM")
    tab = app.current_tab
    assert tab.panel_overflow > 0 and tab.panel_scroll == 0
    before = _draw(app).copy()
    edge = (tab.panel_view.right - 3, tab.panel_view.centery)  # beside the controls
    wheel(app, edge, -2)
    assert tab.panel_scroll == 2 * PANEL_WHEEL_STEP
    after = _draw(app)
    area = tab.panel_view
    moved = pygame.image.tobytes(after.subsurface(area), "RGB") != pygame.image.tobytes(
        before.subsurface(area), "RGB"
    )
    assert moved  # the panel's pixels moved
    wheel(app, edge, 10)
    assert tab.panel_scroll == 0
    thumb = tab.scrollbar_rect()
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=thumb.center, button=1))
    move(app, (thumb.centerx, thumb.centery + 400))
    app.handle_event(
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(thumb.centerx, thumb.centery + 400), button=1)
    )
    assert tab.panel_scroll == tab.panel_overflow
    assert tab.panel_view.contains(tab.seed_field.rect)
    assert tab.scrollbar_rect().bottom == tab.panel_view.bottom


def test_the_wheel_over_the_content_still_zooms(small):
    app = small
    view = app.current_tab
    zoom = view.model.zoom
    wheel(app, view.content_rect.center, 1)
    assert view.model.zoom > zoom and view.panel_scroll == 0


def test_tab_to_a_field_below_the_view_scrolls_it_into_sight(small):
    app = small
    app.switch_tab("LLM")
    tab = app.current_tab
    assert not tab.panel_view.contains(tab.seed_field.rect)
    while app.focus is not tab.seed_field:
        key(app, pygame.K_TAB)
        _draw(app)
    assert tab.panel_view.contains(tab.seed_field.rect)


def test_a_control_scrolled_out_of_view_takes_no_click(small):
    app = small
    app.switch_tab("Training")
    tab = app.current_tab
    tab.scroll_panel(tab.panel_overflow)
    _draw(app)
    hidden = tab.form.fields["lr"].rect  # scrolled up behind the tab bar's row
    assert hidden.bottom <= tab.panel_view.top + 40 or not tab.panel_view.contains(hidden)
    status_y = app.size[1] - 5
    app.handle_event(
        pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(tab.panel_view.x + 40, status_y), button=1)
    )
    app.handle_event(
        pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(tab.panel_view.x + 40, status_y), button=1)
    )
    assert app.dialog is None and app.focus is None and app.active_tab == "Training"
