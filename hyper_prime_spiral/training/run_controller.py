"""The Training tab's shell around `training/job.py`'s TrainingJob, on its own thread.

The Training tab builds a `TrainingRun`, calls `start()`, and polls `poll()` every frame for
messages (`RunStarted`, `ProgressEvent`, then exactly one `RunSaved` or `RunFailed`). The
thread never raises into the UI: every problem (bad corpus, crashed worker, NaN loss, a full
disk on save) becomes a `RunFailed` with a readable message, and an existing model on disk
is only ever replaced atomically by `storage.save_model`, so a failure leaves it intact.
`stop()` is cooperative: the Trainer ends after the current step, and the model is saved.
"""

from __future__ import annotations

import os
import queue
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ConfigError
from hyper_prime_spiral.model.tokenizer import TokenizerError
from hyper_prime_spiral.storage import ModelFileError
from hyper_prime_spiral.storage.model_dir import check_save_target
from hyper_prime_spiral.training.corpus import CorpusError
from hyper_prime_spiral.training.job import Rescue, TrainingJob
from hyper_prime_spiral.training.presets import TAB_RECIPE, Recipe, SizePreset
from hyper_prime_spiral.training.trainer import ProgressEvent, TrainingCrashed, TrainingError

TRAINING_NICENESS = 5  # CPU priority given up by the training thread and its worker processes


@dataclass(frozen=True)
class NewModel:
    """Train a fresh model and save it at `path` (which must not exist yet)."""

    path: Path
    preset: SizePreset
    tokenizer_kind: str = TAB_RECIPE.tokenizer


@dataclass(frozen=True)
class ContinueModel:
    """Continue training a loaded model (its tokenizer, size, weights, optimizer state) and
    save over its directory atomically, or into `save_to` (a copy: the built-in model is read-only)."""

    bundle: ModelBundle
    save_to: Path | None = None

    @property
    def path(self) -> Path:
        if self.save_to is not None:
            return Path(self.save_to)
        if self.bundle.path is None:
            raise ModelFileError("the loaded model has no directory to save over")
        return Path(self.bundle.path)


@dataclass(frozen=True)
class RunStarted:
    total_steps: int
    train_tokens: int
    val_tokens: int
    workers: int
    note: str = ""


@dataclass(frozen=True)
class RunSaved:
    """Training ended (completed or stopped) and the model is on disk at `path`."""

    bundle: ModelBundle | None
    path: Path | None
    steps: int
    stopped: bool
    message: str


@dataclass(frozen=True)
class RunFailed:
    """Training failed; `message` is one readable line. `bundle` is the trained model when only
    the save failed (kept in memory; the old model on disk is untouched), or, with `path`, the
    weights a crashed run kept, saved there before the failure was reported."""

    message: str
    bundle: ModelBundle | None = None
    path: Path | None = None


Message = RunStarted | ProgressEvent | RunSaved | RunFailed


