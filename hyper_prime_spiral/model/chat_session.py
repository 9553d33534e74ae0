"""The chat controller behind the LLM tab, without any UI: history, prompts, the generation job.

Why a separate module: generation must never block the frame loop, and
the logic (prompt truncation, stop, regenerate, tokens/s, error capture) must be testable
without pygame. The UI only calls `send` / `poll` / `stop` and reads plain attributes.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from hyper_prime_spiral.model.chat_format import (
    AI_ROLE,
    END_OF_TURN,
    USER_ROLE,
    Turn,
    build_prompt,
    clean_reply,
)
from hyper_prime_spiral.model.sampling import SamplingSettings

StreamFn = Callable[..., Iterator[str]]

_DONE = object()  # sentinel a job thread puts in its queue when it ends


def default_stream(bundle: Any, prompt: str, **sampling: Any) -> Iterator[str]:
    """The model package's streaming sampler (imported late so this module loads on its own)."""
    from hyper_prime_spiral.model.sampling import stream

    return stream(bundle, prompt, **sampling)


def visible_reply(raw: str) -> str:
    """The part of a partly generated reply worth showing (the same cut as a finished reply)."""
    return clean_reply(raw)


def truncate_prompt(tokenizer: Any, history: list[Turn], message: str, context_length: int) -> str:
    """The prompt for `message`, cut from the FRONT so it fits in `context_length` tokens.

    Whole old turns are dropped first (so the model sees clean turn boundaries); if the new
    message alone is still too long, its oldest tokens are dropped, keeping the "AI:" ending.
    """
    turns = list(history)
    while True:
        prompt = build_prompt(turns, message)
        ids = tokenizer.encode(prompt)
        if len(ids) <= context_length:
            return prompt
        if not turns:
            return tokenizer.decode(ids[len(ids) - context_length :])
        turns.pop(0)


class GenerationJob:
    """One reply being generated on a background thread; the UI thread polls it.

    `stop()` takes effect at once for the UI (nothing more is returned by `poll`), and the
    thread ends before computing its next token.
    """

    def __init__(self, stream_fn: StreamFn, bundle: Any, prompt: str, settings: SamplingSettings) -> None:
        self.settings = settings
        self.seed = settings.seed if settings.seed is not None else random.randrange(2**31)
        self.text = ""  # raw text received so far (UI thread's view)
        self.tokens = 0
        self.insights: list[Any] = []  # lens records (TokenInsight), one per token, when settings.lens
        self.error: str | None = None
        self.stopped = False
        self.finished = False
        self._started = time.perf_counter()
        self._elapsed: float | None = None
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._stop_event = threading.Event()
        self._stream: Any = None  # the running stream; a process stream can be cancelled from here
        self._thread = threading.Thread(
            target=self._run, args=(stream_fn, bundle, prompt), name="chat-generation", daemon=True
        )
        self._thread.start()

    def _run(self, stream_fn: StreamFn, bundle: Any, prompt: str) -> None:
        s = self.settings
        pieces = None
        extra: dict[str, bool] = {"lens": True} if s.lens else {}  # off: called as it always was
        if not s.guard_numbers:
            extra["guard_numbers"] = False
        try:
            pieces = stream_fn(
                bundle,
                prompt,
                temperature=s.temperature,
                top_k=s.top_k,
                top_p=s.top_p,
                max_tokens=s.max_tokens,
                seed=self.seed,
                **extra,
            )
            self._stream = pieces
            if self._stop_event.is_set():
                self._cancel_stream()
            for piece in pieces:
                if self._stop_event.is_set():
                    break
                self._queue.put(piece)
        except Exception as exc:  # reported to the UI, never raised in its thread
            self._queue.put(exc)
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    pass
            self._queue.put(_DONE)

    def poll(self) -> str:
        """New text since the last call (never blocks); sets `finished` when the job has ended."""
        if self.finished:
            return ""
        new: list[str] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _DONE:
                self._finish()
                break
            if isinstance(item, Exception):
                self.error = f"generation failed: {type(item).__name__}: {item}"
                continue
            if not isinstance(item, str):  # a lens record travels with the text pieces
                self.insights.append(item)
                continue
            new.append(item)
            self.tokens += 1
        added = "".join(new)
        self.text += added
        if not self.finished and self._reached_end_of_turn():
            self.stop()
        return added

    def _reached_end_of_turn(self) -> bool:
        return END_OF_TURN in self.text or f"\n{USER_ROLE}:" in self.text

    def _finish(self) -> None:
        if self._elapsed is None:
            self._elapsed = time.perf_counter() - self._started
        self.finished = True

    def stop(self) -> None:
        """End the job now: the thread stops before its next token; `poll` returns nothing more."""
        self._stop_event.set()
        self._cancel_stream()
        self.stopped = True
        self._finish()

    def _cancel_stream(self) -> None:
        cancel = getattr(self._stream, "cancel", None)
        if cancel is not None:
            cancel()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread (tests and shutdown); True if it has ended."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def elapsed(self) -> float:
        return self._elapsed if self._elapsed is not None else time.perf_counter() - self._started

    @property
    def tokens_per_s(self) -> float:
        elapsed = self.elapsed
        return self.tokens / elapsed if elapsed > 0 else 0.0


