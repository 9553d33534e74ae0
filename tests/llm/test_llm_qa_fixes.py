"""Regression tests for LLM-tab problems seen in the real window (Xvfb walk-through)."""

from __future__ import annotations

import pygame
import pytest
from llm_helpers import click, key, open_llm_tab, pump, set_field


@pytest.fixture
def llm(make_app, tiny_bundle):
    return open_llm_tab(make_app(), tiny_bundle, seed="7")


def _drawn_speed(tab, monkeypatch) -> list[str]:
    """Texts the chat area draws right of the toolbar (the tokens/s line)."""
    from hyper_prime_spiral.ui import theme

    drawn: list[str] = []
    real = theme.draw_text

    def spy(surface, text, *args, **kwargs):
        drawn.append(text)
        return real(surface, text, *args, **kwargs)

    monkeypatch.setattr(theme, "draw_text", spy)
    tab.draw_content(pygame.Surface(tab.app.size))
    monkeypatch.setattr(theme, "draw_text", real)
    return [t for t in drawn if "tokens/s" in t]


def test_clear_also_clears_the_last_reply_speed(llm, monkeypatch):
    """After Clear the empty chat still showed "143 tokens, 374.2 tokens/s" of a reply now gone."""
    app, tab = llm
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    assert _drawn_speed(tab, monkeypatch)  # shown while the reply is on screen
    click(app, tab.clear_button.rect.center)
    assert not tab.chat_view.messages
    assert _drawn_speed(tab, monkeypatch) == []


def test_regenerate_with_nothing_sent_reads_as_a_sentence(llm):
    app, tab = llm
    click(app, tab.regenerate_button.rect.center)
    assert app.status_error and app.status[:1].isupper(), app.status
