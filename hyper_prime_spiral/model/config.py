"""Model hyper-parameters, validated once so every later stage can trust them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


class ConfigError(ValueError):
    """An impossible model configuration (the message says which value and why)."""


@dataclass(frozen=True)
class ModelConfig:
    """Shape of a GPT-style transformer; `tied` shares the output matrix with the token embedding."""

    vocab_size: int
    context_length: int = 64
    dim: int = 128
    layers: int = 4
    heads: int = 4
    mlp_ratio: int = 4
    tied: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("vocab_size", "context_length", "dim", "layers", "heads", "mlp_ratio"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"{name} must be a positive integer, got {value!r}")
        if not isinstance(self.tied, bool):
            raise ConfigError(f"tied must be true or false, got {self.tied!r}")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ConfigError(f"seed must be a non-negative integer, got {self.seed!r}")
        if self.vocab_size < 2:
            raise ConfigError(f"vocab_size must be at least 2, got {self.vocab_size}")
        if self.dim % self.heads:
            raise ConfigError(f"width {self.dim} is not divisible by the number of heads {self.heads}")

    @property
    def head_dim(self) -> int:
        return self.dim // self.heads

    @property
    def hidden_dim(self) -> int:
        return self.dim * self.mlp_ratio

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown model config keys: {sorted(unknown)}")
        return cls(**data)
