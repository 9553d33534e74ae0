"""Model size presets and the default training recipe: the one place for both.

The Training tab's size buttons and `train --preset NAME` offer the same names; the numbers are
shown to the user so the choice is never a guess. "small" is the nanoGPT-sized config the design
measures against. `CHAT_RECIPE` holds every default of a new model (tokenizer, context, batch,
learning rate, time budget): the recipe that measured best for chat in bench/chat_quality.py.
The CLI, the Training tab and tools/build_builtin_model.py all read it from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer_choices import DEFAULT_BPE_VOCAB, DEFAULT_TOKENIZER


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
    """Defaults of a new model and its training run (any of them can be changed by the user).

    Measured with bench/chat_quality.py (10 minutes, 2 workers, all shipped corpora, 20 held-out
    questions): whole-word tokens learn the topics in far fewer steps than characters (16/20 on
    topic against 7-9/20 for char, context 256); context 128 holds a question with its answer;
    batch 16; peak learning rate 4e-3 with warmup and a cosine to a tenth of it. The tokenizer is
    byte-level BPE (subwords, like words for the topics, but no word is ever unknown and every
    digit is a token, so a number the model never saw can be copied into a prime-engine call).
    """

    preset: str = DEFAULT_PRESET
    tokenizer: str = DEFAULT_TOKENIZER  # byte-level BPE: any number is spelled digit by digit
    vocab: int = 4000  # word tokenizer: the most frequent words kept
    bpe_vocab: int = DEFAULT_BPE_VOCAB  # bpe tokenizer: vocabulary size
    context: int = 128
    batch: int = 16
    lr: float = 4e-3
    min_lr_ratio: float = 0.1  # the cosine ends at lr * this
    warmup: int = 100
    minutes: float = 10.0  # training length: a wall-clock budget (steps or epochs replace it)

    @property
    def min_lr(self) -> float:
        return self.lr * self.min_lr_ratio

    def tokenizer_options(self, kind: str | None = None, vocab: int | None = None) -> dict[str, Any]:
        """Keyword arguments of `build_tokenizer` for `kind` (default: this recipe's)."""
        kind = kind or self.tokenizer
        if kind == "word":
            return {"max_words": vocab or self.vocab}
        if kind == "bpe":
            return {"vocab_size": vocab or self.bpe_vocab}
        return {}


CHAT_RECIPE = Recipe()
