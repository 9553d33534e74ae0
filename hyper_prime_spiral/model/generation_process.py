"""Generation in a separate worker process, so a streaming reply never competes with the UI for the GIL.

Why a process: a small model's decoding is mostly Python overhead between small NumPy calls;
on a generation *thread* it holds the GIL most of the time and the frame loop stutters (and
the reply slows down too). A spawned worker uses the other core. The worker is started once
(about 0.3 s plus imports) and keeps the last model it was sent, so only a model change ships
the parameters again.

`GenerationProcess.stream(...)` has the same signature as `sampling.stream`, so a
`ChatSession` can use either. Closing the returned generator early (Stop) cancels the job in
the worker before its next token.
"""

from __future__ import annotations

import atexit
import collections
import itertools
import multiprocessing as mp
import queue
import threading
from typing import Any

from hyper_prime_spiral.model.bundle import model_parts
from hyper_prime_spiral.threads import environment, single_thread_env

_POLL_S = 0.05


class GenerationProcessError(RuntimeError):
    """The worker process failed or ended unexpectedly (the message says how)."""


def _worker_main(requests: Any, replies: Any, cancelled_upto: Any) -> None:
    """The worker: keeps one model; streams each request's pieces back, tagged by job id."""
    import numpy as np

    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.sampling import stream
    from hyper_prime_spiral.model.tokenizer import tokenizer_from_dict
    from hyper_prime_spiral.process_guard import exit_with_parent

    exit_with_parent()  # the queues never report a dead parent: never outlive the app
    model: tuple[Any, Any, np.ndarray] | None = None
    while True:
        request = requests.get()
        if request is None:
            return
        kind = request[0]
        if kind == "model":
            _, config, tokenizer, tokenizer_files, params = request
            model = (ModelConfig.from_dict(config), tokenizer_from_dict(tokenizer, tokenizer_files), params)
            continue
        _, job, prompt, sampling = request
        try:
            if model is None:
                raise GenerationProcessError("no model was sent to the generation process")
            records: list[Any] = []  # lens records travel with the next text piece: one message
            for piece in stream(model, prompt, **sampling):
                if cancelled_upto.value >= job:
                    break
                if not isinstance(piece, str):
                    records.append(piece)
                elif records:
                    replies.put(("pieces", job, [*records, piece]))
                    records = []
                else:
                    replies.put(("piece", job, piece))
            if records:
                replies.put(("pieces", job, records))
        except Exception as exc:  # reported to the caller, the worker stays alive
            replies.put(("error", job, f"{type(exc).__name__}: {exc}"))
        replies.put(("done", job, None))


class ReplyStream:
    """Iterator over one job's pieces; `cancel()` (any thread) stops the job in the worker."""

    def __init__(self, owner: GenerationProcess, job: int, pieces: queue.SimpleQueue) -> None:
        self._owner = owner
        self._job = job
        self._pieces = pieces
        self._finished = False
        self._batch: collections.deque[Any] = collections.deque()

    def __iter__(self) -> ReplyStream:
        return self

    def __next__(self) -> Any:
        """The next text piece (or lens record, when the job asked for them)."""
        if self._batch:
            return self._batch.popleft()
        if self._finished:
            raise StopIteration
        kind, payload = self._pieces.get()
        if kind == "piece":
            return payload
        if kind == "pieces":  # records and their text in one message (one GIL hand-off, not several)
            self._batch.extend(payload[1:])
            return payload[0]
        self._finished = True
        self._owner._forget(self._job)
        if kind == "error":
            raise GenerationProcessError(payload)
        raise StopIteration

    def cancel(self) -> None:
        self._owner._cancel(self._job)

    def close(self) -> None:
        if not self._finished:
            self.cancel()


