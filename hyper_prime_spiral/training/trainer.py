"""The training loop: batches -> gradient engine -> progress events, with a cooperative stop.

The Trainer knows nothing about the UI or the terminal: it reports `ProgressEvent`s to a
callback (the CLI prints them, the training tab plots them) and checks a `threading.Event`
after every step, so STOP ends training after the current step and still returns a model.
"""

from __future__ import annotations

import itertools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np

from hyper_prime_spiral.model.bundle import ModelBundle, OptimizerState
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings, lr_at
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.model.transformer import Transformer
from hyper_prime_spiral.threads import one_blas_thread
from hyper_prime_spiral.training.data import (
    DEFAULT_VAL_FRACTION,
    check_trainable,
    fixed_batches,
    random_batch,
    split_tokens,
)
from hyper_prime_spiral.training.gradient_engine import EngineError, GradientEngine
from hyper_prime_spiral.training.resources import check_memory, usable_cores


class TrainingError(RuntimeError):
    """Training cannot go on (e.g. the loss became NaN); the message says why."""


TIME_BUDGET_EVALUATIONS = 20  # validation evaluations of a run with a time budget
TIME_BUDGET_FIRST_GUESS = 1000  # planned steps of a timed run before its first step is measured


class TrainingCrashed(TrainingError):
    """A worker died mid-run. `result` holds the weights worth keeping (the kept best, else the
    last step's), so the caller can save them before reporting; None when there are none."""

    def __init__(self, message: str, result: TrainResult | None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class TrainSettings:
    """How long and how to train. Exactly one of `steps` / `epochs` / `minutes` decides the length.

    With `minutes` (a wall-clock budget, evaluations included) the cosine learning-rate schedule
    follows the share of the budget used: its length in steps is re-estimated every step from
    the speed so far, so the rate reaches its floor when the time is up, on any machine.
    Evaluations then come every 1/TIME_BUDGET_EVALUATIONS of the budget instead of `eval_every`.
    The CLI and the Training tab build it from their `presets.Recipe` (`Recipe.train_settings`),
    which owns the user-facing defaults; the defaults here serve direct callers (tests, benches).
    """

    steps: int | None = None
    epochs: float | None = None
    minutes: float | None = None
    batch_size: int = 12
    lr: float = 1e-3
    min_lr: float = 1e-4
    warmup: int = 100
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.99
    clip: float = 1.0
    eval_every: int = 250
    eval_batches: int = 20
    val_fraction: float = DEFAULT_VAL_FRACTION
    val_spread: bool = True  # held-out blocks from all through the text (False: the tail, as nanoGPT)
    seed: int = 0
    workers: int = 1
    grad_accum: int = 1
    keep_best: bool = True  # return the weights of the lowest validation loss, not the last ones

    def __post_init__(self) -> None:
        if sum(value is not None for value in (self.steps, self.epochs, self.minutes)) != 1:
            raise ValueError("give exactly one of steps, epochs or minutes")
        if self.minutes is not None and not (math.isfinite(self.minutes) and self.minutes > 0):
            raise ValueError(f"minutes must be positive, got {self.minutes}")
        if self.steps is not None and self.steps < 1:
            raise ValueError(f"steps must be at least 1, got {self.steps}")
        if self.epochs is not None and not self.epochs > 0:
            raise ValueError(f"epochs must be positive, got {self.epochs}")
        for name in ("batch_size", "eval_every", "workers", "grad_accum"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not (self.lr > 0 and 0 <= self.min_lr <= self.lr):
            raise ValueError(f"need 0 < lr and 0 <= min_lr <= lr, got lr={self.lr}, min_lr={self.min_lr}")
        if self.warmup < 0 or self.eval_batches < 0:
            raise ValueError("warmup and eval_batches must not be negative")

    def optimizer(self) -> AdamWSettings:
        return AdamWSettings(self.beta1, self.beta2, 1e-8, self.weight_decay, self.clip)

    def total_steps(self, train_tokens: int, context: int) -> int:
        """Planned steps; for a time budget a first guess (the run re-estimates it as it goes)."""
        if self.steps is not None:
            return self.steps
        if self.minutes is not None:
            return max(2 * self.warmup, TIME_BUDGET_FIRST_GUESS)
        per_step = self.batch_size * context
        return max(1, math.ceil(self.epochs * train_tokens / per_step))


@dataclass(frozen=True)
class ProgressEvent:
    """One step's report. `val_loss` is set only on evaluation steps; `done` on the last event."""

    step: int
    total_steps: int
    epoch: float
    train_loss: float
    val_loss: float | None
    tokens_per_s: float
    elapsed_s: float
    eta_s: float
    lr: float = 0.0
    grad_norm: float = 0.0
    done: bool = False
    stopped: bool = False


@dataclass
class TrainResult:
    bundle: ModelBundle
    steps: int
    train_loss: float
    val_loss: float | None
    elapsed_s: float
    stopped: bool
    history: list[ProgressEvent] = field(default_factory=list)
    best_step: int | None = None  # the step whose weights were kept, when it is not the last


def make_engine(
    config: ModelConfig, params: np.ndarray, settings: TrainSettings, state: OptimizerState | None
) -> GradientEngine:
    """InProcessEngine for one worker, else the shared-memory pool (imported only when needed)."""
    if settings.workers <= 1:
        from hyper_prime_spiral.training.in_process_engine import InProcessEngine

        return InProcessEngine(
            config, params, settings.optimizer(), grad_accum=settings.grad_accum, state=state
        )
    from hyper_prime_spiral.training.pool_engine import PoolEngine

    return PoolEngine(
        config,
        params,
        settings.optimizer(),
        workers=settings.workers,
        grad_accum=settings.grad_accum,
        state=state,
    )


def default_workers() -> int:
    """Every core this process may use (affinity and cgroup quota, not the machine's count)."""
    return usable_cores()


class Trainer:
    """Trains a model on token ids; `run()` returns a TrainResult whose bundle is ready to save."""

    def __init__(
        self,
        config: ModelConfig,
        tokenizer: Any,
        token_ids: np.ndarray,
        settings: TrainSettings,
        *,
        params: np.ndarray | None = None,
        optimizer_state: OptimizerState | None = None,
        callback: Callable[[ProgressEvent], None] | None = None,
        stop_event: threading.Event | None = None,
        record: TrainingRecord | None = None,
        engine_factory: Callable[..., Any] | None = None,
        evaluate: bool = True,
    ) -> None:
        """`engine_factory` (default `make_engine`, same arguments) lets a caller run the steps
        on another GradientEngine, e.g. `training.cluster`'s data-parallel one over MPI;
        `evaluate=False` skips validation (a cluster's other ranks: rank 0 evaluates).
        `record`: what the caller knows of the run (corpus, tokenizer, the model resumed, and in
        `total_steps` the steps the weights had before it); the result's record adds the rest."""
        if tokenizer.vocab_size != config.vocab_size:
            raise ValueError(
                f"tokenizer has {tokenizer.vocab_size} tokens, model expects {config.vocab_size}"
            )
        check_memory(config, settings.batch_size, settings.workers, len(token_ids))  # before any buffer
        self.config = config
        self.tokenizer = tokenizer
        self.settings = settings
        self.callback = callback
        self.stop_event = stop_event or threading.Event()
        self.record = record or TrainingRecord()
        self.engine_factory = engine_factory or make_engine
        self.train_ids, self.val_ids = split_tokens(
            np.asarray(token_ids), settings.val_fraction, settings.val_spread
        )
        check_trainable(self.train_ids, config.context_length)
        self.layout = ParamLayout(config)
        if params is None:
            params = init_params(config)
        elif params.shape != (self.layout.n_params,):
            raise ValueError(f"params have shape {params.shape}, the model needs ({self.layout.n_params},)")
        self.params = np.ascontiguousarray(params, dtype=np.float32).copy()
        self.optimizer_state = optimizer_state
        self.total_steps = settings.total_steps(len(self.train_ids), config.context_length)
        self.val_batches = (
            fixed_batches(
                self.val_ids,
                settings.batch_size,
                config.context_length,
                settings.eval_batches,
                seed=settings.seed + 1,
            )
            if evaluate
            else []
        )

    def stop(self) -> None:
        """Ask the loop to end after the current step."""
        self.stop_event.set()

    def evaluate(self, params: np.ndarray, model: Transformer | None = None) -> float | None:
        """Mean loss over the fixed validation batches (None when there is no held-out text)."""
        if not self.val_batches:
            return None
        model = model or Transformer(self.config)
        views = self.layout.views(params)
        return float(np.mean([model.loss(views, x, y) for x, y in self.val_batches]))

    def run(self) -> TrainResult:
        """Train to the end (or to a stop); this process's BLAS runs on one thread meanwhile.

        One thread because multi-threaded OpenBLAS collapses (measured 5x) when the other core
        is busy (the UI, the pool's workers, another program) and gains little when it is idle;
        pool workers pin their own BLAS to one thread. NumPy's overflow warnings are off: a
        diverging run is detected by its non-finite loss or weights and reported in one line.
        """
        with one_blas_thread(), np.errstate(all="ignore"):
            return self._run()

    def _run(self) -> TrainResult:
        s, c = self.settings, self.config
        rng = np.random.default_rng(s.seed)
        engine = self.engine_factory(c, self.params, s, self.optimizer_state)
        eval_model = Transformer(c)
        tokens_per_step = s.batch_size * c.context_length
        history: list[ProgressEvent] = []
        started = time.perf_counter()
        train_time = 0.0
        loss = val_loss = float("nan")
        best = _BestWeights()
        step = 0
        budget_s = s.minutes * 60.0 if s.minutes is not None else None
        next_eval_s = budget_s / TIME_BUDGET_EVALUATIONS if budget_s is not None else math.inf
        try:
            for step in itertools.count(1):
                if budget_s is not None and step > 1:
                    # Steps the budget allows at the speed so far (at least one more than done).
                    so_far = time.perf_counter() - started
                    self.total_steps = max(step, round((step - 1) * budget_s / max(so_far, 1e-9)))
                x, y = random_batch(self.train_ids, s.batch_size, c.context_length, rng)
                lr = lr_at(step - 1, s.lr, s.min_lr, s.warmup, self.total_steps)
                t0 = time.perf_counter()
                try:
                    loss, norm = engine.step(x, y, lr)
                except EngineError as exc:  # a pool worker died or failed: keep what was learnt
                    rescued = self._rescue(engine, best, step - 1, loss, val_loss, started, train_time)
                    raise TrainingCrashed(f"step {step}: {exc}", rescued) from exc
                train_time += time.perf_counter() - t0
                if not math.isfinite(loss):
                    raise TrainingError(_diverged("loss", loss, step))
                stopping = self.stop_event.is_set()
                elapsed = time.perf_counter() - started
                if budget_s is not None and elapsed + elapsed / step > budget_s:
                    self.total_steps = step  # the next step would end after the budget
                last = step == self.total_steps or stopping
                val = None
                timed_eval = elapsed >= next_eval_s
                if timed_eval:
                    next_eval_s += budget_s / TIME_BUDGET_EVALUATIONS  # type: ignore[operator]
                if last or timed_eval or (budget_s is None and step % s.eval_every == 0):
                    val = self.evaluate(engine.params, eval_model)
                    if val is not None and not math.isfinite(val):
                        raise TrainingError(_diverged("validation loss", val, step))
                    val_loss = val if val is not None else val_loss
                    if s.keep_best and val is not None and not last:
                        best.offer(step, val, engine)
                elapsed = time.perf_counter() - started
                speed = step * tokens_per_step / train_time if train_time > 0 else 0.0
                event = ProgressEvent(
                    step=step,
                    total_steps=self.total_steps,
                    epoch=step * tokens_per_step / len(self.train_ids),
                    train_loss=loss,
                    val_loss=val,
                    tokens_per_s=speed,
                    elapsed_s=elapsed,
                    eta_s=elapsed / step * (self.total_steps - step),
                    lr=lr,
                    grad_norm=norm,
                    done=last,
                    stopped=stopping,
                )
                history.append(event)
                if self.callback is not None:
                    self.callback(event)
                if last:
                    break
            self.params, state = _snapshot(engine)
        finally:
            engine.close()
        if not np.isfinite(self.params).all():  # the last update is checked by no later loss
            raise TrainingError(_diverged("weights", "non-finite (NaN or infinity)", step))
        return self._result(self.params, state, best, step, loss, val_loss, started, train_time, history)

    def _rescue(
        self,
        engine,
        best: _BestWeights,
        step: int,
        loss: float,
        val_loss: float,
        started: float,
        train_time: float,
    ) -> TrainResult | None:
        """After a crash: the kept best weights, else the engine's last ones if they are finite."""
        if best.params is not None:
            params, state = best.params, best.state
        elif step >= 1:
            try:
                params, state = _snapshot(engine)
            except Exception:  # the engine is broken beyond reading: nothing to keep
                return None
        else:
            return None
        if not np.isfinite(params).all():
            return None
        return self._result(params, state, best, step, loss, val_loss, started, train_time, [])

    def _result(
        self,
        params: np.ndarray,
        state: OptimizerState,
        best: _BestWeights,
        step: int,
        loss: float,
        val_loss: float,
        started: float,
        train_time: float,
        history: list[ProgressEvent],
    ) -> TrainResult:
        """The finished run: the kept best weights when they beat the last ones, and the record."""
        s, c = self.settings, self.config
        tokens_per_step = s.batch_size * c.context_length
        elapsed = time.perf_counter() - started
        final_val = val_loss if math.isfinite(val_loss) else None
        best_step = last_val = None
        rescued_best = best.params is not None and params is best.params
        if rescued_best or (best.params is not None and final_val is not None and best.val_loss < final_val):
            params, state, best_step = best.params, best.state, best.step
            last_val, final_val = final_val, best.val_loss
        self.params = params
        record = replace(
            self.record,
            steps=step,
            total_steps=(self.record.total_steps or 0) + step,
            total_steps_planned=self.total_steps,
            stopped_early=step < self.total_steps,
            budget_minutes=s.minutes,
            train_loss=loss,
            val_loss=final_val,
            kept_step=best_step or step,
            last_step_val_loss=last_val if last_val is not None else final_val,
            elapsed_s=round(elapsed, 3),
            tokens_per_s=round(step * tokens_per_step / train_time, 1) if train_time else None,
            train_tokens=int(len(self.train_ids)),
            val_tokens=int(len(self.val_ids)),
            settings=asdict(s),
            finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
            extra=dict(self.record.extra),
        )
        bundle = ModelBundle(c, self.tokenizer, self.params, record, state)
        return TrainResult(
            bundle, step, loss, final_val, elapsed, step < self.total_steps, history, best_step
        )


def _diverged(what: str, value: object, step: int) -> str:
    return f"the {what} became {value} at step {step}; try a lower learning rate (nothing was saved)"


class _BestWeights:
    """A copy of the weights (and AdamW moments) at the lowest validation loss seen so far.

    Small corpora overfit within minutes (docs/design.md, "Measured reasons"), so the saved
    model is the best one evaluated, as early stopping would give, without guessing the length
    in advance.
    """

    def __init__(self) -> None:
        self.step = 0
        self.val_loss = math.inf
        self.params: np.ndarray | None = None
        self.state: OptimizerState | None = None

    def offer(self, step: int, val_loss: float, engine: GradientEngine) -> None:
        if val_loss >= self.val_loss:
            return
        self.step, self.val_loss = step, val_loss
        self.params, self.state = _snapshot(engine)


def _snapshot(engine: GradientEngine) -> tuple[np.ndarray, OptimizerState]:
    """Private copies of the engine's weights and AdamW state (the engine's buffers live on);
    `optimizer_state()` already returns a copy."""
    return np.array(engine.params, dtype=np.float32, copy=True), engine.optimizer_state()
