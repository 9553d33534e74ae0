"""A stand-in for `sampling.generate_steps` that writes a fixed script and continues after a result.

Tests of the prime-engine loop in the LLM tab and the CLI monkeypatch `sampling.generate_steps`
with it, so the real `sampling.stream` runs the call and inserts the result, in milliseconds.
(A uniquely named module, importable from every test folder.)
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any


def scripted_steps(tokenizer: Any, script: str, after_result: str) -> Callable[..., Generator]:
    """generate_steps' replacement: yields `script`'s tokens; once ids are sent back (a result
    was appended), `after_result`'s tokens come next."""
    first = [int(t) for t in tokenizer.encode(script)]
    after = [int(t) for t in tokenizer.encode(after_result)]

    def steps(*args: Any, **kwargs: Any) -> Generator:
        queue = list(first)
        while queue:
            appended = yield queue.pop(0), None
            if appended is not None:
                queue = after + queue

    return steps
