"""The chat controller without UI: prompts, streaming jobs, stop, regenerate."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest

from hyper_prime_spiral.model.chat_format import AI_ROLE, USER_ROLE, Turn, build_prompt
from hyper_prime_spiral.model.chat_session import (
    ChatSession,
    GenerationJob,
    truncate_prompt,
    visible_reply,
)
from hyper_prime_spiral.model.sampling import SamplingError, SamplingSettings


class CharCodes:
    """A stand-in tokenizer: one token per character."""

    def encode(self, text: str) -> np.ndarray:
        return np.array([ord(c) for c in text], dtype=np.int32)

    def decode(self, ids) -> str:
        return "".join(chr(int(i)) for i in ids)


def fake_bundle(context_length: int = 200) -> SimpleNamespace:
    return SimpleNamespace(tokenizer=CharCodes(), config=SimpleNamespace(context_length=context_length))


def scripted_stream(pieces, calls=None, delay=0.0):
    def stream(bundle, prompt, **sampling):
        if calls is not None:
            calls.append((prompt, sampling))
        for piece in pieces:
            if delay:
                time.sleep(delay)
            yield piece

    return stream


def wait_until_done(session: ChatSession, timeout: float = 10.0) -> str:
    text = ""
    deadline = time.monotonic() + timeout
    while session.generating and time.monotonic() < deadline:
        text += session.poll()
        time.sleep(0.001)
    assert not session.generating
    return text


def test_send_streams_reply_and_records_turns():
    calls = []
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream([" Blue", " light", " scatters."], calls))
    session.settings = SamplingSettings(temperature=0.5, top_k=7, top_p=0.9, max_tokens=33, seed=4)
    session.send("is the sky blue")
    assert session.generating
    streamed = wait_until_done(session)
    assert streamed == " Blue light scatters."
    assert session.history == [Turn(USER_ROLE, "is the sky blue"), Turn(AI_ROLE, "Blue light scatters.")]
    prompt, sampling = calls[0]
    assert prompt == build_prompt([], "is the sky blue")
    assert sampling == {"temperature": 0.5, "top_k": 7, "top_p": 0.9, "max_tokens": 33, "seed": 4}
    assert session.last_tokens_per_s is not None and session.last_tokens_per_s > 0


def test_second_message_prompt_contains_the_conversation():
    calls = []
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream(["ok"], calls))
    session.send("hello")
    wait_until_done(session)
    session.send("and then?")
    wait_until_done(session)
    history = [Turn(USER_ROLE, "hello"), Turn(AI_ROLE, "ok")]
    assert calls[1][0] == build_prompt(history, "and then?")


def test_reply_is_cut_at_end_of_turn_and_next_user_turn():
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream(["Yes", ".", "<eot>", "more"]))
    session.send("q")
    wait_until_done(session)
    assert session.last_reply == "Yes."
    assert visible_reply(" Sure\nUser: again") == "Sure"


def test_random_seed_is_drawn_when_blank():
    calls = []
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream(["a"], calls))
    session.send("x")
    wait_until_done(session)
    seed = calls[0][1]["seed"]
    assert isinstance(seed, int) and seed >= 0


def test_stop_ends_generation_at_once_and_keeps_partial_reply():
    release = threading.Event()

    def endless(bundle, prompt, **sampling):
        yield "partial"
        release.wait(5)
        while True:
            yield " more"

    session = ChatSession(fake_bundle(), stream_fn=endless)
    session.send("go")
    deadline = time.monotonic() + 5
    while "partial" not in (session.pending_reply or "") and time.monotonic() < deadline:
        session.poll()
        time.sleep(0.001)
    session.stop()
    assert not session.generating
    assert session.poll() == ""
    release.set()
    assert session.job is not None and session.job.join(5)
    assert session.history[-1] == Turn(AI_ROLE, "partial")


def test_regenerate_replaces_last_reply():
    replies = iter([["first"], ["second"]])

    def stream(bundle, prompt, **sampling):
        yield from next(replies)

    session = ChatSession(fake_bundle(), stream_fn=stream)
    session.send("hi")
    wait_until_done(session)
    session.regenerate()
    wait_until_done(session)
    assert session.history == [Turn(USER_ROLE, "hi"), Turn(AI_ROLE, "second")]


def test_regenerate_without_messages_is_refused():
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream(["x"]))
    with pytest.raises(ValueError, match="nothing to regenerate"):
        session.regenerate()


def test_clear_empties_history_and_stops():
    session = ChatSession(fake_bundle(), stream_fn=scripted_stream(["a"] * 1000, delay=0.001))
    session.send("hi")
    session.clear()
    assert session.history == [] and not session.generating and session.pending_reply is None


def test_send_refuses_without_model_empty_text_or_while_generating():
    session = ChatSession(None, stream_fn=scripted_stream(["a"]))
    with pytest.raises(ValueError, match="Training tab"):
        session.send("hi")
    session.set_model(fake_bundle())
    with pytest.raises(ValueError, match="type a message"):
        session.send("   ")
    session.stream_fn = scripted_stream(["a"] * 1000, delay=0.001)
    session.send("hi")
    with pytest.raises(ValueError, match="Stop"):
        session.send("again")
    session.stop()
    assert session.history[0] == Turn(USER_ROLE, "hi")


def test_errors_in_the_sampler_are_reported_not_raised():
    def broken(bundle, prompt, **sampling):
        yield "half"
        raise RuntimeError("boom")

    session = ChatSession(fake_bundle(), stream_fn=broken)
    session.send("hi")
    wait_until_done(session)
    assert "boom" in session.last_error
    assert session.last_reply == "half"


def test_prompt_is_truncated_from_the_front_to_context_length():
    history = [
        Turn(USER_ROLE, "a" * 30),
        Turn(AI_ROLE, "b" * 30),
        Turn(USER_ROLE, "hello"),
        Turn(AI_ROLE, "hi"),
    ]
    tok = CharCodes()
    full = build_prompt(history, "last")
    assert truncate_prompt(tok, history, "last", 1000) == full
    cut = truncate_prompt(tok, history, "last", 40)
    assert len(cut) <= 40 and cut == build_prompt(history[2:], "last")
    tiny = truncate_prompt(tok, [], "x" * 100, 10)
    assert len(tiny) == 10 and tiny.endswith("AI:")


def test_session_truncates_with_the_model_context():
    calls = []
    session = ChatSession(fake_bundle(context_length=24), stream_fn=scripted_stream(["ok"], calls))
    session.send("z" * 50)
    wait_until_done(session)
    assert len(calls[0][0]) == 24 and calls[0][0].endswith("AI:")


@pytest.mark.parametrize(
    "changes, word",
    [
        ({"temperature": 2.5}, "temperature"),
        ({"temperature": -0.1}, "temperature"),
        ({"top_k": -1}, "top-k"),
        ({"top_p": 0.0}, "top-p"),
        ({"max_tokens": 0}, "max new tokens"),
        ({"seed": -3}, "seed"),
    ],
)
def test_bad_sampling_settings_are_refused_with_a_message(changes, word):
    with pytest.raises(SamplingError, match=word):
        SamplingSettings().with_changes(**changes)


def test_job_tokens_per_second_counts_pieces():
    job = GenerationJob(scripted_stream(["a", "b", "c"]), None, "p", SamplingSettings(seed=1))
    assert job.join(5)
    job.poll()
    assert job.finished and job.tokens == 3 and job.tokens_per_s > 0
