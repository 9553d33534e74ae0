"""A tiny model trained for a few steps on the chat corpus answers in the turn format.

Its replies stop at the end-of-turn marker and never run on into the next "User:" turn. The
slice is the corpus's short-answer conversations (greetings, "is N prime?", sums), so a
one-layer char model learns where a turn ends within a few hundred steps.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.chat_format import (
    AI_ROLE,
    END_OF_TURN,
    USER_ROLE,
    Turn,
    build_prompt,
    format_conversation,
    parse_chat_corpus,
)
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries
from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

CHAT = Path(__file__).resolve().parents[2] / "data" / "training" / "chat_corpus.txt"
SLICE_CHARS = 20000
MAX_TOKENS = 200
PROMPTS = [
    "hello",
    "is 15 prime?",
    "thanks!",
    "what is 3 plus 4?",
    "Is 23 prime?",
    "bye",
    "what is the 4th prime?",
    "how are you?",
    "Hi there",
    "is 77 a prime number?",
]


@pytest.fixture(scope="module")
def tiny_model():
    conversations = parse_chat_corpus(CHAT.read_text(encoding="utf-8"))
    short = [c for c in conversations if all(len(t.text) <= 60 for t in c if t.role == AI_ROLE)]
    text = "\n".join(format_conversation(c) for c in short)[:SLICE_CHARS]
    tokenizer = build_tokenizer("char", text)
    config = ModelConfig(tokenizer.vocab_size, context_length=64, dim=32, layers=1, heads=2, seed=0)
    settings = TrainSettings(
        steps=250, batch_size=16, lr=1e-2, min_lr=1e-3, warmup=10, eval_every=10**6, eval_batches=2
    )
    # One BLAS thread: at this size a second one only waits, and it thrashes when the other core is busy.
    before = blas_threads()
    limit_loaded_libraries(1)
    try:
        result = Trainer(config, tokenizer, tokenizer.encode(text), settings).run()
    finally:
        if before is not None:
            limit_loaded_libraries(before)
    return result.bundle


def test_tiny_model_learned_something(tiny_model) -> None:
    """Far below the uniform guess (log of the vocabulary size), so the stop test means something."""
    assert tiny_model.training.train_loss < 0.6 * np.log(tiny_model.config.vocab_size)


def test_replies_stop_at_end_of_turn(tiny_model) -> None:
    eot = tiny_model.tokenizer.eot_id
    stopped = 0
    for seed, message in enumerate(PROMPTS):
        prompt_ids = tiny_model.tokenizer.encode(build_prompt([], message))

        def reply(stop_id: int | None, max_tokens: int, seed: int = seed, prompt_ids=prompt_ids) -> list[int]:
            return list(
                sampling.generate_ids(
                    tiny_model, prompt_ids, temperature=0.5, top_k=0, top_p=1.0, max_tokens=max_tokens,
                    seed=seed, stop_id=stop_id,
                )
            )  # fmt: skip

        ids = reply(eot, MAX_TOKENS)
        if len(ids) < MAX_TOKENS:  # it ended because the model's next token was the marker
            assert reply(None, len(ids) + 1) == [*ids, eot]
            stopped += 1
    assert stopped >= 9, f"only {stopped} of {len(PROMPTS)} replies ended at {END_OF_TURN}"


@pytest.mark.parametrize(
    "history",
    [[], [Turn(USER_ROLE, "hi"), Turn(AI_ROLE, "Hello! What would you like to talk about?")]],
    ids=["first-turn", "with-history"],
)
def test_replies_never_contain_the_next_user_turn(tiny_model, history) -> None:
    for seed, message in enumerate(PROMPTS):
        prompt = build_prompt(history, message)
        reply = sampling.generate(tiny_model, prompt, temperature=1.0, top_k=0, max_tokens=150, seed=seed)
        # A turn starts a line; "User:" inside a line of babble is not a turn (chat_format's rule).
        assert not any(line.lstrip().startswith(f"{USER_ROLE}:") for line in reply.splitlines()), reply
        assert END_OF_TURN not in reply
        assert not reply.startswith(prompt)
