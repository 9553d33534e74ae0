"""Text generation: temperature, top-k, top-p on sorted probabilities, KV-cache decoding, streaming.

The reply never contains the prompt: only generated ids are decoded. Generation stops at
`<eot>` (not emitted) and before a following "User:" turn (chat_format), or after
`max_tokens`. When the model closes a prime-engine call (`<calc>factor 91</calc>`), `stream`
runs it (model.prime_tools), appends `<result>...</result>` to the reply and the context, and
the model goes on from there: every generation path (LLM tab, `generate`) shares this loop.

Positions beyond the context length: when the KV cache is full the window slides — the cache is
recomputed from the last 3/4 of the context (positions restart at 0, as in training windows),
so a recompute happens once every context/4 new tokens instead of on every token, and the model
always sees at least 3/4 of a context of history.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from hyper_prime_spiral.model.bundle import model_parts
from hyper_prime_spiral.model.chat_format import (
    AI_LINE,
    MAX_CALLS_PER_REPLY,
    ROLE_LINE_MAX,
    answers_a_user,
    find_closed_call,
    find_role_line,
    format_result,
    invented_result,
    may_become_role_line,
    shown_before_result,
)
from hyper_prime_spiral.model.lens import LensStep, TokenInsight, describe_step, inserted_text, lens_step
from hyper_prime_spiral.model.number_guard import ReplyGuard, guard_for
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.prime_tools import ToolRunner, run_call
from hyper_prime_spiral.model.transformer import Transformer

GREEDY_BELOW = 1e-3  # temperatures at or below this pick the most probable token
KEEP_ON_SLIDE = 0.75  # fraction of the context kept when the window slides
_PROMPT_TAIL = 8  # prompt tokens decoded before the reply, so the reply's first piece is spaced right
_TOO_MANY_CALLS = f"not run: a reply makes at most {MAX_CALLS_PER_REPLY} calls"


MAX_TEMPERATURE = 2.0  # beyond this a small model's text is noise


class SamplingError(ValueError):
    """An impossible sampling setting (the message names the setting and the allowed range)."""


@dataclass(frozen=True)
class SamplingSettings:
    """How a reply is sampled, validated once here for every caller (LLM tab, `chat`, `generate`,
    the sampler itself), so a job never starts with junk and every caller agrees on what is valid."""

    temperature: float = 0.8
    top_k: int = 40
    top_p: float = 0.95
    max_tokens: int = 200
    seed: int | None = None  # None = a fresh random seed for every reply
    lens: bool = False  # also send a TokenInsight per token (model.lens)
    guard_numbers: bool = True  # calls and answers after a result copy numbers (model.number_guard)

    def __post_init__(self) -> None:
        if not 0.0 <= self.temperature <= MAX_TEMPERATURE:
            raise SamplingError(
                f"temperature must be between 0 and {MAX_TEMPERATURE:g}, got {self.temperature}"
            )
        if self.top_k < 0:
            raise SamplingError(f"top-k must be 0 (off) or a positive integer, got {self.top_k}")
        if not 0.0 < self.top_p <= 1.0:
            raise SamplingError(f"top-p must be in (0, 1], got {self.top_p}")
        if self.max_tokens < 1:
            raise SamplingError(f"max new tokens must be at least 1, got {self.max_tokens}")
        if self.seed is not None and self.seed < 0:
            raise SamplingError(f"seed must be a non-negative integer or blank, got {self.seed}")

    def with_changes(self, **changes: Any) -> SamplingSettings:
        return replace(self, **changes)


DEFAULTS = SamplingSettings()


def next_token_probabilities(
    logits: np.ndarray, temperature: float, top_k: int = 0, top_p: float = 1.0
) -> np.ndarray:
    """The distribution the next token is drawn from (float64, sums to 1).

    Tokens are ranked by probability, high to low: top-k keeps the k most probable; top-p
    keeps the smallest prefix of that ranking whose total reaches p. Near-zero temperature
    puts all mass on the most probable token.
    """
    logits = np.asarray(logits, dtype=np.float64).reshape(-1)
    if temperature <= GREEDY_BELOW:
        probs = np.zeros_like(logits)
        probs[int(np.argmax(logits))] = 1.0
        return probs
    z = logits / temperature
    z -= z.max()
    probs = np.exp(z)
    probs /= probs.sum()
    order = np.argsort(-probs, kind="stable")
    keep = len(order)
    if top_k > 0:
        keep = min(keep, top_k)
    if top_p < 1.0:
        cumulative = np.cumsum(probs[order])
        keep = min(keep, int(np.searchsorted(cumulative, top_p)) + 1)
    filtered = np.zeros_like(probs)
    kept = order[:keep]
    filtered[kept] = probs[kept]
    return filtered / filtered.sum()


def generate_ids(model: Any, prompt_ids: np.ndarray, **settings: Any) -> Generator[int, Any, None]:
    """New token ids one at a time (KV-cached): `generate_steps` without the lens records, with
    its keyword settings (temperature, top_k, top_p, max_tokens, seed, stop_id) and defaults.

    Stops at `stop_id` (not yielded) or max_tokens. `send(ids)` instead of `next()` first appends
    `ids` (a tool result) to the context, then returns the token that follows them; appended ids
    do not count against `max_tokens`.
    """
    steps = generate_steps(model, prompt_ids, **settings)
    appended = None
    while True:
        try:
            token, _ = next(steps) if appended is None else steps.send(appended)
        except StopIteration:
            return
        appended = yield token


def generate_steps(
    model: Any,
    prompt_ids: np.ndarray,
    *,
    temperature: float = DEFAULTS.temperature,
    top_k: int = DEFAULTS.top_k,
    top_p: float = DEFAULTS.top_p,
    max_tokens: int = DEFAULTS.max_tokens,
    seed: int | None = None,
    stop_id: int | None = None,
    lens: bool = False,
    allowed: Callable[[], np.ndarray | None] | None = None,
) -> Generator[tuple[int, LensStep | None], Any, None]:
    """(token id, lens record) pairs, else as `generate_ids` (including `send`).

    The record is None unless `lens` (then it costs a little); the lens never changes what
    is sampled: the same seed gives the same tokens either way. `allowed`, called before each
    token is drawn, may return a mask of the tokens that may come next (the number guard);
    the lens still shows the model's own probabilities.
    """
    SamplingSettings(temperature, top_k, top_p, max_tokens, seed)  # the one validator: raises SamplingError
    config, _, flat = model_parts(model)
    transformer = Transformer(config)
    params = ParamLayout(config).views(np.asarray(flat, dtype=np.float32))
    rng = np.random.default_rng(seed)
    context = config.context_length
    keep = max(1, int(context * KEEP_ON_SLIDE))
    history = [int(t) for t in prompt_ids][-context:]
    cache = transformer.new_cache()
    attention: list[np.ndarray] | None = [] if lens else None
    logits = transformer.forward_cached(params, np.array(history), cache, attention)[-1]
    for _ in range(max_tokens):
        mask = allowed() if allowed is not None else None
        chosen_from = logits if mask is None else np.where(mask, logits, -np.inf)
        probs = next_token_probabilities(chosen_from, temperature, top_k, top_p)
        token = int(rng.choice(len(probs), p=probs)) if temperature > GREEDY_BELOW else int(np.argmax(probs))
        if token == stop_id:
            return
        step = lens_step(token, logits, probs, attention, cache.tokens) if attention is not None else None
        appended = yield token, step
        new = [token, *(int(t) for t in appended)] if appended is not None else [token]
        history.extend(new)
        attention = [] if lens else None
        if cache.length + len(new) > context:  # slide the window: rebuild the cache from the recent tokens
            history = history[-keep:]
            cache = transformer.new_cache()
            logits = transformer.forward_cached(params, np.array(history), cache, attention)[-1]
        else:
            logits = transformer.forward_cached(params, np.array(new), cache, attention)[-1]


def stream(
    model: Any,
    prompt: str,
    temperature: float = DEFAULTS.temperature,
    top_k: int = DEFAULTS.top_k,
    top_p: float = DEFAULTS.top_p,
    max_tokens: int = DEFAULTS.max_tokens,
    seed: int | None = None,
    tools: ToolRunner | None = run_call,
    lens: bool = False,
    guard_numbers: bool = DEFAULTS.guard_numbers,
) -> Iterator[str | TokenInsight]:
    """Pieces of the reply's text as they are generated (never the prompt).

    A piece that might begin a role line ("\\nUser:" or "\\nAI:") is held back until it is
    clear; if it is one, generation stops there (the model started another turn), except the
    first "AI:" line after a prompt that does not end inside an AI turn (chat_format.
    answers_a_user): that line starts the model's answer to a raw prompt. A closed
    `<calc>` call is answered by `tools` (None: calls are left as text) and its `<result>`
    becomes part of the reply and of the context; a `<result>` the model writes itself ends
    the reply before it (only the engine answers); inside a call and after a result,
    `guard_numbers` keeps every longer number one of the conversation's (model.number_guard). With
    `lens`, a `TokenInsight` comes before the text of each token, and one for each inserted
    result (text pieces stay as they are).
    """
    _, tokenizer, _ = model_parts(model)
    prompt_ids = tokenizer.encode(prompt)
    if len(prompt_ids) == 0:
        prompt_ids = np.array([tokenizer.eot_id])  # start of a new text
    tail = [int(t) for t in prompt_ids[-_PROMPT_TAIL:]]
    reply_text = ReplyText(tokenizer, tail)
    reply: list[int] = []
    sent = 0  # characters of the reply text already yielded
    scanned = 0  # characters of the reply text already searched for calls (up to the last result)
    calls = 0
    decoded = 0  # characters of the reply text the lens's records cover
    candidate_pieces: dict[int, str] = {}  # decoded text of each candidate token seen so far
    may_answer = answers_a_user(prompt)
    guard = ReplyGuard(guard_for(tokenizer), prompt) if guard_numbers and tools is not None else None
    answer_from = 0  # after the answer's own "AI:" line has begun: the index just past its newline
    tokens = generate_steps(
        model,
        prompt_ids,
        temperature=temperature,
        top_k=top_k,
        top_p=top_p,
        max_tokens=max_tokens,
        seed=seed,
        stop_id=tokenizer.eot_id,
        lens=lens,
        allowed=(lambda: guard.allowed(reply_text.text)) if guard is not None else None,
    )
    appended: list[int] | None = None
    while True:
        try:
            token, step = next(tokens) if appended is None else tokens.send(appended)
        except StopIteration:
            break
        appended = None
        reply.append(token)
        text = reply_text.extend([token])
        if step is not None:  # a token ending inside a UTF-8 character leaves it to the next one
            covered = len(text.rstrip("\ufffd"))
            yield describe_step(step, tokenizer, text[decoded:covered], candidate_pieces)
            decoded = covered
        stop = find_role_line(text, max(0, sent - ROLE_LINE_MAX, answer_from))
        if stop != -1 and may_answer and not answer_from and text.lower().startswith(AI_LINE, stop):
            answer_from = stop + 1  # the model answers the prompt: its "AI:" line is part of the reply
            stop = find_role_line(text, answer_from)
        invented = invented_result(text, scanned) if tools is not None else -1
        if invented != -1 and (stop == -1 or invented < stop):
            stop = invented
        if stop != -1:
            if stop > sent:
                yield text[sent:stop]
            return
        call = find_closed_call(text, scanned) if tools is not None else None
        if call is not None:
            calls += 1
            answer = tools(call.text) if calls <= MAX_CALLS_PER_REPLY else _TOO_MANY_CALLS
            if guard is not None:
                guard.result_added(answer)
            appended = [int(t) for t in tokenizer.encode(format_result(answer))]
            reply.extend(appended)
            text = reply_text.extend(appended)
            scanned = len(text)
            if lens:
                yield inserted_text(text[decoded:], appended)
                decoded = len(text)
        safe = _safe_length(text, answer_from)
        if tools is not None:
            safe = min(safe, shown_before_result(text))
        if safe > sent:
            yield text[sent:safe]
            sent = safe
    text = reply_text.text
    if len(text) > sent:
        yield text[sent:]


class ReplyText:
    """The reply's text (after a few prompt tokens decoded for the spacing of its first piece),
    grown one token at a time. Decoding the whole reply again for every token made a reply of
    n tokens cost n^2 (32,000 tokens: 77 s); here each token costs about the same.

    A tokenizer with `stream_decoder()` (char, word) appends each token's text exactly as
    `decode` would; any other (byte-level BPE) has only the ids since the last complete
    character decoded again: a token may end inside a UTF-8 character (shown as U+FFFD until
    the next token completes it), so those ids stay pending until their text is whole.
    """

    def __init__(self, tokenizer: Any, prompt_tail: list[int]) -> None:
        self._tokenizer = tokenizer
        make_decoder = getattr(tokenizer, "stream_decoder", None)
        self._decoder = make_decoder() if callable(make_decoder) else None
        self.text = ""  # the reply's text so far (complete characters, then any pending ones)
        self._done = ""  # the part of `text` no later token can change
        if self._decoder is not None:
            self._decoder.add(prompt_tail)  # only for the spacing state of the first piece
            self._pending: list[int] = []
            self._skip = 0
        else:
            self._pending = list(prompt_tail)  # decoded with the reply until its text is whole
            self._skip = len(tokenizer.decode(prompt_tail))

    def extend(self, ids: list[int]) -> str:
        """The reply's text after `ids` are appended."""
        if self._decoder is not None:
            self._done += self._decoder.add(ids)
            self.text = self._done
            return self.text
        self._pending.extend(ids)
        pending = self._tokenizer.decode(self._pending)[self._skip :]
        if pending.endswith("\ufffd"):
            self.text = self._done + pending
            return self.text
        self._done += pending
        self._pending.clear()
        self._skip = 0
        self.text = self._done
        return self.text


def _safe_length(text: str, answer_from: int = 0) -> int:
    """How much of `text` can be shown: all but a trailing line that may become a role line
    (other than the answer's own "AI:" line, which ends just before `answer_from`), and all but
    a trailing replacement character (a BPE token may end inside a UTF-8 character that the
    next token completes)."""
    newline = text.rfind("\n")
    if newline != -1 and newline >= answer_from and may_become_role_line(text[newline:]):
        return newline
    return len(text.rstrip("\ufffd"))


def generate(
    model: Any,
    prompt: str,
    temperature: float = DEFAULTS.temperature,
    top_k: int = DEFAULTS.top_k,
    top_p: float = DEFAULTS.top_p,
    max_tokens: int = DEFAULTS.max_tokens,
    seed: int | None = None,
    guard_numbers: bool = DEFAULTS.guard_numbers,
) -> str:
    """The whole reply (the continuation of `prompt` only)."""
    pieces = stream(model, prompt, temperature, top_k, top_p, max_tokens, seed, guard_numbers=guard_numbers)
    return "".join(str(piece) for piece in pieces)
