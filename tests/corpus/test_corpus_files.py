"""The shipped corpora: size floors, valid UTF-8, every chat turn parses, every computed fact is true."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from hyper_prime_spiral.model.chat_format import (
    AI_ROLE,
    END_OF_TURN,
    USER_ROLE,
    parse_chat_corpus,
    split_tool_use,
)
from hyper_prime_spiral.primes import large

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "training"
CHAT = DATA / "chat_corpus.txt"
LARGE = DATA / "large_corpus.txt"
FACTS = DATA / "number_facts.txt"
HELDOUT = REPO / "bench" / "heldout_questions.json"

CHAT_MIN_CONVERSATIONS = 2000
LARGE_MIN_WORDS = 25000


def read_utf8(path: Path) -> str:
    """Strict decoding, so a stray byte fails here rather than in the tokenizer."""
    return path.read_bytes().decode("utf-8", errors="strict")


def is_prime(n: int) -> bool:
    """Trial division for small n; the engine's Miller-Rabin (tested on its own) for the up to
    16-digit numbers of the tool-call answers, where trial division would take minutes."""
    if n < 10**10:
        return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))
    return large.is_prime(n)


@pytest.fixture(scope="module")
def chat_text() -> str:
    return read_utf8(CHAT)


@pytest.fixture(scope="module")
def conversations(chat_text: str):
    return parse_chat_corpus(chat_text)


def test_chat_corpus_meets_its_size_floor(conversations) -> None:
    assert len(conversations) >= CHAT_MIN_CONVERSATIONS


def test_every_chat_turn_parses_and_alternates(chat_text: str, conversations) -> None:
    for conv in conversations:
        assert 1 <= len(conv) // 2 <= 3
        assert [t.role for t in conv] == [USER_ROLE, AI_ROLE] * (len(conv) // 2)
    # Nothing was silently dropped: one parsed AI turn per end-of-turn marker in the file.
    assert sum(len(c) // 2 for c in conversations) == chat_text.count(END_OF_TURN)


def test_chat_answers_are_short(conversations) -> None:
    for conv in conversations:
        for turn in conv:
            if turn.role == AI_ROLE:
                _, answer = split_tool_use(turn.text)  # the prime engine's calls and results aside
                sentences = re.findall(r"[.!?](?:\s|$)", answer)
                assert len(sentences) <= 3, turn.text
                assert len(answer) <= 300, turn.text


def test_chat_questions_are_phrased_many_ways(conversations) -> None:
    """The sky question in particular appears in several distinct wordings."""
    sky = {
        re.sub(r"[^a-z ]", "", t.text.lower()).strip()
        for conv in conversations
        for t in conv
        if t.role == USER_ROLE and "sky" in t.text.lower() and "blue" in t.text.lower()
    }
    assert len(sky) >= 8, sky


def test_large_corpus_meets_its_size_floor() -> None:
    assert len(read_utf8(LARGE).split()) >= LARGE_MIN_WORDS


def test_number_facts_are_valid_utf8_and_not_empty() -> None:
    assert len(read_utf8(FACTS).splitlines()) >= 1000


EQUATION = re.compile(r"\b(\d+) = (\d+(?:\^\d+)?(?: x \d+(?:\^\d+)?)+)")  # 360 = 2^3 x 3^2 x 5
SUM = re.compile(r"\b(\d+) \+ (\d+) = (\d+)")
PRIME_CLAIM = re.compile(r"\b(?:Yes, |Yes\. |^)(\d+) is (?:a )?prime(?: number)?\b")
NOT_PRIME_CLAIM = re.compile(r"\b(\d+) is not prime\b")


@pytest.mark.parametrize("path", [CHAT, FACTS], ids=lambda p: p.name)
def test_every_arithmetic_claim_is_true(path: Path) -> None:
    """Products, sums and prime / not-prime claims in the corpora are checked, not trusted."""
    text = read_utf8(path)
    checked = 0
    for total, product in EQUATION.findall(text):
        value = 1
        for f in product.split(" x "):
            base, _, power = f.partition("^")
            value *= int(base) ** int(power or 1)
        assert value == int(total), f"{total} = {product}"
        checked += 1
    for a, b, c in SUM.findall(text):
        assert int(a) + int(b) == int(c)
    for line in text.splitlines():
        for n in NOT_PRIME_CLAIM.findall(line):
            assert not is_prime(int(n)), line
        body = line.removeprefix("AI: ")
        for n in PRIME_CLAIM.findall(body):
            assert is_prime(int(n)), line
    assert checked > 500


@pytest.mark.parametrize("path", [CHAT, FACTS], ids=lambda p: p.name)
def test_prime_factorisations_use_only_primes(path: Path) -> None:
    """In "N = a x b^2 x c" lines of the number facts and the chat's tool answers, every factor is prime."""
    for line in read_utf8(path).splitlines():
        for _, product in EQUATION.findall(line):
            assert all(is_prime(int(f.partition("^")[0])) for f in product.split(" x ")), line


def test_heldout_questions_are_twenty_topics_and_at_least_ten_numbers() -> None:
    heldout = json.loads(read_utf8(HELDOUT))
    topics = [h for h in heldout if "keywords" in h]
    numbers = [h for h in heldout if "check" in h]
    assert len(topics) == 20 and len(numbers) >= 10 and len(topics) + len(numbers) == len(heldout)
    assert len({h["question"] for h in heldout}) == len(heldout)
    for item in topics:
        assert item["question"].strip() and item["keywords"], item
        assert all(k == k.lower() for k in item["keywords"]), item
    calls = {h["check"]["call"] for h in numbers}
    assert calls == {"isprime", "factor", "next", "prev", "count", "nth", "ring"}
    sizes = [h["check"]["n"] for h in numbers]
    assert min(sizes) < 1000 and max(sizes) > 10**14  # small and large N


def test_heldout_questions_never_appear_in_any_corpus(chat_text: str) -> None:
    def flat(text: str) -> str:
        return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "

    heldout = json.loads(read_utf8(HELDOUT))
    corpora = [chat_text, read_utf8(FACTS)] + ([read_utf8(LARGE)] if LARGE.exists() else [])
    for text in corpora:
        flattened = flat(text)
        for item in heldout:
            assert flat(item["question"]) not in flattened, item["question"]


def test_the_tiny_demo_corpus_is_shipped_and_readable() -> None:
    text = (DATA / "sample_training.txt").read_bytes().decode("utf-8")  # raises if not UTF-8
    assert 20 <= len(text.split()) < 5000  # small enough for a 10-second demo run
