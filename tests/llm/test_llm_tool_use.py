"""A reply that consulted the prime engine shows the call and its result in its bubble (LLM tab)."""

from __future__ import annotations

import numpy as np
import pygame
import pytest
from llm_helpers import click, key, pump, type_text
from scripted_generation import scripted_steps

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.ui.widgets import clipboard
from hyper_prime_spiral.ui.widgets.chat_view import TOOL_LABEL
from hyper_prime_spiral.ui.widgets.token_text import TOOL_CALL_LINE


@pytest.fixture
def llm(make_app, monkeypatch):
    """The tab with a small BPE model whose token stream is replaced by a fixed script with a call."""
    tokenizer = build_tokenizer(
        "bpe", "User: factor 91\nAI: <calc>factor 91</calc> so 91 = 7 x 13.<eot>\n", vocab_size=300
    )
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=32, dim=8, layers=1, heads=2)
    bundle = ModelBundle(config, tokenizer, init_params(config))
    app = make_app()
    pump(app, lambda: app.tab("LLM").startup is None)
    app.set_model(bundle, "test model")
    app.switch_tab("LLM")
    tab = app.tab("LLM")
    scripted = scripted_steps(tokenizer, "<calc>factor 91</calc>", " so 91 = 7 x 13.")
    monkeypatch.setattr(sampling, "generate_steps", scripted)
    tab.session.stream_fn = sampling.stream  # in this process, so the scripted model is used
    return app, tab


def test_the_bubble_shows_the_engine_call_and_result_then_the_answer(llm):
    app, tab = llm
    click(app, tab.chat_field.rect.center)
    type_text(app, "factor 91")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)
    reply = tab.chat_view.messages[-1]
    assert reply.role == "ai"
    assert reply.tool_uses_text() == ["factor 91 -> 91 = 7 x 13"]
    surface = pygame.Surface(app.size)
    app.draw(surface)
    assert reply._tool_lines == [TOOL_LABEL + "factor 91 -> 91 = 7 x 13"]
    assert reply._lines == ["so 91 = 7 x 13."]  # the answer, without the tags
    # The labelled line is drawn in the tool colour inside the chat view.
    pixels = pygame.surfarray.array3d(surface.subsurface(tab.chat_view.rect)).reshape(-1, 3)
    assert np.any(np.all(pixels == np.array(TOOL_CALL_LINE), axis=1))
    # The conversation keeps the call and result, so the next prompt shows the model its own call.
    assert "<calc>factor 91</calc><result>91 = 7 x 13</result>" in tab.session.history[-1].text
    # Copy last reply copies the answer the user read.
    tab.copy_last_reply()
    assert clipboard.paste_text() == "so 91 = 7 x 13."


def test_the_tab_s_replies_copy_the_engine_s_numbers(make_app, monkeypatch):
    """A model that restates "5040 = 2^4 x 3^2 x 5 x 7" with "3^4" shows the right factors: the
    LLM tab's generation goes through the number guard (on by default)."""
    text = "User: factor 5040\nAI: <calc>factor 5040</calc> so 5040 = 2^4 x 3^2 x 5 x 7.<eot>\n"
    tokenizer = build_tokenizer("bpe", text, vocab_size=300)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=32, dim=8, layers=1, heads=2)
    app = make_app()
    pump(app, lambda: app.tab("LLM").startup is None)
    app.set_model(ModelBundle(config, tokenizer, init_params(config)), "test model")
    app.switch_tab("LLM")
    tab = app.tab("LLM")
    miscopy = scripted_steps(
        tokenizer, "<calc>factor 5040</calc>", " so 5040 = 2^4 x 3^4 x 5 x 7.", obey_mask=True
    )
    monkeypatch.setattr(sampling, "generate_steps", miscopy)
    tab.session.stream_fn = sampling.stream  # in this process, so the scripted model is used
    click(app, tab.chat_field.rect.center)
    type_text(app, "factor 5040")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)
    app.draw(pygame.Surface(app.size))
    assert tab.chat_view.messages[-1]._lines == ["so 5040 = 2^4 x 3^2 x 5 x 7."]
