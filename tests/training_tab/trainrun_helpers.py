"""Shared helpers for the training-tab tests: small corpora and a bounded wait for a run."""

from __future__ import annotations

import time
from pathlib import Path

from hyper_prime_spiral.training.run_controller import RunFailed, RunSaved, TrainingRun

TEXT_A = "User: what is a prime?\nAI: A number with exactly two divisors.<eot>\n\n" * 12
TEXT_B = "Light bends in water; crystals grow in quiet rooms. " * 40


def write_corpus(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a, b = folder / "a_chat.txt", folder / "b_prose.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return [a, b]


def finish(run: TrainingRun, timeout: float = 60.0) -> tuple[list, RunSaved | RunFailed]:
    """All messages of a started run, waiting at most `timeout` seconds for its end."""
    messages: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages.extend(run.poll())
        if messages and isinstance(messages[-1], RunSaved | RunFailed):
            return messages, messages[-1]
        time.sleep(0.01)
    raise AssertionError(f"the training run did not end within {timeout} s")