@dataclass
class TrainingRun:
    """A training job on its own thread; the UI talks to it only through start/stop/poll."""

    corpus_paths: list[Path]
    recipe: Recipe  # the tab's settings (training/presets.py; TAB_RECIPE's defaults)
    target: NewModel | ContinueModel
    niceness: int = TRAINING_NICENESS
    messages: queue.SimpleQueue = field(default_factory=queue.SimpleQueue, repr=False)

    def __post_init__(self) -> None:
        self.corpus_paths = [Path(p) for p in self.corpus_paths]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.result: RunSaved | RunFailed | None = None

    # --- control (UI thread) --------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("this training run was already started")
        self._thread = threading.Thread(target=self._run, name="training-run", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Ask training to end after the current step (the model is then saved)."""
        self._stop.set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread; True when it has ended."""
        if self._thread is not None:
            self._thread.join(timeout)
        return not self.running

    def poll(self, limit: int = 10_000) -> list[Message]:
        """Every message that arrived since the last poll (never blocks)."""
        out: list[Message] = []
        for _ in range(limit):
            try:
                out.append(self.messages.get_nowait())
            except queue.Empty:
                break
        return out

    # --- the job (training thread) ----------------------------------------------------------
    def _run(self) -> None:
        _lower_thread_priority(self.niceness)
        try:
            outcome: RunSaved | RunFailed = self._train_and_save()
        except CorpusError as exc:
            outcome = RunFailed(f"Training data: {exc}")
        except (TrainingError, ConfigError, TokenizerError, ValueError) as exc:
            outcome = RunFailed(f"Training failed: {exc}")
        except ModelFileError as exc:
            outcome = RunFailed(f"Model: {exc}")
        except MemoryError:
            outcome = RunFailed("Training failed: out of memory (choose a smaller size or batch)")
        except Exception as exc:  # a crashed worker, a bug: report, never raise into the UI
            outcome = RunFailed(f"Training failed: {type(exc).__name__}: {exc}")
        self.result = outcome
        self.messages.put(outcome)

    def _train_and_save(self) -> RunSaved | RunFailed:
        overwrite = isinstance(self.target, ContinueModel) and self.target.save_to is None
        check_save_target(self.target.path, overwrite=overwrite)  # before the run, not after it
        if isinstance(self.target, NewModel):
            new = self.target
            recipe, resume = replace(self.recipe, preset=new.preset.name, tokenizer=new.tokenizer_kind), None
        else:
            recipe, resume = self.recipe, self.target.bundle
        job = TrainingJob(
            self.corpus_paths, recipe, resume=resume, save_to=self.target.path, overwrite=overwrite
        )
        workers, _ = recipe.workers_to_use()
        trainer = job.prepare(workers, callback=self.messages.put, stop_event=self._stop)
        self.messages.put(
            RunStarted(
                trainer.total_steps, len(trainer.train_ids), len(trainer.val_ids), workers, job.unknown_note
            )
        )
        if self._stop.is_set():
            return RunFailed("Training stopped before the first step; nothing was saved.")
        try:
            result = job.run()  # on one BLAS thread: the UI and the pool's workers keep the other core
        except TrainingCrashed as exc:  # a worker died: keep what was learnt, then report
            return _crashed(exc, job.rescue(exc))
        try:
            path = job.save(result)
        except (ModelFileError, OSError) as exc:
            return RunFailed(f"Saving failed: {exc}", result.bundle)
        how = "stopped" if result.stopped else "finished"
        loss = (
            f"val loss {result.val_loss:.3f}"
            if result.val_loss is not None
            else f"loss {result.train_loss:.3f}"
        )
        if result.best_step is not None:
            loss += f" at step {result.best_step}, kept: later steps overfit"
        message = f"Training {how} after {result.steps} steps ({loss}); saved {path.name} to {path.parent}"
        return RunSaved(result.bundle, path, result.steps, result.stopped, message)


def _crashed(exc: TrainingCrashed, rescue: Rescue) -> RunFailed:
    if rescue.step is None:
        return RunFailed(f"Training failed: {exc}; nothing worth keeping yet, nothing was saved")
    if rescue.path is None:
        lost = f"the weights of step {rescue.step} were not saved: {rescue.problem}"
        return RunFailed(f"Training failed: {exc}; {lost}")
    saved = f"saved the weights of step {rescue.step} to {rescue.path}"
    return RunFailed(f"Training failed: {exc}; {saved}", rescue.bundle, rescue.path)


def _lower_thread_priority(niceness: int) -> None:
    """Let the UI win the CPU: raise the nice value of this thread only (Linux keeps it per
    thread) and thereby of the worker processes it spawns; the UI thread keeps its priority.
    Elsewhere (or without permission) nothing happens."""
    if niceness <= 0 or not hasattr(os, "setpriority"):
        return
    try:
        tid = threading.get_native_id()
        current = os.getpriority(os.PRIO_PROCESS, tid)
        os.setpriority(os.PRIO_PROCESS, tid, min(19, current + niceness))
    except OSError:
        pass
