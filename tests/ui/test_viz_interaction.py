"""Keys, mouse, hover, typed analysis, marks, factor lines and snapshots of the Visualization tab."""

import time

import numpy as np
import pygame
import pytest
from ui_events import click, key, move, type_char, type_text, wheel

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs import shared_view


def _screen_of(view, base_xy):
    rect = view.content_rect
    return (
        round(rect.centerx + view.model.offset[0] + base_xy[0] * view.model.zoom),
        round(rect.centery + view.model.offset[1] + base_xy[1] * view.model.zoom),
    )


def test_m_cycles_all_ten_modes_and_wraps(app):
    view = app.tab("Visualization")
    seen = [view.model.mode_index]
    for _ in range(len(modes.MODE_NAMES)):
        type_char(app, "m")
        seen.append(view.model.mode_index)
    assert seen == list(range(10)) + [0]


def test_wheel_zooms_about_the_cursor(app):
    view = app.tab("Visualization")
    pos = (view.content_rect.centerx + 200, view.content_rect.centery - 120)
    before = (np.array(pos) - view.content_rect.center - view.model.offset) / view.model.zoom
    wheel(app, pos, 1)
    assert view.model.zoom == pytest.approx(1.2)
    after = (np.array(pos) - view.content_rect.center - view.model.offset) / view.model.zoom
    assert after == pytest.approx(before)
    for _ in range(60):
        wheel(app, pos, -1)
    assert view.model.zoom == pytest.approx(0.01)


def test_left_drag_pans_and_arrows_pan(app):
    view = app.tab("Visualization")
    start = (300, 300)
    move(app, start)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=(350, 320), rel=(50, 20), buttons=(1, 0, 0)))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(350, 320), button=1))
    assert view.model.offset == [50.0, 20.0]
    key(app, pygame.K_UP)
    assert view.model.offset == [50.0, 0.0]
    type_char(app, "0")
    assert view.model.offset == [0.0, 0.0] and view.model.zoom == 1.0


def test_e_adds_primes_and_integers(app):
    view = app.tab("Visualization")
    count = view.model.prime_count
    type_char(app, "e")
    assert view.model.prime_count == count + 1000
    view.model.set_mode(modes.SQUARE)
    integers = view.model.spiral_count
    type_char(app, "e")
    assert view.model.spiral_count == integers + 1000


def test_space_animates_by_time_not_frames(app):
    view = app.tab("Visualization")
    type_char(app, " ")
    assert view.model.animate
    for _ in range(10):
        app.update(0.1)
    assert view.model.phase == pytest.approx(1.0 * modes.PHASE_PER_SECOND)


def test_hover_readout_for_a_prime_and_a_composite(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SUDOKU)
    move(app, _screen_of(view, (87.5, 0.0)))
    app.update(0.0)
    assert view.hover_lines == ["5: prime"]
    view.model.set_mode(modes.SQUARE)
    view.model.spiral_count = 10_000
    lay = modes.layout(modes.SQUARE, view.model.params())
    cell = lay.cell
    # offset 3 of the square spiral is the integer 4 = 2^2, at cell (0, -1)
    move(app, _screen_of(view, (0.0, -cell)))
    app.update(0.0)
    assert view.hover_lines == ["4: composite", "= 2^2"]
    move(app, (view.content_rect.x + 2, view.content_rect.y + 2))
    app.update(0.0)
    assert view.hover_lines == []


