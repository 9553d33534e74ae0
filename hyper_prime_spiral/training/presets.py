"""Model size presets and the default training recipe: the one place for both.

The Training tab's size buttons and `train --preset NAME` offer the same names; the numbers are
shown to the user so the choice is never a guess. "small" is the nanoGPT-sized config the design
measures against. `Recipe` is the one settings type of a training job and `CHAT_RECIPE` holds
every default (model size, tokenizer, context, batch, learning rate, time budget...): the recipe
that measured best for chat in bench/chat_quality.py. The CLI, the Training tab and
tools/build_builtin_model.py all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.number_places import DEFAULT_ORDERS, DEFAULT_PLACES
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer_choices import DEFAULT_BPE_VOCAB, DEFAULT_TOKENIZER
from hyper_prime_spiral.training.resources import cap_workers
from hyper_prime_spiral.training.trainer import TrainSettings


@dataclass(frozen=True)
class SizePreset:
    """Architecture of a new model (the context length is chosen separately)."""

    name: str
    layers: int
    dim: int
    heads: int

    def config(self, vocab_size: int, context_length: int, seed: int = 0) -> ModelConfig:
        return ModelConfig(
            vocab_size=vocab_size,
            context_length=context_length,
            dim=self.dim,
            layers=self.layers,
            heads=self.heads,
            seed=seed,
        )

    def n_params(self, vocab_size: int, context_length: int) -> int:
        return ParamLayout(self.config(vocab_size, context_length)).n_params

    def describe(self) -> str:
        """'2 layers · width 64 · 4 heads' (what the size buttons show)."""
        return f"{self.layers} layers · width {self.dim} · {self.heads} heads"


PRESETS: dict[str, SizePreset] = {
    p.name: p
    for p in (
        SizePreset("tiny", layers=2, dim=64, heads=4),
        SizePreset("small", layers=4, dim=128, heads=4),
        SizePreset("medium", layers=6, dim=192, heads=6),
    )
}
DEFAULT_PRESET = "small"


def get_preset(name: str) -> SizePreset:
    """The preset called `name`; ValueError naming the choices otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown model size {name!r} (choose {', '.join(PRESETS)})") from None


