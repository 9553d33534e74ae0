"""tools/make_chat_corpus.py and tools/make_number_facts.py: deterministic, guarded, clear on bad input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools"
DATA = REPO / "data" / "training"


def run_tool(script: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(TOOLS / script), *args], capture_output=True, text=True, timeout=60, cwd=REPO
    )


@pytest.fixture(scope="module")
def chat_tools():
    """The generator modules, imported the way the script imports them (tools/ on sys.path)."""
    sys.path.insert(0, str(TOOLS))
    try:
        import make_chat_corpus
        import make_number_facts

        yield make_chat_corpus, make_number_facts
    finally:
        sys.path.remove(str(TOOLS))


def test_chat_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "chat.txt"
    result = run_tool("make_chat_corpus.py", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (DATA / "chat_corpus.txt").read_bytes()


def test_number_facts_generator_reproduces_the_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "facts.txt"
    result = run_tool("make_number_facts.py", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (DATA / "number_facts.txt").read_bytes()


def test_another_seed_gives_another_corpus(chat_tools) -> None:
    make_chat_corpus, _ = chat_tools
    assert make_chat_corpus.make_corpus(1, 50) != make_chat_corpus.make_corpus(2, 50)
    assert make_chat_corpus.make_corpus(1, 50) == make_chat_corpus.make_corpus(1, 50)


@pytest.mark.parametrize(
    ("script", "args", "message"),
    [
        ("make_chat_corpus.py", ("--count", "0"), "--count must be at least 1"),
        ("make_chat_corpus.py", ("--count", "many"), "invalid int value"),
        ("make_number_facts.py", ("--limit", "1"), "--limit must be at least 2"),
    ],
)
def test_bad_arguments_give_a_clear_message_and_write_nothing(
    tmp_path: Path, script: str, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "out.txt"
    result = run_tool(script, "--out", str(out), *args)
    assert result.returncode == 2
    assert message in result.stderr
    assert not out.exists()


def test_leak_guard_catches_a_heldout_question(chat_tools) -> None:
    make_chat_corpus, _ = chat_tools
    heldout = [{"question": "why do crystals have flat faces", "keywords": ["lattice"]}]
    corpus = "User: Hi, WHY do crystals have flat faces??\nAI: Atoms.<eot>\n"
    assert make_chat_corpus.leaked_heldout(corpus, heldout) == ["why do crystals have flat faces"]
    assert make_chat_corpus.leaked_heldout("User: why do crystals have flat sides\n", heldout) == []


def test_vary_keeps_the_words_and_changes_the_surface(chat_tools) -> None:
    import random

    make_chat_corpus, _ = chat_tools
    rng = random.Random(0)
    seen = {make_chat_corpus.vary("why is the sky blue", rng) for _ in range(200)}
    assert len(seen) >= 6
    for text in seen:
        assert "why is the sky blue" in text.lower()


def test_number_helpers(chat_tools) -> None:
    _, facts = chat_tools
    assert facts.primes_up_to(30) == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert facts.factorise(360) == [2, 2, 2, 3, 3, 5]
    assert facts.factorise(97) == [97]
    assert [facts.ordinal(k) for k in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
    # The clock: 12 hour positions, then 60, 60 and 100; 232 primes in all.
    assert facts.clock_place(1) == ("hour", 1)
    assert facts.clock_place(12) == ("hour", 12)
    assert facts.clock_place(13) == ("minute", 1)
    assert facts.clock_place(133) == ("hundredths", 1)
    assert facts.clock_place(232) == ("hundredths", 100)
    assert facts.clock_place(233) is None
    with pytest.raises(ValueError, match="only whole numbers >= 2"):
        facts.factorise(1)
