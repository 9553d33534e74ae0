"""What the LLM tab shows of a model being read off the UI thread (run with `run_in_background`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from hyper_prime_spiral.storage.errors import ModelFileError


@dataclass
class ModelLoad:
    """A model load in progress: its folder, when it started and the share of bytes read so far.

    `path` is None for the start-up search for the newest model (its total is unknown).
    """

    path: Path | None
    started: float = field(default_factory=time.perf_counter)
    fraction: float = 0.0  # of the tensor bytes read (written by the loading thread)

    def progress(self, done: int, total: int) -> None:
        """The storage layer's `load_model(..., progress=)` callback."""
        self.fraction = done / total if total else 1.0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


def load_error_message(path: Path | None, exc: BaseException) -> str:
    """One status line for a failed load; a ModelFileError already names the file and the problem."""
    message = str(exc) or type(exc).__name__
    if isinstance(exc, ModelFileError):
        return message
    return f"cannot load {path}: {type(exc).__name__}: {message}"