def test_typed_number_is_analysed_marked_and_kept(app):
    view = app.tab("Visualization")
    type_char(app, "i")
    app.update(0.0)  # the 'i' that focused the field is not kept as text
    assert app.focus is view.number_field and view.number_field.text == ""
    type_text(app, "360")
    key(app, pygame.K_RETURN)
    entry = view.model.selected_entry
    assert entry.n == 360 and not entry.is_prime and entry.factor_text == "2^3 x 3^2 x 5"
    assert "360" in app.status and view.number_field.text == ""
    type_text(app, "999999999989")
    key(app, pygame.K_RETURN)
    assert view.model.history[-1].is_prime and len(view.model.history) == 2


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Not a whole number"),
        ("0", "positive"),
        ("-5", "positive"),
        ("10000000000000", "Too large"),
        ("", "Type"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_the_history(app, typed, message):
    view = app.tab("Visualization")
    view.model.add_analysis(7)
    type_char(app, "i")
    app.update(0.0)
    type_text(app, typed)
    key(app, pygame.K_RETURN)
    assert message in app.status and app.status_error
    assert view.model.message_error and [e.n for e in view.model.history] == [7]


def test_click_a_mark_selects_it_and_a_toggles_factor_scope(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SUDOKU)
    view.model.add_analysis(5)
    view.model.add_analysis(37)
    assert view.model.selected == 1
    click(app, _screen_of(view, (87.5, 0.0)))
    assert view.model.selected == 0 and view.model.offset == [0.0, 0.0]
    type_char(app, "f")
    assert view.model.show_factors and view.model.factor_entries() == [0, 1]
    type_char(app, "a")
    assert view.model.factor_entries() == [0]


def test_factor_lines_are_drawn_from_a_composite_to_its_primes(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SUDOKU)
    view.model.add_analysis(15)  # 3 x 5: lines to prime #2 and prime #3
    surface = pygame.Surface(app.size)

    def yellow_pixels():
        app.draw(surface)
        pixels = pygame.surfarray.array3d(surface.subsurface(view.content_rect))
        return int(np.all(pixels == (255, 255, 0), axis=2).sum())

    before = yellow_pixels()
    type_char(app, "f")
    assert yellow_pixels() > before + 20


def test_g_hides_and_shows_the_clock_grid_but_not_the_primes(app):
    view = app.tab("Visualization")
    surface = pygame.Surface(app.size)

    def colour_counts() -> dict[tuple[int, int, int], int]:
        app.draw(surface)
        pixels = pygame.surfarray.array3d(surface.subsurface(view.content_rect)).reshape(-1, 3)
        colours, counts = np.unique(pixels, axis=0, return_counts=True)
        return {tuple(int(v) for v in c): int(n) for c, n in zip(colours, counts, strict=True)}

    with_grid = colour_counts()
    type_char(app, "g")
    assert not view.model.show_grid and "grid hidden" in app.status
    without_grid = colour_counts()
    background = tuple(theme.BACKGROUND)
    lost = {c for c in with_grid if with_grid[c] - without_grid.get(c, 0) > 100} - {background}
    assert lost  # the ring circles are gone...
    dots = [c for c, n in with_grid.items() if n >= 1000 and c != background]
    assert dots and all(without_grid[c] == with_grid[c] for c in dots)  # ...the prime dots stay
    type_char(app, "g")
    assert view.model.show_grid and colour_counts() == with_grid


def test_c_toggles_crystalline_only_in_clock_sudoku(app):
    view = app.tab("Visualization")
    type_char(app, "c")
    assert not view.model.crystalline
    view.model.set_mode(modes.SUDOKU)
    type_char(app, "c")
    assert view.model.crystalline
    surface = pygame.Surface(app.size)
    app.draw(surface)  # the crystalline layout draws


def test_s_saves_a_png_snapshot_and_says_where(app, tmp_path, monkeypatch):
    monkeypatch.setattr(shared_view.platformdirs, "user_pictures_path", lambda: tmp_path)
    type_char(app, "s")
    files = list(tmp_path.glob("hyper_prime_*.png"))
    assert len(files) == 1 and files[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert str(files[0]) in app.status and not app.status_error
    image = pygame.image.load(str(files[0]))
    assert image.get_size() == app.tab("Visualization").content_rect.size


def test_snapshot_falls_back_to_the_data_folder(app, tmp_path, monkeypatch):
    def refuse():
        raise PermissionError("read-only pictures folder")

    monkeypatch.setattr(shared_view.platformdirs, "user_pictures_path", refuse)
    monkeypatch.setattr(shared_view.platformdirs, "user_data_path", lambda *a, **k: tmp_path)
    type_char(app, "s")
    assert list((tmp_path / "snapshots").glob("*.png"))


def test_spiral_start_field_and_polynomial_highlight(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SQUARE)
    assert view.start_field in view.focusable_fields()
    click(app, view.start_field.rect.center)
    key(app, pygame.K_END)
    for _ in range(3):
        key(app, pygame.K_BACKSPACE)
    type_text(app, "41")
    key(app, pygame.K_RETURN)
    assert view.model.spiral_start == 41
    key(app, pygame.K_ESCAPE)
    type_char(app, "h")
    assert view.model.params().polynomial == (1, 1, 41)
    view.model.set_mode(modes.SUDOKU)
    assert view.start_field not in view.focusable_fields()


def test_hover_on_the_sacks_spiral_finds_the_integer(app):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SACKS)
    view.model.spiral_count = 5_000
    xy = modes.points(modes.SACKS, np.array([1234]), np.zeros(1), view.model.params())[0]
    move(app, _screen_of(view, xy))
    app.update(0.0)
    assert view.hover_lines == ["1,234: composite", "= 2 x 617"]
    view.model.set_spiral_start(41)
    assert view.start_field.text == "41" and view.model.params().spiral_start == 41


def test_numbers_with_a_slow_index_are_analysed_in_the_background(app):
    view = app.tab("Visualization")
    type_char(app, "i")
    app.update(0.0)
    type_text(app, "50000017")
    key(app, pygame.K_RETURN)
    assert "Analysing" in app.status and view.number_field.text == ""
    for _ in range(2000):
        app.update(0.0)
        if view.model.history:
            break
        time.sleep(0.005)
    entry = view.model.selected_entry
    assert entry.n == 50_000_017 and entry.is_prime and entry.prime_index == 3_001_135
