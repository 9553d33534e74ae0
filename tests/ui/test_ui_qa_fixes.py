"""Regression tests for bugs found by using the real app (Xvfb + xdotool walk-through)."""

from __future__ import annotations

import os
import subprocess
import sys

import pygame
from ui_events import click, key, type_char


def _keydown_without_text(app, ch: str) -> None:
    """A key SDL read before text input was on: KEYDOWN (with .unicode) and KEYUP, no TEXTINPUT."""
    code = pygame.key.key_code(ch)
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=ch, scancode=0))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=code, mod=0, unicode="", scancode=0))


def test_importing_the_ui_prints_no_pygame_banner():
    env = {k: v for k, v in os.environ.items() if k != "PYGAME_HIDE_SUPPORT_PROMPT"}
    env["SDL_VIDEODRIVER"] = "dummy"
    done = subprocess.run(
        [sys.executable, "-c", "import hyper_prime_spiral.ui.app"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""


def test_digits_typed_in_the_same_batch_as_the_i_hotkey_are_kept(app):
    """Real window: `I` then "97" quickly lost the digits (their KEYDOWNs came without TEXTINPUT)."""
    app.switch_tab("Visualization")
    field = app.current_tab.number_field
    key(app, pygame.K_i, unicode="i")
    assert app.focus is field
    _keydown_without_text(app, "9")
    _keydown_without_text(app, "7")
    app.update(0.016)
    assert field.text == "97"
    type_char(app, "3")  # later keys come with their TEXTINPUT: inserted once
    app.update(0.016)
    assert field.text == "973"


def test_catch_up_does_not_double_keys_that_bring_their_text(app):
    app.switch_tab("Visualization")
    field = app.current_tab.number_field
    key(app, pygame.K_i, unicode="i")
    for ch in "41":
        type_char(app, ch)
    key(app, pygame.K_RETURN, unicode="\r")  # Enter in the same batch analyses "41", not "4" or "4411"
    app.update(0.016)
    assert field.text == ""  # analysed and cleared
    assert [entry.n for entry in app.current_tab.model.history] == [41]


def _shifted_key(app, keycode: int, keydown_unicode: str, text: str) -> None:
    """Shift+key on a US keyboard: pygame's KEYDOWN may carry the unshifted character."""
    app.handle_event(
        pygame.event.Event(
            pygame.KEYDOWN, key=keycode, mod=pygame.KMOD_LSHIFT, unicode=keydown_unicode, scancode=0
        )
    )
    app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=text))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=keycode, mod=pygame.KMOD_LSHIFT, scancode=0))


def test_calculator_reads_star_and_plus_typed_with_shift(app):
    """Real window: "12*7" became "1287" (Shift+8 read as "8") and "+" became "="."""
    app.switch_tab("Calculator")
    calc = app.tab("Calculator")
    type_char(app, "6")
    _shifted_key(app, pygame.K_8, "8", "*")
    type_char(app, "7")
    _shifted_key(app, pygame.K_EQUALS, "=", "+")
    type_char(app, "1")
    key(app, pygame.K_RETURN)
    assert calc.calc.display == "43"
    assert app.tab("Visualization").model.zoom == 1.0  # "+" was not a zoom either


def test_shifted_symbol_in_the_focus_batch_is_not_typed_as_its_digit(app):
    """A Shift+8 read before text input was on reports "8"; it must not be inserted as "8"."""
    app.switch_tab("LLM")
    field = app.current_tab.chat_field
    app.focus_field(field)
    app.handle_event(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_8, mod=pygame.KMOD_LSHIFT, unicode="8", scancode=0)
    )
    _keydown_without_text(app, "a")
    app.update(0.016)
    assert field.text == "a"


def test_research_data_button_finds_the_shipped_data_folder(tmp_path, monkeypatch):
    """Started outside the repo, `data/` stayed in the working folder although the Training tab
    lists the shipped corpora from the repo's data/training."""
    from hyper_prime_spiral.training.corpus_files import corpus_folders
    from hyper_prime_spiral.ui.app import App

    monkeypatch.chdir(tmp_path)
    shipped = [f.parent for f, origin in corpus_folders() if origin == "shipped" and f.is_dir()]
    application = App(size=(1600, 900))
    try:
        application.switch_tab("Research")
        tab = application.current_tab
        click(application, tab.home_button.rect.center)
        if shipped:
            assert tab.folder == shipped[0]
        else:
            assert tab.folder == tmp_path
        assert "(1 entries)" not in application.status
    finally:
        application.close()


def test_tab_names_are_shortened_not_overdrawn_in_a_small_window(app):
    """At 800 px wide "Visualization" ran under the next tab ("Visualizat")."""
    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=640, h=400, size=(640, 400)))
    app.draw(pygame.Surface(app.size))
    from hyper_prime_spiral.ui import theme

    shortened = 0
    for index, rect in enumerate(app.tab_bar_rects):
        label = app.tab_label(index)
        assert label, "every tab keeps a label"
        assert theme.text_width(label, bold=index == 0) <= rect.width - 14
        shortened += label.endswith("…")
    assert shortened >= 1  # "Visualization" does not fit in 640 / 6 px


def test_view_info_line_is_readable_over_the_square_spiral(app):
    """The "Square Ulam Spiral  zoom 1.00  integers 1..100,000" line was drawn over the dots."""
    from hyper_prime_spiral.ui import theme

    app.switch_tab("Visualization")
    tab = app.current_tab
    for _ in range(8):  # M eight times: mode 9, the square Ulam spiral
        key(app, pygame.K_m, unicode="m")
    assert tab.model.is_spiral
    app.update(0.016)
    surface = pygame.Surface(app.size)
    app.draw(surface)
    box = tab.info_rect
    assert box.width > 100 and tab.content_rect.contains(box)
    background = surface.map_rgb(theme.BACKGROUND)
    pixels = pygame.PixelArray(surface)
    try:
        border = [pixels[x, box.y] for x in range(box.x, box.right)] + [
            pixels[x, box.bottom - 1] for x in range(box.x, box.right)
        ]
    finally:
        pixels.close()
    assert all(p == background for p in border)  # the box is cleared: no dot shows through


def _drawn_texts(app, tab_draw, monkeypatch) -> list[str]:
    from hyper_prime_spiral.ui import theme

    drawn: list[str] = []
    real = theme.draw_text

    def spy(surface, text, *args, **kwargs):
        drawn.append(text)
        return real(surface, text, *args, **kwargs)

    monkeypatch.setattr(theme, "draw_text", spy)
    tab_draw(pygame.Surface(app.size))
    monkeypatch.setattr(theme, "draw_text", real)
    return drawn


def test_long_analysis_lines_wrap_instead_of_being_cut(app, monkeypatch):
    """999,999,999,989 showed "index and clock place are computed up to 100" (cut at 44 chars)."""
    from hyper_prime_spiral.primes.analysis import analyze

    note = next(line for line in analyze(999_999_999_989).summary_lines() if "computed up to" in line)
    assert len(note) > 44
    app.switch_tab("Visualization")
    key(app, pygame.K_i, unicode="i")
    for ch in "999999999989":
        type_char(app, ch)
    key(app, pygame.K_RETURN, unicode="\r")
    app.update(0.016)
    drawn = " ".join(_drawn_texts(app, app.current_tab.draw_panel, monkeypatch))
    assert note in drawn
    app.switch_tab("Calculator")
    drawn = " ".join(_drawn_texts(app, app.current_tab.draw_panel, monkeypatch))
    assert note in drawn
