"""Model size presets for new models: the one place that says what "tiny", "small", "medium" mean.

The Training tab and the CLI offer these names; the numbers are shown to the user so the
choice is never a guess. "small" is the nanoGPT-sized config the design measures against.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout


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
