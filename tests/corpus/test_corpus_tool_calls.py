"""Tool calls in the chat corpus, and a tiny model that learns to write them for unseen numbers."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.chat_format import (
    AI_ROLE,
    build_prompt,
    find_closed_call,
    parse_chat_corpus,
    split_tool_use,
)
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.prime_tools import TOOLS_BY_VERB, run_call
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries
from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

CHAT = Path(__file__).resolve().parents[2] / "data" / "training" / "chat_corpus.txt"


@pytest.fixture(scope="module")
def tool_turns():
    conversations = parse_chat_corpus(CHAT.read_text(encoding="utf-8"))
    turns = [t.text for c in conversations for t in c if t.role == AI_ROLE and "<calc>" in t.text]
    return [(split_tool_use(text), text) for text in turns]


def test_every_call_in_the_corpus_carries_the_engines_real_result(tool_turns):
    assert len(tool_turns) > 1000
    verbs = set()
    for (uses, answer), _ in tool_turns:
        assert uses and answer
        for use in uses:
            assert use.result == run_call(use.call)
            verbs.add(use.call.split()[0])
    assert verbs == set(TOOLS_BY_VERB)


def test_numbers_span_all_magnitudes_and_answers_copy_the_result(tool_turns):
    digits = set()
    for (uses, answer), _ in tool_turns:
        n = uses[0].call.split()[1]
        digits.add(len(n))
        if not uses[0].result.startswith("cannot"):
            assert n in answer  # the answer names the number it was asked about
            # and every number of the answer comes from the call or the result (nothing guessed)
            known = set(re.findall(r"\d+", " ".join(u.call + " " + u.result for u in uses)))
            assert set(re.findall(r"\d+", answer)) <= known | {"1", "2"}, answer
    assert set(range(1, 16)) <= digits  # 2 .. 10^15, every length
    refusals = [answer for (uses, answer), _ in tool_turns if uses[0].result.startswith("cannot")]
    assert refusals and all("10^18" in a or "10^8" in a for a in refusals)


# --- a tiny model learns the call format in a few seconds ---------------------------------------
QUESTIONS = {
    "isprime": ("is {n} prime?", "is {n} a prime number?", "{n} prime?"),
    "factor": ("factor {n}", "what are the prime factors of {n}?", "factorise {n}"),
}
UNSEEN = (123457, 9876543, 31415926, 271828, 55555, 1000003, 424242, 8675309, 99991, 7)


@pytest.fixture(scope="module")
def tool_model():
    """1 layer, width 32, 300 steps on 3,000 tool-call-only conversations (a few seconds)."""
    rng = random.Random(0)
    lines = []
    while len(lines) < 3000:
        verb = rng.choice(tuple(QUESTIONS))
        digits = rng.randint(1, 9)
        n = rng.randint(10 ** (digits - 1), 10**digits - 1)
        if n in UNSEEN:
            continue
        question = rng.choice(QUESTIONS[verb]).format(n=n)
        lines.append(f"User: {question}\nAI: <calc>{verb} {n}</calc><eot>\n")
    text = "\n".join(lines)
    tokenizer = build_tokenizer("bpe", text, vocab_size=300)
    config = ModelConfig(tokenizer.vocab_size, context_length=48, dim=32, layers=1, heads=4, seed=0)
    settings = TrainSettings(
        steps=300, batch_size=16, lr=1e-2, min_lr=1e-3, warmup=20, eval_every=10**6, eval_batches=2
    )
    before = blas_threads()
    limit_loaded_libraries(1)
    try:
        return Trainer(config, tokenizer, tokenizer.encode(text), settings).run().bundle
    finally:
        if before is not None:
            limit_loaded_libraries(before)


def test_tiny_model_emits_a_well_formed_call_for_unseen_numbers(tool_model):
    for i, n in enumerate(UNSEEN):
        verb = tuple(QUESTIONS)[i % 2]
        prompt = build_prompt([], QUESTIONS[verb][i % 3].format(n=n))
        reply = "".join(sampling.stream(tool_model, prompt, temperature=0, max_tokens=30, tools=None))
        call = find_closed_call(reply)
        assert call is not None, reply
        result = run_call(call.text)
        assert not result.startswith(("cannot read", "unknown call")), (reply, result)
        assert call.text.split()[0] == verb, reply