class GenerationProcess:
    """A long-lived spawned worker that streams replies (one at a time; a new one cancels the old)."""

    def __init__(self) -> None:
        self._ctx = mp.get_context("spawn")
        self._process: Any = None
        self._requests: Any = None
        self._replies: Any = None
        self._cancelled_upto: Any = None
        self._jobs = itertools.count(1)
        self._model_sent: Any = None
        self._waiting: dict[int, tuple[queue.SimpleQueue, Any]] = {}  # job -> (its pieces, its worker)
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the worker now (optional: `stream` starts it when needed)."""
        with self._lock:
            self._ensure_started()

    def _ensure_started(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        self._requests = self._ctx.Queue()
        self._replies = self._ctx.Queue()
        self._cancelled_upto = self._ctx.Value("q", 0, lock=False)
        self._model_sent = None
        process = self._ctx.Process(
            target=_worker_main,
            args=(self._requests, self._replies, self._cancelled_upto),
            name="hyper-prime-spiral-generation",
            daemon=True,
        )
        # One BLAS/OpenMP thread in the worker: the UI keeps the other core (an idle OpenBLAS
        # thread pool spins and would take it). Set in the environment it is spawned with.
        with environment(single_thread_env()):
            process.start()
        self._process = process
        threading.Thread(
            target=self._dispatch, args=(process, self._replies), name="generation-replies", daemon=True
        ).start()

    def _dispatch(self, process: Any, replies: Any) -> None:
        """Route the worker's messages to the job that asked (runs on a parent thread)."""
        while True:
            try:
                kind, job, payload = replies.get(timeout=_POLL_S)
            except queue.Empty:
                if process.is_alive():
                    continue
                with self._lock:
                    lost = [job for job, (_, owner) in self._waiting.items() if owner is process]
                    orphans = [self._waiting.pop(job)[0] for job in lost]
                    if self._process is process:
                        self._model_sent = None
                message = f"the generation process ended unexpectedly (exit code {process.exitcode})"
                for pieces in orphans:
                    pieces.put(("error", message))
                return
            except (EOFError, OSError):
                return
            with self._lock:
                entry = self._waiting.get(job)
            if entry is not None:
                entry[0].put((kind, payload))

    def stream(self, model: Any, prompt: str, **sampling: Any) -> ReplyStream:
        """Pieces of the reply as the worker produces them (like `sampling.stream`)."""
        with self._lock:
            self._ensure_started()
            job = next(self._jobs)
            self._cancelled_upto.value = job - 1  # any older job still running stops now
            pieces: queue.SimpleQueue = queue.SimpleQueue()
            self._waiting[job] = (pieces, self._process)
            if self._model_sent is not model:
                config, tokenizer, params = model_parts(model)
                files = tokenizer.files()
                self._requests.put(("model", config.to_dict(), tokenizer.to_dict(), files, params))
                self._model_sent = model
            self._requests.put(("generate", job, prompt, sampling))
        return ReplyStream(self, job, pieces)

    def _cancel(self, job: int) -> None:
        with self._lock:
            if self._cancelled_upto is not None and self._cancelled_upto.value < job:
                self._cancelled_upto.value = job

    def _forget(self, job: int) -> None:
        with self._lock:
            self._waiting.pop(job, None)

    def close(self) -> None:
        """Stop the worker (idempotent)."""
        with self._lock:
            process, self._process = self._process, None
            if process is None:
                return
            self._cancelled_upto.value = 1 << 62
            self._requests.put(None)
            waiting, self._waiting = self._waiting, {}
        for pieces, _ in waiting.values():
            pieces.put(("error", "the generation process was closed"))
        process.join(timeout=2)
        if process.is_alive():
            process.terminate()
            process.join(timeout=2)
        for q in (self._requests, self._replies):
            q.cancel_join_thread()
            q.close()


_shared: GenerationProcess | None = None
_shared_lock = threading.Lock()


def shared_generation_process() -> GenerationProcess:
    """The one worker of this Python process (started lazily, stopped at exit)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = GenerationProcess()
            atexit.register(_shared.close)
        return _shared
