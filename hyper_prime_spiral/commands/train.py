"""`hyper-prime-spiral train FILE... --out DIR`: train a model headless and save it.

Progress: a bar on stderr when it is a terminal, one plain line per evaluation when it is not
(a log file, nohup, CI). With --json, JSON lines on stdout, each with an "event" key: "progress"
(every few seconds), "eval" (each evaluation), then "done" or "error". Ctrl+C stops after the current step and
still saves the model (a second Ctrl+C aborts without saving).
Started by `mpiexec -n R`, it is one rank of a data-parallel job (`commands/train_cluster.py`).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from hyper_prime_spiral.commands import UsageError
from hyper_prime_spiral.commands.arguments import (
    non_negative_float,
    non_negative_int,
    positive_float,
    positive_int,
)
from hyper_prime_spiral.formatting import format_duration
from hyper_prime_spiral.model.tokenizer_choices import MAX_BPE_VOCAB, MIN_BPE_VOCAB, TOKENIZER_KINDS
from hyper_prime_spiral.training.presets import CHAT_RECIPE, PRESETS, Recipe

RECIPE = CHAT_RECIPE  # every default of a new model and its run (training/presets.py)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a model on text files and save it")
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="UTF-8 text files (the corpus); a bare name such as chat_corpus.txt that is not in the "
        "working folder is looked up in the corpus folders the Training tab lists (shipped ones included)",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--out", metavar="DIR", help="model directory to write (default: a dated name in the models folder)"
    )
    where.add_argument("--name", metavar="NAME", help="save as NAME in the default models folder")
    p.add_argument("--overwrite", action="store_true", help="replace an existing model at the target")
    p.add_argument(
        "--resume",
        metavar="MODEL",
        help="continue this model, a directory or a name `models` lists (saved back to it by default)",
    )
    p.add_argument(
        "--allow-unknown",
        action="store_true",
        help="with --resume: train even when over 5%% of the corpus is unknown to the model's vocabulary",
    )
    p.add_argument(
        "--preset",
        choices=tuple(PRESETS),
        default=RECIPE.preset,
        help="model size: " + "; ".join(f"{n} = {p.describe()}" for n, p in PRESETS.items()),
    )
    p.add_argument(
        "--tokenizer",
        choices=TOKENIZER_KINDS,
        default=RECIPE.tokenizer,
        help="how text is split into tokens: byte-level BPE (subwords, never unknown), characters or words",
    )
    p.add_argument(
        "--vocab-size",
        type=positive_int,
        default=RECIPE.bpe_vocab,
        help=f"bpe tokenizer: vocabulary size ({MIN_BPE_VOCAB}-{MAX_BPE_VOCAB})",
    )
    p.add_argument(
        "--max-vocab",
        type=positive_int,
        default=RECIPE.vocab,
        help="word tokenizer: most frequent words kept",
    )
    p.add_argument("--layers", type=positive_int, help="transformer blocks (default: from --preset)")
    p.add_argument(
        "--heads", type=positive_int, help="attention heads, must divide --dim (default: from --preset)"
    )
    p.add_argument("--dim", type=positive_int, help="embedding width (default: from --preset)")
    p.add_argument(
        "--context", type=positive_int, default=RECIPE.context, help="tokens the model sees at once"
    )
    p.add_argument(
        "--untied", action="store_true", help="separate output matrix (default: tied to the embedding)"
    )
    p.add_argument(
        "--number-places",
        type=non_negative_int,
        default=RECIPE.number_places,
        help="places of the digit-place embedding that helps copy numbers; 0 turns it off",
    )
    p.add_argument(
        "--number-orders",
        type=non_negative_int,
        default=RECIPE.number_orders,
        help="rows of the number-order embedding (which number of its line a digit is in); 0 turns it off",
    )
    p.add_argument("--batch", type=positive_int, default=RECIPE.batch, help="sequences per micro-batch")
    length = p.add_mutually_exclusive_group()
    length.add_argument(
        "--minutes",
        type=positive_float,
        help=f"wall-clock training budget; the learning rate decays over it (default: {RECIPE.minutes:g})",
    )
    length.add_argument("--steps", type=positive_int, help="optimizer steps (default: use --minutes)")
    length.add_argument(
        "--epochs", type=positive_float, help="passes over the training text (default: use --minutes)"
    )
    p.add_argument("--lr", type=positive_float, default=RECIPE.lr, help="peak learning rate")
    p.add_argument(
        "--min-lr",
        type=non_negative_float,
        help=f"learning rate at the end of the cosine decay (default: --lr x {RECIPE.min_lr_ratio:g})",
    )
    p.add_argument("--warmup", type=non_negative_int, default=RECIPE.warmup, help="steps of linear warm-up")
    p.add_argument(
        "--weight-decay", type=non_negative_float, default=RECIPE.weight_decay, help="AdamW weight decay"
    )
    p.add_argument(
        "--eval-every",
        type=positive_int,
        default=RECIPE.eval_every,
        help="steps between validation-loss evaluations",
    )
    p.add_argument(
        "--seed", type=non_negative_int, default=RECIPE.seed, help="seed of the weights and the batches"
    )
    p.add_argument(
        "--workers",
        type=positive_int,
        default=None,
        help="processes (default: all cores); 1 = in this process, with BLAS on one thread "
        "(a second BLAS thread gains little and collapses when the other core is busy)",
    )
    p.add_argument(
        "--grad-accum", type=positive_int, default=RECIPE.grad_accum, help="micro-batches per step"
    )
    p.add_argument("--json", action="store_true", help="JSON progress lines on stdout")


def run(args: argparse.Namespace) -> int:
    from hyper_prime_spiral.commands import train_cluster

    cluster = train_cluster.join()  # None unless mpiexec started us
    try:
        return _train(args, cluster)
    except UsageError as exc:
        if cluster is not None:
            exc = train_cluster.usage_error(cluster, exc)
            if not cluster.is_root:
                return 2  # rank 0 reports every rank's problem
        if args.json:
            _print_json({"event": "error", "message": str(exc)})
        raise exc from None
    finally:
        if cluster is not None:
            cluster.finish()


def _fail(args: argparse.Namespace, message: str) -> int:
    """A failure after the input was accepted: one stderr line (and a JSON line), exit status 1."""
    print(f"hyper-prime-spiral: {message}", file=sys.stderr)
    if args.json:
        _print_json({"event": "error", "message": message})
    return 1


def recipe_from(args: argparse.Namespace) -> Recipe:
    """The job's settings: the flags given, CHAT_RECIPE for the rest (the flags' defaults are its own)."""
    return replace(
        RECIPE,
        preset=args.preset,
        tokenizer=args.tokenizer,
        vocab=args.max_vocab,
        bpe_vocab=args.vocab_size,
        layers=args.layers,
        dim=args.dim,
        heads=args.heads,
        tied=not args.untied,
        number_places=args.number_places,
        number_orders=args.number_orders,
        context=args.context,
        steps=args.steps,
        epochs=args.epochs,
        minutes=args.minutes or RECIPE.minutes,
        batch=args.batch,
        lr=args.lr,
        final_lr=args.min_lr,
        warmup=args.warmup,
        weight_decay=args.weight_decay,
        eval_every=args.eval_every,
        seed=args.seed,
        workers=args.workers or RECIPE.workers,
        grad_accum=args.grad_accum,
    )


def _train(args: argparse.Namespace, cluster: Any = None) -> int:
    # Imports here so `hyper-prime-spiral --help` stays fast.
    from hyper_prime_spiral.commands import train_cluster
    from hyper_prime_spiral.model.config import ConfigError
    from hyper_prime_spiral.storage.model_dir import ModelFileError, load_model
    from hyper_prime_spiral.training.corpus import CorpusError
    from hyper_prime_spiral.training.job import TrainingJob
    from hyper_prime_spiral.training.trainer import TrainingCrashed, TrainingError

    args.files = [_corpus_path(name) for name in args.files]
    recipe = recipe_from(args)
    if cluster is not None and not args.workers:
        recipe = replace(recipe, workers=cluster.default_workers())
    job = TrainingJob(args.files, recipe)
    try:
        job.read_corpus()
    except CorpusError as exc:
        raise UsageError(str(exc)) from None
    if args.resume:
        try:
            args.resume = str(_resume_path(args))  # a model name becomes its directory, once
            job.resume = load_model(args.resume)
        except ModelFileError as exc:
            raise UsageError(f"cannot resume: {exc}") from None
    target = _target(args) if cluster is None or cluster.is_root else None  # rank 0 alone saves
    job.save_to = target
    job.overwrite = args.overwrite or target == _resume_path(args)
    try:
        workers, why = recipe.workers_to_use()
        if why and args.workers:
            print(f"note: {why}", file=sys.stderr)
        if workers > 1 and not _pool_available():
            print("note: parallel training is not available; training in one process", file=sys.stderr)
            workers = 1
        stop = threading.Event()
        request = stop if cluster is None else threading.Event()  # ranks agree on stopping (cluster)
        reporter = _Reporter(args.json, extra={"ranks": cluster.size} if cluster else None)
        job.prepare(
            workers,
            callback=reporter if cluster is None or cluster.is_root else None,
            stop_event=stop,
            engine_factory=cluster.engine_factory(request, stop) if cluster else None,
            evaluate=cluster is None or cluster.is_root,  # rank 0 alone evaluates
            ranks=cluster.size if cluster else None,
        )
        if job.unknown_note and not args.allow_unknown:
            raise UsageError(
                f"{job.unknown_note}; training on it would overwrite the model with noise "
                "(use another corpus, or --allow-unknown)"
            )
    except (ConfigError, CorpusError, ValueError) as exc:
        raise UsageError(str(exc)) from None

    if cluster is not None:
        train_cluster.ready(cluster, args, _print_json, job.digest)
    with _stop_on_interrupt(request, announce=cluster is None or cluster.is_root):
        try:
            result = job.run()
        except (TrainingError, RuntimeError, OSError) as exc:  # NaN loss, a crashed worker, no shm
            reporter.finish()
            if cluster is not None:
                return train_cluster.training_failed(cluster, exc, lambda m: _fail(args, m))
            if isinstance(exc, TrainingCrashed):  # a worker died: keep what the run had learnt, say where
                return _fail(args, f"training failed: {exc}{_rescued(job.rescue(exc))}")
            return _fail(args, f"training failed: {exc}")
    reporter.finish()
    if cluster is not None:
        status = train_cluster.final_check(cluster, lambda m: _fail(args, m))
        if status is not None:
            return status
    try:
        path = job.save(result)
    except ModelFileError as exc:
        return _fail(args, f"could not save the model: {exc}")
    if args.json:
        _print_json(
            {
                "event": "done",
                "path": str(path),
                "val_loss": result.val_loss,
                "steps": result.steps,
                "kept_step": result.best_step or result.steps,
                "elapsed_s": round(result.elapsed_s, 3),
                "stopped": result.stopped,
                **(train_cluster.done_fields(cluster) if cluster else {}),
            }
        )
    else:
        val = f"{result.val_loss:.4f}" if result.val_loss is not None else "n/a"
        if result.best_step is not None:
            val += f" (the weights of step {result.best_step}: later steps overfit)"
        how = "stopped" if result.stopped else "done"
        print(f"{how}: {result.steps} steps in {result.elapsed_s:.1f} s, validation loss {val}; saved {path}")
    return 0


def _rescued(rescue: Any) -> str:
    """The tail of the one-line report of a crashed run: where the weights it kept went (or why not)."""
    if rescue.step is None:
        return "; no weights worth keeping yet, nothing was saved"
    if rescue.path is None:
        return f"; the weights of step {rescue.step} could not be saved: {rescue.problem}"
    return f"; saved the weights of step {rescue.step} to {rescue.path}"


def _corpus_path(name: str) -> str:
    """`name` itself when it exists, else the listed corpus of that name (shipped or the user's)."""
    from hyper_prime_spiral.training.corpus_files import listed_corpus

    if Path(name).expanduser().exists():
        return name
    found = listed_corpus(name)
    return str(found) if found is not None else name  # a missing file is reported by load_corpus


def _resume_path(args: argparse.Namespace) -> Path | None:
    """The model directory --resume names (a path, or a name `models` lists); ModelFileError if none."""
    from hyper_prime_spiral.storage.search import resolve_model_reference

    return resolve_model_reference(args.resume) if args.resume else None


def _target(args: argparse.Namespace) -> Path:
    """Where the model will be saved; checked before training so no training is lost to a bad path."""
    from hyper_prime_spiral.storage.model_dir import ModelFileError, check_save_target
    from hyper_prime_spiral.storage.search import model_path_for_name

    try:
        if args.out is not None:
            target = Path(args.out).expanduser().absolute()
        elif args.name is not None or not args.resume:
            name = args.name if args.name is not None else datetime.now().strftime("model-%Y%m%d-%H%M%S")
            target = model_path_for_name(name)
        else:
            from hyper_prime_spiral.storage.search import writable_target

            target = writable_target(_resume_path(args))  # the built-in model is read-only: a copy
        replacing = args.overwrite or target == _resume_path(args)
        check_save_target(target, overwrite=replacing)
    except ModelFileError as exc:
        if "already exists" in str(exc):
            raise UsageError(f"{target}: already exists (use --overwrite to replace it)") from None
        raise UsageError(str(exc)) from None
    return target


def _pool_available() -> bool:
    try:
        from hyper_prime_spiral.training.pool_engine import PoolEngine  # noqa: F401
    except ImportError:
        return False
    return True


class _stop_on_interrupt:
    """First Ctrl+C or SIGTERM: stop after the current step (the model is still saved);
    a second one aborts without saving."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, stop: threading.Event, announce: bool = True) -> None:
        self.stop = stop
        self.announce = announce
        self.previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: Any) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.stop.set()
        if self.announce:
            name = "Ctrl+C" if signum == signal.SIGINT else signal.Signals(signum).name
            print(f"\n{name}: stopping after this step (again to abort without saving)", file=sys.stderr)

    def __enter__(self) -> _stop_on_interrupt:
        if threading.current_thread() is threading.main_thread():
            for signum in self.SIGNALS:
                self.previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, previous in self.previous.items():
            signal.signal(signum, previous)


def _print_json(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


class _Reporter:
    """Turns progress events into JSON lines, a terminal progress bar, or plain log lines."""

    BAR_WIDTH = 30
    MIN_INTERVAL_S = 0.2
    JSON_PROGRESS_INTERVAL_S = 2.0

    def __init__(
        self, json_lines: bool, terminal: bool | None = None, extra: dict[str, Any] | None = None
    ) -> None:
        self.json = json_lines
        self.extra = extra or {}  # fields added to every JSON line (e.g. ranks)
        terminal = sys.stderr.isatty() if terminal is None else terminal
        self.bar = not json_lines and terminal
        self.log_lines = not json_lines and not terminal
        self.last_draw = 0.0
        self.last_json = time.monotonic()
        self.last_val: float | None = None

    def __call__(self, event: Any) -> None:
        now = time.monotonic()
        if event.val_loss is not None:
            self.last_val = event.val_loss
            if self.json:
                self.last_json = now
                self._print_event(
                    "eval", event, epoch=round(event.epoch, 4), val_loss=round(event.val_loss, 5)
                )
            if self.log_lines:
                sys.stderr.write(f"{self._status(event)}\n")
                sys.stderr.flush()
        elif self.json and now - self.last_json >= self.JSON_PROGRESS_INTERVAL_S:
            self.last_json = now
            self._print_event("progress", event)
        if self.bar and (event.done or now - self.last_draw >= self.MIN_INTERVAL_S):
            self.last_draw = now
            filled = int(self.BAR_WIDTH * event.step / event.total_steps)
            sys.stderr.write(f"\r[{'#' * filled}{'-' * (self.BAR_WIDTH - filled)}] {self._status(event)}  ")
            sys.stderr.flush()

    def _print_event(self, kind: str, event: Any, **fields: Any) -> None:
        """One JSON line: the fields every progress line has, then `fields`, then `extra`."""
        _print_json(
            {
                "event": kind,
                "step": event.step,
                "total_steps": event.total_steps,
                "train_loss": round(event.train_loss, 5),
                "tokens_per_s": round(event.tokens_per_s, 1),
                "elapsed_s": round(event.elapsed_s, 3),
                "eta_s": round(event.eta_s, 1),
                **fields,
                **self.extra,
            }
        )

    def _status(self, event: Any) -> str:
        val = f" val {self.last_val:.3f}" if self.last_val is not None else ""
        return (
            f"step {event.step}/{event.total_steps} loss {event.train_loss:.3f}{val} "
            f"{event.tokens_per_s:,.0f} tok/s ETA {format_duration(event.eta_s)}"
        )

    def finish(self) -> None:
        if self.bar:
            sys.stderr.write("\n")
