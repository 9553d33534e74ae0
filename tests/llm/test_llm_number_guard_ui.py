"""The number guard's switch in the LLM tab's sampling panel, driven by real events."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from llm_helpers import click, key, open_llm_tab, pump, type_text

from hyper_prime_spiral import settings as app_settings


@pytest.fixture
def llm(make_app, tiny_bundle):
    return open_llm_tab(make_app(), tiny_bundle, seed="3")


def _button_pixels(app, tab) -> np.ndarray:
    surface = pygame.Surface(app.size)
    app.draw(surface)
    return pygame.surfarray.array3d(surface.subsurface(tab.guard_button.rect)).copy()


def test_on_by_default_and_a_click_turns_it_off_for_the_next_reply(llm):
    app, tab = llm
    assert tab.guard_button.label == "Number guard: on" and tab.settings().guard_numbers is True
    before = _button_pixels(app, tab)
    assert tab.guard_button.rect.left >= tab.seed_field.rect.right  # beside the seed, in the panel
    assert tab.panel_rect.contains(tab.guard_button.rect)
    click(app, tab.guard_button.rect.center)
    assert tab.guard_button.label == "Number guard: off" and tab.settings().guard_numbers is False
    assert "Number guard off" in app.status
    assert not np.array_equal(before, _button_pixels(app, tab))  # the new label is drawn
    click(app, tab.guard_button.rect.center)
    assert tab.settings().guard_numbers is True


def test_the_switch_is_remembered(llm, make_app):
    app, tab = llm
    click(app, tab.guard_button.rect.center)
    tab.shutdown()
    assert app_settings.load_settings()[0]["llm"]["guard_numbers"] is False
    again = make_app().tab("LLM")
    again.start()
    assert again.guard_button.label == "Number guard: off" and again.settings().guard_numbers is False


def test_a_bad_saved_value_keeps_the_guard_on_and_says_so(make_app):
    app_settings.update_section("llm", {"guard_numbers": "no"})
    app = make_app()
    tab = app.tab("LLM")
    tab.start()
    assert tab.settings().guard_numbers is True
    assert app.status_error and "guard_numbers" in app.status


def test_the_setting_reaches_the_sampler(llm):
    app, tab = llm
    seen = []

    def spy(bundle, prompt, **sampling):
        seen.append(sampling.get("guard_numbers", True))
        return iter(["ok"])

    tab.session.stream_fn = spy
    for expected in (True, False):
        if not expected:
            click(app, tab.guard_button.rect.center)
        click(app, tab.chat_field.rect.center)
        type_text(app, "factor 5040")
        key(app, pygame.K_RETURN)
        pump(app, lambda: not tab.session.generating)
        assert seen[-1] is expected
