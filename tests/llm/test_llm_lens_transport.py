"""Lens records travel from the generation process to the chat session with the text."""

from __future__ import annotations

import time

import numpy as np

from hyper_prime_spiral.model.chat_session import ChatSession
from hyper_prime_spiral.model.generation_process import shared_generation_process
from hyper_prime_spiral.model.lens import TokenInsight
from hyper_prime_spiral.model.sampling import SamplingSettings, stream

SAMPLING = {"temperature": 1.0, "top_k": 5, "top_p": 1.0, "max_tokens": 30, "seed": 11}


def test_the_worker_sends_the_same_insights_as_in_process(tiny_bundle):
    prompt = "User: is the sky blue\nAI:"
    here = list(stream(tiny_bundle, prompt, lens=True, **SAMPLING))
    there = list(shared_generation_process().stream(tiny_bundle, prompt, lens=True, **SAMPLING))
    assert [p for p in there if isinstance(p, str)] == [p for p in here if isinstance(p, str)]
    a = [p for p in here if isinstance(p, TokenInsight)]
    b = [p for p in there if isinstance(p, TokenInsight)]
    assert len(a) == len(b) > 0
    for x, y in zip(a, b, strict=True):
        assert (x.token_id, x.text, x.candidates) == (y.token_id, y.text, y.candidates)
        np.testing.assert_array_equal(x.attention, y.attention)
        np.testing.assert_array_equal(x.context_ids, y.context_ids)


def test_a_session_keeps_the_insights_of_each_reply(tiny_bundle):
    session = ChatSession(tiny_bundle, stream_fn=shared_generation_process().stream)
    session.settings = SamplingSettings(lens=True, **SAMPLING)
    session.send("hello")
    deadline = time.monotonic() + 30
    while session.generating and time.monotonic() < deadline:
        session.poll()
        time.sleep(0.005)
    assert session.history[-1].role == "AI"
    records = session.insights[len(session.history) - 1]
    assert records and all(isinstance(r, TokenInsight) for r in records)
    assert session.job.tokens > 0  # text pieces are still counted, insights are not text
    session.settings = SamplingSettings(**SAMPLING)  # lens off: no records
    session.regenerate()
    while session.generating and time.monotonic() < deadline + 30:
        session.poll()
        time.sleep(0.005)
    assert len(session.history) - 1 not in session.insights and session.job.insights == []
