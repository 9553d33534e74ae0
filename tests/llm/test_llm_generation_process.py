"""The generation worker process: same replies as in-process sampling, cancel, model switch, crashes."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.chat_session import ChatSession
from hyper_prime_spiral.model.generation_process import (
    GenerationProcess,
    GenerationProcessError,
    shared_generation_process,
)
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.sampling import SamplingSettings, generate

SAMPLING = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "max_tokens": 40, "seed": 3}


@pytest.fixture(scope="module")
def worker():
    return shared_generation_process()


def test_replies_match_in_process_sampling(worker, tiny_bundle):
    prompt = "User: is the sky blue\nAI:"
    expected = generate(tiny_bundle, prompt, **SAMPLING)
    assert "".join(worker.stream(tiny_bundle, prompt, **SAMPLING)) == expected
    assert "".join(worker.stream(tiny_bundle, prompt, **{**SAMPLING, "seed": 4})) == generate(
        tiny_bundle, prompt, **{**SAMPLING, "seed": 4}
    )


def test_a_new_model_is_sent_when_it_changes(worker, tiny_bundle):
    import dataclasses

    other = dataclasses.replace(tiny_bundle, params=tiny_bundle.params * 0.5)
    prompt = "User: hello\nAI:"
    assert "".join(worker.stream(other, prompt, **SAMPLING)) == generate(other, prompt, **SAMPLING)
    expected = generate(tiny_bundle, prompt, **SAMPLING)
    assert "".join(worker.stream(tiny_bundle, prompt, **SAMPLING)) == expected


def test_cancel_ends_a_long_reply_early(worker, tiny_bundle):
    pieces = worker.stream(tiny_bundle, "User: hello\nAI:", **{**SAMPLING, "max_tokens": 100_000})
    first = next(pieces)
    pieces.cancel()
    rest = list(pieces)  # the worker stops before its next token and says done
    assert isinstance(first, str) and len(rest) < 100_000


def test_session_through_the_process_stops_at_once(worker, tiny_bundle):
    session = ChatSession(tiny_bundle, stream_fn=worker.stream)
    session.settings = SamplingSettings(max_tokens=1000, temperature=1.0, top_k=0, top_p=1.0, seed=1)
    session.send("hello")
    deadline = time.monotonic() + 20
    while session.job.tokens == 0 and session.generating and time.monotonic() < deadline:
        session.poll()
        time.sleep(0.005)
    session.stop()
    assert not session.generating and session.job.join(10)
    session.send("again")  # the worker is free for the next reply
    while session.generating and time.monotonic() < deadline + 20:
        session.poll()
        time.sleep(0.005)
    assert session.last_error is None and session.history[-1].role == "AI"


def test_errors_in_the_worker_are_reported(worker, tiny_bundle):
    with pytest.raises(GenerationProcessError, match="temperature"):
        list(worker.stream(tiny_bundle, "x", **{**SAMPLING, "temperature": -1.0}))
    assert "".join(worker.stream(tiny_bundle, "User: hi\nAI:", **SAMPLING))  # still alive afterwards


def never_ending(bundle: ModelBundle) -> ModelBundle:
    """A copy whose last LayerNorm outputs a constant vector that favours "a" most: with top-k 1
    every reply is "aaaa..." to max_tokens (a trained model may end its reply before a kill)."""
    params = bundle.params.copy()
    views = ParamLayout(bundle.config).views(params)
    views["head.ln.gain"][:] = 0.0
    views["head.ln.bias"][:] = views["embed.token"][bundle.tokenizer.encode("a")[0]]
    return replace(bundle, params=params, optimizer=None)


def test_a_dead_worker_is_reported_and_replaced(tiny_bundle):
    process = GenerationProcess()
    try:
        assert list(process.stream(tiny_bundle, "User: hi\nAI:", **{**SAMPLING, "max_tokens": 3}))
        process._process.kill()
        process._process.join(5)
        pieces = process.stream(tiny_bundle, "User: hi\nAI:", **SAMPLING)  # starts a new worker
        assert "".join(pieces) == generate(tiny_bundle, "User: hi\nAI:", **SAMPLING)
        endless = {**SAMPLING, "top_k": 1, "max_tokens": 100_000}
        pieces = process.stream(never_ending(tiny_bundle), "User: hi\nAI:", **endless)
        assert next(pieces) == "a"  # a reply that is still being written when the worker dies
        process._process.kill()
        with pytest.raises(GenerationProcessError, match="ended unexpectedly"):
            list(pieces)
    finally:
        process.close()


def test_a_bpe_model_travels_with_its_tokenizer_json(worker):
    """The worker rebuilds a BPE tokenizer from its files() and samples exactly as in-process."""
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params
    from hyper_prime_spiral.model.tokenizer import build_tokenizer

    text = "User: is 97 prime?\nAI: <calc>isprime 97</calc> yes, 97 is prime.<eot>\n" * 3
    tokenizer = build_tokenizer("bpe", text, vocab_size=280)
    config = ModelConfig(tokenizer.vocab_size, context_length=32, dim=16, layers=1, heads=2, seed=2)
    bundle = ModelBundle(config, tokenizer, init_params(config) * 30)
    prompt = "User: is 97 prime?\nAI:"
    assert "".join(worker.stream(bundle, prompt, **SAMPLING)) == generate(bundle, prompt, **SAMPLING)
