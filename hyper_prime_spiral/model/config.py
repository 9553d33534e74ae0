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
    #: rows of the number-place embedding (model/number_places.py); 0: none (models before it)
    number_places: int = 0
    #: ids of the tokens "0" to "9", in that order (places count them)
    digit_tokens: tuple[int, ...] = ()
    #: rows of the number-order embedding (model/number_places.py); 0: none (models before it)
    number_orders: int = 0
    #: ids of the tokens after which the numbers of a stretch count from 1 again
    break_tokens: tuple[int, ...] = ()
    #: ids of the power-sign tokens, which join a base and its exponent into one number
    power_tokens: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for name in ("digit_tokens", "break_tokens", "power_tokens"):
            if isinstance(getattr(self, name), list):  # read back from JSON
                object.__setattr__(self, name, tuple(getattr(self, name)))
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
        self._check_number_places()
        if self.dim % self.heads:
            raise ConfigError(f"width {self.dim} is not divisible by the number of heads {self.heads}")

    def _check_number_places(self) -> None:
        places, digits = self.number_places, self.digit_tokens
        if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= 1024:
            raise ConfigError(f"number_places must be an integer from 0 to 1024, got {places!r}")
        if not self._are_token_ids(digits):
            raise ConfigError(f"digit_tokens must be token ids below {self.vocab_size}, got {digits!r}")
        if digits and len(set(digits)) != 10:
            raise ConfigError(f"digit_tokens must be 10 distinct ids (the digits 0 to 9), got {digits!r}")
        if places == 1 or (places and not digits):
            raise ConfigError("number places need at least 2 places and the ids of the digit tokens")
        orders, breaks = self.number_orders, self.break_tokens
        if not isinstance(orders, int) or isinstance(orders, bool) or not 0 <= orders <= 1024:
            raise ConfigError(f"number_orders must be an integer from 0 to 1024, got {orders!r}")
        if not self._are_token_ids(breaks):
            raise ConfigError(f"break_tokens must be token ids below {self.vocab_size}, got {breaks!r}")
        if orders == 1 or (orders and not places):
            raise ConfigError("number orders need at least 2 orders and number places")
        if breaks and not orders:
            raise ConfigError("break_tokens are only used by number orders: set number_orders or drop them")
        powers = self.power_tokens
        if not self._are_token_ids(powers):
            raise ConfigError(f"power_tokens must be token ids below {self.vocab_size}, got {powers!r}")
        if powers and not places:
            raise ConfigError("power tokens need number places")

    def _are_token_ids(self, ids: object) -> bool:
        return isinstance(ids, tuple) and all(
            isinstance(i, int) and not isinstance(i, bool) and 0 <= i < self.vocab_size for i in ids
        )

    @property
    def head_dim(self) -> int:
        return self.dim // self.heads

    @property
    def hidden_dim(self) -> int:
        return self.dim * self.mlp_ratio

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if not self.number_places:  # a model without places keeps the files it always had
            del data["number_places"], data["digit_tokens"]
        if not self.number_orders:
            del data["number_orders"], data["break_tokens"]
        if not self.power_tokens:
            del data["power_tokens"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelConfig:
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown model config keys: {sorted(unknown)}")
        return cls(**data)
