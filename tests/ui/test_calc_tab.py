"""Calculator tab: buttons and keyboard, errors, analysis of integer results, mini-map, mode buttons."""

import numpy as np
import pygame
import pytest
from ui_events import click, key, type_char, type_text

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.primes.calculator import Calculator
from hyper_prime_spiral.ui import theme


@pytest.fixture
def calc(app):
    app.switch_tab("Calculator")
    return app.tab("Calculator")


def test_buttons_compute_and_integer_results_are_analysed(app, calc):
    for label in ("1", "2", "*", "3", "="):
        click(app, calc.key_buttons[label].rect.center)
    assert calc.calc.display == "36"
    view = app.tab("Visualization")
    assert view.model.selected_entry.n == 36 and "composite" in calc.message


def test_keyboard_entry_goes_to_the_calculator_not_the_view_hotkeys(app, calc):
    view = app.tab("Visualization")
    type_text(app, "10+7")
    key(app, pygame.K_RETURN)
    assert calc.calc.display == "17"
    assert view.model.zoom == 1.0  # '+' was the calculator's, not a zoom
    assert view.model.history[-1].n == 17 and view.model.history[-1].is_prime
    type_text(app, "20")
    assert view.model.zoom == 1.0 and calc.calc.display == "20"  # '0' did not reset the view either
    key(app, pygame.K_BACKSPACE)
    assert calc.calc.display == "2"
    type_char(app, "m")
    assert view.model.mode_index == 1  # other view hotkeys still work here


@pytest.mark.parametrize(
    ("keys", "message"),
    [("5/0=", "Division by zero"), ("9" * 40 + "*" + "9" * 40 + "=", "Overflow"), ("=", "first")],
)
def test_errors_give_a_message(app, calc, keys, message):
    type_text(app, keys)
    assert message in calc.message and calc.message_error
    assert "Calculator" in app.status and app.status_error


def test_analyze_button_and_non_integer_results():
    c = Calculator()
    for k in "7/2=":
        c.press(k)
    assert c.display == "3.5"
    outcome = c.press("Analyze")
    assert outcome.error and "whole" in outcome.message
    for k in "C0.1+0.2=":
        c.press(k)
    assert c.display == "0.3"
    assert c.press("sqrt").error


def test_chained_operators_and_clear_entry():
    c = Calculator()
    for k in "2+3*4":
        c.press(k)
    c.press("CE")
    for k in "5=":
        c.press(k)
    assert c.display == "25"


def test_mode_buttons_pick_the_mode_and_the_minimap_draws(app, calc):
    click(app, calc.mode_buttons[modes.SACKS].rect.center)
    assert app.tab("Visualization").model.mode_index == modes.SACKS
    surface = pygame.Surface(app.size)
    app.draw(surface)
    pixels = pygame.surfarray.array3d(surface.subsurface(calc.minimap_rect.inflate(-4, -30)))
    assert np.any(pixels != np.array(theme.BACKGROUND), axis=2).sum() > 100


def test_click_a_mark_on_the_minimap_selects_it(app, calc):
    view = app.tab("Visualization")
    view.model.set_mode(modes.SUDOKU)
    view.model.add_analysis(5)
    view.model.add_analysis(37)
    state = calc._minimap_state()
    marks = calc.minimap.screen_marks(calc.minimap_rect, state, view.model.history)
    click(app, tuple(int(round(v)) for v in marks[0]))
    assert view.model.selected == 0