@dataclass(frozen=True)
class Recipe:
    """Every choice of a training job, with its default: the one settings type.

    The CLI's flags and the Training tab's fields read their defaults here, and both hand a
    Recipe to `training/job.py`. Length: `steps`, else `epochs`, else a wall-clock budget of
    `minutes`. `workers` 0 means every usable core. `layers`/`dim`/`heads` None take the size
    preset's. `scaled` (the tab's runs) evaluates about EVAL_POINTS times whatever the run's
    length, with `eval_batches` batches, and warms up for at most a tenth of it.

    Measured with bench/chat_quality.py (10 minutes, 2 workers, all shipped corpora, 20 held-out
    questions): whole-word tokens learn the topics in far fewer steps than characters (16/20 on
    topic against 7-9/20 for char, context 256); batch 16; peak learning rate 4e-3 with warmup and
    a cosine to a tenth of it. Context 192: a number question with its call, the engine's result
    and an answer that restates a 15-digit factorisation is about 135 tokens, past 128; in 10
    minutes context 192 answered 19, 18 and 19 of 20 held-out topic questions (3 seeds) against
    17, 16 and 16 for 128, with the same number answers (bench/chat_heldout.py). The tokenizer is
    byte-level BPE (subwords, like words for the topics, but no word is ever unknown and every
    digit is a token, so a number the model never saw can be copied into a prime-engine call).
    """

    # the model (a new one; a continued model keeps its own)
    preset: str = DEFAULT_PRESET
    tokenizer: str = DEFAULT_TOKENIZER  # byte-level BPE: any number is spelled digit by digit
    vocab: int = 4000  # word tokenizer: the most frequent words kept
    bpe_vocab: int = DEFAULT_BPE_VOCAB  # bpe tokenizer: vocabulary size
    layers: int | None = None
    dim: int | None = None
    heads: int | None = None
    tied: bool = True  # the output matrix is the embedding's
    context: int = 192
    number_places: int = DEFAULT_PLACES  # digit-place embedding rows (model/number_places.py); 0: off
    number_orders: int = DEFAULT_ORDERS  # number-order embedding rows (needs places); 0: off
    # the run
    steps: int | None = None
    epochs: float | None = None
    minutes: float = 10.0  # training length when neither steps nor epochs are given
    batch: int = 16
    lr: float = 4e-3
    final_lr: float | None = None  # where the cosine ends (None: lr * min_lr_ratio)
    min_lr_ratio: float = 0.1
    warmup: int = 100
    weight_decay: float = 0.1
    eval_every: int = 250
    eval_batches: int = 20
    scaled: bool = False
    seed: int = 0
    workers: int = 0
    grad_accum: int = 1

    OFFERED_EPOCHS: ClassVar[float] = 10.0  # what the tab's epochs field offers until changed
    EVAL_POINTS: ClassVar[int] = 25  # evaluations of a scaled run

    @property
    def min_lr(self) -> float:
        return self.final_lr if self.final_lr is not None else self.lr * self.min_lr_ratio

    def tokenizer_options(self, kind: str | None = None, vocab: int | None = None) -> dict[str, Any]:
        """Keyword arguments of `build_tokenizer` for `kind` (default: this recipe's)."""
        kind = kind or self.tokenizer
        if kind == "word":
            return {"max_words": vocab or self.vocab}
        if kind == "bpe":
            return {"vocab_size": vocab or self.bpe_vocab}
        return {}

    def model_config(
        self,
        vocab_size: int,
        digit_tokens: tuple[int, ...] = (),
        break_tokens: tuple[int, ...] = (),
        power_tokens: tuple[int, ...] = (),
    ) -> ModelConfig:
        """The config of a new model: the size preset, with any of its numbers overridden.

        Number places (and orders) are on when the vocabulary has digit tokens to count.
        """
        size = get_preset(self.preset)
        places = self.number_places if digit_tokens else 0
        orders = self.number_orders if places else 0
        return ModelConfig(
            vocab_size=vocab_size,
            context_length=self.context,
            dim=self.dim or size.dim,
            layers=self.layers or size.layers,
            heads=self.heads or size.heads,
            tied=self.tied,
            seed=self.seed,
            number_places=places,
            digit_tokens=digit_tokens if places else (),
            number_orders=orders,
            break_tokens=break_tokens if orders else (),
            power_tokens=power_tokens if places else (),
        )

    def workers_to_use(self) -> tuple[int, str]:
        """(processes, why fewer than asked or ""): never more than batch rows or usable cores."""
        return cap_workers(self.workers or None, self.batch)

    def train_settings(self, workers: int, total_steps: int | None = None) -> TrainSettings:
        """The Trainer's settings; a scaled run needs its planned `total_steps`."""
        epochs = self.epochs if self.steps is None else None
        timed = self.steps is None and epochs is None
        warmup, eval_every = self.warmup, self.eval_every
        if self.scaled:
            total = total_steps or self.steps or 1000
            warmup, eval_every = min(self.warmup, total // 10), max(5, total // self.EVAL_POINTS)
        return TrainSettings(
            steps=self.steps,
            epochs=epochs,
            minutes=self.minutes if timed else None,
            batch_size=self.batch,
            lr=self.lr,
            min_lr=self.min_lr,
            warmup=warmup,
            weight_decay=self.weight_decay,
            eval_every=eval_every,
            eval_batches=self.eval_batches,
            seed=self.seed,
            workers=workers,
            grad_accum=self.grad_accum,
        )


CHAT_RECIPE = Recipe()
# The Training tab's runs: evaluation and warm-up in proportion to the run, fewer eval batches.
TAB_RECIPE = replace(CHAT_RECIPE, scaled=True, eval_batches=8)