class ChatSession:
    """A conversation with the current model: history of turns plus at most one running reply."""

    def __init__(self, bundle: Any = None, *, stream_fn: StreamFn | None = None) -> None:
        self.bundle = bundle
        self.history: list[Turn] = []
        self.insights: dict[int, list[Any]] = {}  # history index of an AI turn -> its lens records
        self.settings = SamplingSettings()
        self.job: GenerationJob | None = None
        self.last_tokens_per_s: float | None = None
        self.last_tokens = 0
        self.last_error: str | None = None
        self.stream_fn = stream_fn or default_stream

    # -- state the UI reads ------------------------------------------------------------
    @property
    def generating(self) -> bool:
        return self.job is not None and not self.job.finished

    @property
    def pending_reply(self) -> str | None:
        """The reply being generated (text so far), or None when no job runs."""
        return visible_reply(self.job.text) if self.job is not None else None

    @property
    def last_reply(self) -> str | None:
        for turn in reversed(self.history):
            if turn.role == AI_ROLE:
                return turn.text
        return None

    # -- actions -------------------------------------------------------------------------
    def set_model(self, bundle: Any) -> None:
        """Switch models (stops a running reply; the conversation is kept)."""
        self.stop()
        self.bundle = bundle

    def send(self, message: str) -> None:
        """Add a user turn and start generating the reply; raises ValueError with a user message."""
        message = message.strip()
        if not message:
            raise ValueError("type a message first")
        if self.bundle is None:
            raise ValueError("no model loaded: train one in the Training tab, or load one by its path")
        if self.generating:
            raise ValueError("a reply is still being generated: press Stop first")
        self._start(list(self.history), message)
        self.history.append(Turn(USER_ROLE, message))

    def regenerate(self) -> None:
        """Replace the last reply (or answer the last unanswered message) with a new one."""
        self.stop()
        if self.bundle is None:
            raise ValueError("no model loaded: train one in the Training tab, or load one by its path")
        if self.history and self.history[-1].role == AI_ROLE:
            self.history.pop()
            self.insights.pop(len(self.history), None)
        if not self.history or self.history[-1].role != USER_ROLE:
            raise ValueError("nothing to regenerate yet: send a message first")
        self._start(self.history[:-1], self.history[-1].text)

    def clear(self) -> None:
        self.stop()
        self.history.clear()
        self.insights.clear()
        self.job = None
        self.last_error = None

    def stop(self) -> None:
        """Stop a running reply now; what was generated so far is kept as the reply."""
        if self.generating:
            assert self.job is not None
            self.job.stop()
            self._complete()

    def poll(self) -> str:
        """New reply text since the last call (non-blocking); completes the turn when the job ends."""
        if self.job is None or self.job.finished:
            return ""
        added = self.job.poll()
        if self.job.finished:
            self._complete()
        return added

    # -- internals -------------------------------------------------------------------------
    def _start(self, history: list[Turn], message: str) -> None:
        prompt = truncate_prompt(self.bundle.tokenizer, history, message, self.bundle.config.context_length)
        self.last_error = None
        self.job = GenerationJob(self.stream_fn, self.bundle, prompt, self.settings)

    def _count_tokens(self, job: GenerationJob) -> int:
        """Tokens of the reply (pieces can hold several tokens, so re-encode when possible)."""
        tokenizer = getattr(self.bundle, "tokenizer", None)
        if tokenizer is None or not job.text:
            return job.tokens
        try:
            return len(tokenizer.encode(job.text))
        except Exception:
            return job.tokens

    def _complete(self) -> None:
        job = self.job
        assert job is not None
        self.last_tokens = self._count_tokens(job)
        self.last_tokens_per_s = self.last_tokens / job.elapsed if job.elapsed > 0 else 0.0
        self.last_error = job.error
        reply = clean_reply(job.text)
        if reply or job.error is None:
            if job.insights:
                self.insights[len(self.history)] = job.insights
            self.history.append(Turn(AI_ROLE, reply))
