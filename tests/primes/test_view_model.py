"""The visual tabs' shared view model, without pygame: its rules and its messages."""

from __future__ import annotations

import pytest

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.primes.view_model import (
    BACKGROUND_ABOVE,
    MAX_HISTORY,
    MAX_ZOOM,
    MIN_ZOOM,
    ViewModel,
)


@pytest.fixture
def said():
    return []


@pytest.fixture
def model(said):
    return ViewModel(report=lambda text, error=False: said.append((text, error)))


def test_zoom_keeps_the_anchor_in_place_and_stays_in_range(model):
    model.zoom_by(2.0, about=(100.0, -50.0))
    # the point 100 px right of centre was at base (100 - 0) / 1; it stays under the anchor
    assert model.zoom == 2.0 and model.offset == [-100.0, 50.0]
    for _ in range(100):
        model.zoom_by(10.0)
    assert model.zoom == MAX_ZOOM
    for _ in range(100):
        model.zoom_by(0.1)
    assert model.zoom == MIN_ZOOM
    model.reset_view()
    assert (model.zoom, model.offset) == (1.0, [0.0, 0.0])


def test_animation_moves_the_phase_only_while_on(model, said):
    model.advance(1.0)
    assert model.phase == 0.0
    model.toggle_animation()
    model.advance(0.5)
    assert model.phase == pytest.approx(0.5 * modes.PHASE_PER_SECOND)
    assert said[-1] == ("Animation on", False)


def test_mode_groups_decide_the_phase_and_the_options(model, said):
    model.animate, model.phase = True, 1.0
    model.set_mode(modes.HARMONIC)
    assert model.is_animated_mode and model.view_state().params.phase == 1.0
    model.set_mode(modes.SUDOKU)
    assert model.is_crystal_mode and model.view_state().params.phase == 0.0
    assert said[-1] == ("Mode: Clock Sudoku", False)
    model.set_mode(len(modes.MODE_NAMES) + modes.SQUARE)  # wraps around
    assert model.is_spiral and model.mode_index == modes.SQUARE


def test_listeners_hear_mode_and_option_changes(model):
    heard = []
    model.subscribe(lambda: heard.append(model.mode_index))
    model.set_mode(3)
    model.toggle_factors()
    model.set_spiral_start(41)
    assert heard == [3, 3, 3]


def test_counts_and_spiral_start_are_clamped(model):
    model.change_count(-1)
    assert model.prime_count == 12  # at least one clock's worth
    model.set_mode(modes.SACKS)
    model.set_spiral_start(10**12)
    assert model.spiral_start == 10**9
    model.set_spiral_start(-5)
    assert model.spiral_start == 1


def test_bad_input_keeps_the_history_and_says_why(model, said):
    model.add_analysis(7)
    assert model.analyse_text("abc") is None
    assert model.message_error and said[-1][1] is True
    assert [e.n for e in model.history] == [7]


def test_history_selects_repeats_and_keeps_the_newest(model):
    for n in range(2, MAX_HISTORY + 3):
        model.add_analysis(n)
    assert len(model.history) == MAX_HISTORY and model.history[0].n == 3  # 2 dropped
    again = model.add_analysis(50)
    assert again.n == 50 and model.selected_entry is again and "already analysed" in model.message
    model.show_factors, model.factor_scope_all = True, False
    assert model.factor_entries() == [model.selected]


def test_large_numbers_are_analysed_through_the_background_runner(said):
    calls = []

    def run_in_background(fn, *args, on_done=None, on_error=None):
        calls.append(args)
        on_done(fn(*args))

    model = ViewModel(report=lambda text, error=False: said.append(text), run_in_background=run_in_background)
    n = BACKGROUND_ABOVE + 19  # 10,000,019 is prime
    assert model.add_analysis(n) is None  # not stored yet: it runs in the background
    assert calls == [(n,)] and model.history[-1].n == n and model.history[-1].is_prime
    assert said[0].startswith("Analysing")


def test_the_spirals_grow_to_ten_million_integers_and_no_further(model):
    model.set_mode(modes.SACKS)
    for _ in range(40):
        model.scale_spiral(2.0)
    assert model.spiral_count == 10_000_000
    model.change_count(+1)
    assert model.spiral_count == 10_000_000
