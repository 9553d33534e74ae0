"""Every tab draws at the default and at a small window size, and the pixels are not all background."""

import pygame
import pytest

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.app import App
from hyper_prime_spiral.ui.tabs import TAB_CLASSES
from hyper_prime_spiral.ui.widgets.dialog import Dialog

TAB_NAMES = [cls.name for cls in TAB_CLASSES]


def non_background_fraction(surface: pygame.Surface, rect: pygame.Rect) -> float:
    """Share of sampled pixels in `rect` that differ from the window background."""
    samples = [
        surface.get_at((x, y))[:3] != theme.BACKGROUND
        for x in range(rect.left, rect.right, 7)
        for y in range(rect.top, rect.bottom, 7)
    ]
    return sum(samples) / len(samples)


@pytest.mark.parametrize("size", [(1600, 900), (1024, 640)])
def test_every_tab_draws_without_error_and_fills_the_window(size):
    app = App(size=size)
    try:
        for name in TAB_NAMES:
            app.switch_tab(name)
            surface = pygame.Surface(size)
            app.update(1 / 60)
            app.draw(surface)
            tab = app.current_tab
            assert non_background_fraction(surface, pygame.Rect(0, 0, *size)) > 0.05, name
            assert non_background_fraction(surface, tab.panel_rect) > 0.5, name  # the panel is filled
            assert non_background_fraction(surface, app.status_rect) > 0.5, name
            tab_bar = pygame.Rect(0, 0, size[0] - theme.PANEL_WIDTH, theme.TAB_BAR_HEIGHT)
            assert non_background_fraction(surface, tab_bar) > 0.5, name
    finally:
        app.close()


def test_screenshot_file_shows_the_app(app, tmp_path):
    path = tmp_path / "shot.png"
    app.screenshot(str(path))
    image = pygame.image.load(str(path))
    assert image.get_size() == (1600, 900)
    assert non_background_fraction(image, image.get_rect()) > 0.05


def test_status_line_shows_errors_in_red(app):
    app.set_status("something broke", error=True)
    surface = pygame.Surface(app.size)
    app.draw(surface)
    rect = app.status_rect
    reds = [
        surface.get_at((x, y))[:3]
        for x in range(rect.x, rect.x + 150)
        for y in range(rect.y, rect.bottom)
        if surface.get_at((x, y))[:3] == theme.RED
    ]
    assert reds


def test_open_dialog_is_drawn_over_the_tab(app):
    surface = pygame.Surface(app.size)
    app.draw(surface)
    before = surface.get_at((app.size[0] // 2, app.size[1] // 2))
    app.open_dialog(Dialog("Question", "Proceed?", ("Yes", "No")))
    app.draw(surface)
    assert surface.get_at(app.dialog.rect.center)[:3] != before[:3] or app.dialog.rect.collidepoint(
        app.size[0] // 2, app.size[1] // 2
    )
    assert surface.get_at((app.dialog.rect.x + 3, app.dialog.rect.y + 30))[:3] == theme.DIALOG_BG


def test_run_opens_the_window_loops_and_returns_zero():
    app = App(size=(1024, 640))
    frames = []

    def count_frame(dt: float) -> None:
        frames.append(dt)
        if len(frames) >= 3:
            app.running = False
        else:
            app.call_soon(count_frame, 0.0)

    app.call_soon(count_frame, 0.0)
    assert app.run() == 0
    assert len(frames) == 3
    assert app.fps > 0


def test_status_is_always_one_line(app):
    app.set_status("Traceback:\n  File x\nValueError: bad", error=True)
    assert app.status == "Traceback: File x ValueError: bad"
