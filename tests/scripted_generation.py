"""A stand-in for `sampling.generate_steps` that writes a fixed script and continues after a result.

Tests of the prime-engine loop in the LLM tab and the CLI monkeypatch `sampling.generate_steps`
with it, so the real `sampling.stream` runs the call and inserts the result, in milliseconds.
(A uniquely named module, importable from every test folder.)
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any


def scripted_steps(
    tokenizer: Any, script: str, after_result: str, obey_mask: bool = False
) -> Callable[..., Generator]:
    """generate_steps' replacement: yields `script`'s tokens; once ids are sent back (a result
    was appended), `after_result`'s tokens come next. With `obey_mask`, a token the `allowed`
    mask forbids is dropped when the script's next token is allowed (the model's second choice
    is to go on), else replaced by the lowest id the mask allows."""
    first = [int(t) for t in tokenizer.encode(script)]
    after = [int(t) for t in tokenizer.encode(after_result)]

    def steps(*args: Any, allowed: Callable[[], Any] | None = None, **kwargs: Any) -> Generator:
        queue = list(first)
        while queue:
            token = queue.pop(0)
            mask = allowed() if obey_mask and allowed is not None else None
            if mask is not None and not mask[token]:
                token = queue.pop(0) if queue and mask[queue[0]] else int(mask.nonzero()[0][0])
            appended = yield token, None
            if appended is not None:
                queue = after + queue

    return steps
