"""No display: one clear line; the window fits the screen; settings survive a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pygame
import pytest
from ui_events import click, key

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.ui.app import App, initial_window
from hyper_prime_spiral.ui.display import (
    NO_DISPLAY_MESSAGE,
    display_problem,
    driver_problem,
    fit_to_screen,
    ui_scale,
)


def _run_app_without(env_drop: tuple[str, ...], extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in env_drop}
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "hyper_prime_spiral"], env=env, capture_output=True, text=True, timeout=60
    )


def test_no_display_exits_with_one_clear_line():
    done = _run_app_without(("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"), {})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"hyper-prime-spiral: error: {NO_DISPLAY_MESSAGE}"]


def test_an_unreachable_display_is_not_run_offscreen():
    # DISPLAY names no X server: SDL would fall back to its offscreen driver.
    done = _run_app_without(("WAYLAND_DISPLAY", "SDL_VIDEODRIVER"), {"DISPLAY": ":987"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == f"hyper-prime-spiral: error: {NO_DISPLAY_MESSAGE}"


def test_display_checks():
    assert display_problem({}, "linux") == NO_DISPLAY_MESSAGE
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"SDL_VIDEODRIVER": "dummy"}, "linux") is None  # asked for on purpose
    assert display_problem({}, "darwin") is None and display_problem({}, "win32") is None
    assert driver_problem("offscreen", {}) == NO_DISPLAY_MESSAGE
    assert driver_problem("dummy", {"SDL_VIDEODRIVER": "dummy"}) is None
    assert driver_problem("x11", {}) is None


def test_the_default_window_never_exceeds_the_screen():
    assert fit_to_screen((1600, 900), [(1366, 768)], (640, 400)) == (1229, 691)
    assert fit_to_screen((1600, 900), [(3840, 2160)], (640, 400)) == (1600, 900)
    assert fit_to_screen((1600, 900), [(600, 300)], (640, 400)) == (640, 400)
    assert fit_to_screen((1600, 900), [], (640, 400)) == (1600, 900)
    assert initial_window(None, [(1280, 720)])[0] == (1152, 648)
    assert initial_window((1500, 1000), [(1280, 720)])[0] == (1500, 1000)  # --size is taken as asked


def test_a_hidpi_screen_magnifies_the_layout_twice():
    assert ui_scale((1600, 900), [(3840, 2160)], {}) == 2
    assert ui_scale((1600, 900), [(2560, 1440)], {}) == 1
    assert ui_scale((1600, 900), [(1920, 1080)], {}) == 1
    assert ui_scale((1600, 900), [(1920, 1080)], {"GDK_SCALE": "2"}) == 2  # the desktop's own setting
    assert ui_scale((1600, 900), [(3840, 2160)], {"HYPER_PRIME_SPIRAL_SCALE": "1"}) == 1  # the user's word
    assert ui_scale((1600, 900), [(3840, 2160)], {"HYPER_PRIME_SPIRAL_SCALE": "x"}) == 2  # ignored
    assert ui_scale((1600, 900), [], {}) == 1


def test_a_magnified_window_keeps_its_layout_when_resized():
    app = App(size=(800, 500))
    try:
        app.scale = 2
        app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=1600, h=1000, size=(1600, 1000)))
        assert app.size == (800, 500)
        app.handle_event(pygame.event.Event(pygame.WINDOWCLOSE))
        assert not app.running  # other window events still work
    finally:
        app.close()


def test_settings_survive_a_restart(tmp_path):
    first = App(size=(1000, 700))
    llm = first.tab("LLM")
    first.switch_tab("LLM")
    llm.temperature.set_value(0.35)
    llm.top_k.set_value(12)
    llm.top_p.set_value(0.8)
    llm.max_tokens.set_value(321)
    click(first, llm.seed_field.rect.center)
    llm.seed_field.set_text("42")
    key(first, pygame.K_RETURN)
    first.handle_event(pygame.event.Event(pygame.WINDOWMOVED, x=33, y=44))
    first.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=1111, h=666, size=(1111, 666)))
    first.close()

    saved = json.loads(app_settings.settings_path().read_text(encoding="utf-8"))
    assert saved["window"] == {"size": [1111, 666], "position": [33, 44], "tab": "LLM"}

    second = App(size=(800, 600))
    try:
        again = second.tab("LLM")
        assert second.active_tab == "LLM"
        assert again.temperature.value == pytest.approx(0.35) and again.top_k.value == 12
        assert (
            again.top_p.value == pytest.approx(0.8)
            and again.max_tokens.value == 321
            and again.seed_field.text == "42"
        )
        assert initial_window(None, [(1920, 1080)]) == ((1111, 666), (33, 44))
        assert initial_window(None, [(1024, 768)])[1] == (33, 44)
        assert initial_window(None, [(100, 100)])[1] is None  # that screen is gone
    finally:
        second.close()


def test_bad_saved_values_keep_the_defaults_and_say_so():
    app_settings.save_settings(
        {"llm": {"temperature": "hot", "top_k": 7, "seed": "abc"}, "window": {"tab": "Nope", "size": "big"}}
    )
    app = App(size=(1000, 700))
    try:
        llm = app.tab("LLM")
        assert llm.temperature.value == 0.8 and llm.top_k.value == 7 and llm.seed_field.text == ""
        assert app.active_tab == app.tabs[0].name
        assert app.status_error and "temperature" in app.status
        assert initial_window(None, [(3000, 2000)])[0] == (1600, 900)
    finally:
        app.close()
