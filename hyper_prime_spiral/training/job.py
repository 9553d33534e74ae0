"""One training job: corpus -> tokenizer and model -> Trainer -> saved model.

Why one module: `train` (commands/train.py, also each MPI rank of commands/train_cluster.py)
and the Training tab (training/run_controller.py) used to do these steps each in their own
way and drifted apart. They are now thin shells around `TrainingJob`: the shells choose the
settings (a `Recipe`), where to save, and how to report; the job does the rest the same way
for both, including the training record saved with the model and the rescue of the weights
a crashed run kept.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.number_places import break_token_ids, digit_token_ids, power_token_ids
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import ModelFileError, save_model
from hyper_prime_spiral.training.corpus import encode_corpus, load_corpus
from hyper_prime_spiral.training.data import split_tokens, unknown_problem
from hyper_prime_spiral.training.presets import Recipe
from hyper_prime_spiral.training.trainer import (
    ProgressEvent,
    Trainer,
    TrainingCrashed,
    TrainResult,
    TrainSettings,
)


@dataclass(frozen=True)
class Rescue:
    """What became of the weights a crashed run kept: saved at `path`, or `problem` says why not."""

    step: int | None  # the step of the weights kept (None: none were worth keeping)
    path: Path | None = None
    bundle: ModelBundle | None = None
    problem: str = ""


class TrainingJob:
    """prepare() -> run() -> save(): one run from text files to a model directory.

    `resume` continues a loaded model (its tokenizer, size, weights and AdamW state); otherwise a
    new model is built from `recipe`. `save_to` None means this process does not save (an MPI
    rank other than 0); `overwrite` allows replacing a model there. (The CLI sets these three
    after `read_corpus`, so a bad corpus is reported first, as it always was.)
    """

    def __init__(
        self,
        corpus: Sequence[str | Path],
        recipe: Recipe,
        *,
        resume: ModelBundle | None = None,
        save_to: Path | None = None,
        overwrite: bool = False,
    ) -> None:
        self.corpus = [Path(p) for p in corpus]
        self.recipe = recipe
        self.resume = resume
        self.save_to = save_to
        self.overwrite = overwrite
        self.trainer: Trainer | None = None
        self.settings: TrainSettings | None = None
        self.unknown_note = ""  # a continued model's vocabulary misses much of the corpus
        self.digest = ""  # of the ids, the model and the settings: equal on every MPI rank
        self._text: str | None = None

    # --- prepare -------------------------------------------------------------------------
    def read_corpus(self) -> None:
        """Read the text files now (CorpusError), e.g. to report a bad file before anything else."""
        self._text = load_corpus(self.corpus)

    def prepare(
        self,
        workers: int,
        *,
        callback: Callable[[ProgressEvent], None] | None = None,
        stop_event: threading.Event | None = None,
        engine_factory: Callable[..., Any] | None = None,
        evaluate: bool = True,
        ranks: int | None = None,
    ) -> Trainer:
        """Read the corpus, build or take the tokenizer and model, and the Trainer.

        Raises CorpusError, TokenizerError, ConfigError or ValueError (bad input) before any step."""
        if self._text is None:
            self.read_corpus()
        text, self._text = self._text or "", None
        if self.resume is not None:
            tokenizer, config = self.resume.tokenizer, self.resume.config
        else:
            recipe = self.recipe
            tokenizer = build_tokenizer(recipe.tokenizer, text, **recipe.tokenizer_options())
            numbers = digit_token_ids(tokenizer), break_token_ids(tokenizer), power_token_ids(tokenizer)
            config = recipe.model_config(tokenizer.vocab_size, *numbers)
        ids = encode_corpus(tokenizer, text)
        corpus_chars = len(text)
        del text  # a few bytes per token from here on, not the text as well
        if self.resume is not None:
            self.unknown_note = unknown_problem(ids, tokenizer) or ""
        total = None
        if self.recipe.scaled:  # evaluation and warm-up follow the planned length
            first = self.recipe.train_settings(workers)
            train_tokens = len(split_tokens(ids, first.val_fraction, first.val_spread)[0])
            total = first.total_steps(train_tokens, config.context_length)
        self.settings = settings = self.recipe.train_settings(workers, total)
        self.trainer = Trainer(
            config,
            tokenizer,
            ids,
            settings,
            params=self.resume.params if self.resume is not None else None,
            optimizer_state=self.resume.optimizer if self.resume is not None else None,
            callback=callback,
            stop_event=stop_event,
            record=self._record(tokenizer.kind, corpus_chars, ranks),
            engine_factory=engine_factory,
            evaluate=evaluate,
        )
        if ranks is not None:
            self.digest = fingerprint(ids, config, settings)
        return self.trainer

    def _record(self, tokenizer_kind: str, corpus_chars: int, ranks: int | None) -> TrainingRecord:
        """What the job knows before the run; the Trainer adds the run's results."""
        record = TrainingRecord(
            corpus_files=[str(p) for p in self.corpus],
            corpus_chars=corpus_chars,
            tokenizer=tokenizer_kind,
            ranks=ranks,
        )
        if self.resume is None:
            record.size_preset = self.recipe.preset
            return record
        before = self.resume.training
        record.size_preset = before.size_preset
        record.total_steps = before.steps_so_far()
        if self.resume.path is not None:
            record.resumed_from = str(Path(self.resume.path).absolute())
        return record

    # --- run and save ----------------------------------------------------------------------
    def run(self) -> TrainResult:
        """Train (raises TrainingError, TrainingCrashed with the weights worth keeping, OSError)."""
        if self.trainer is None:
            raise RuntimeError("prepare() the job before running it")
        return self.trainer.run()

    def save(self, result: TrainResult) -> Path:
        """Write the trained model atomically (ModelFileError names the file on failure)."""
        if self.save_to is None:
            raise ModelFileError("this process does not save the model (another rank does)")
        path = save_model(self.save_to, result.bundle, overwrite=self.overwrite)
        result.bundle.path = path
        return path

    def rescue(self, crash: TrainingCrashed) -> Rescue:
        """Save the weights a crashed run kept, so what it learnt is not lost with the worker."""
        result = crash.result
        if result is None:
            return Rescue(None)
        step = result.best_step or result.steps
        try:
            path = self.save(result)
        except (ModelFileError, OSError) as exc:
            return Rescue(step, problem=str(exc))
        return Rescue(step, path, result.bundle)


def fingerprint(ids: np.ndarray, config: Any, settings: TrainSettings) -> str:
    """A digest of what must be equal on every MPI rank: the token ids, the model and the recipe.

    (Not the worker count, which may follow each host's cores.)"""
    recipe = {k: v for k, v in asdict(settings).items() if k != "workers"}
    h = hashlib.blake2b(json.dumps([config.to_dict(), recipe], sort_keys=True).encode(), digest_size=8)
    h.update(memoryview(np.ascontiguousarray(ids).tobytes()))
    return h.hexdigest()
