"""One flat float32 buffer holds every parameter; named tensors are views into it.

Why flat: the optimizer, gradient reduction across worker processes (shared memory),
clipping and file storage all work on one contiguous array, while the model code sees
ordinary named matrices. The names below are the stable public names used in files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.number_places import NOT_A_DIGIT


@dataclass(frozen=True)
class TensorSlot:
    """Where one named tensor lives inside the flat buffer."""

    name: str
    shape: tuple[int, ...]
    offset: int

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def decays(self) -> bool:
        """AdamW weight decay applies to matrices only (nanoGPT's rule: 2-D tensors)."""
        return len(self.shape) == 2


def block_prefix(layer: int) -> str:
    return f"block.{layer}."


def tensor_shapes(config: ModelConfig) -> list[tuple[str, tuple[int, ...]]]:
    """Every parameter, in storage order. Matrices are (in, out): y = x @ W + b."""
    d, h, v, t = config.dim, config.hidden_dim, config.vocab_size, config.context_length
    shapes: list[tuple[str, tuple[int, ...]]] = [
        ("embed.token", (v, d)),
        ("embed.position", (t, d)),
    ]
    if config.number_places:
        shapes.append(("embed.place", (config.number_places, d)))
        shapes.append(("embed.previous_digit", (NOT_A_DIGIT + 1, d)))
    if config.number_orders:
        shapes.append(("embed.number_order", (config.number_orders, d)))
    for layer in range(config.layers):
        p = block_prefix(layer)
        shapes += [
            (p + "ln1.gain", (d,)),
            (p + "ln1.bias", (d,)),
            (p + "attn.qkv.weight", (d, 3 * d)),  # columns: [Wq | Wk | Wv]
            (p + "attn.qkv.bias", (3 * d,)),
            (p + "attn.out.weight", (d, d)),
            (p + "attn.out.bias", (d,)),
            (p + "ln2.gain", (d,)),
            (p + "ln2.bias", (d,)),
            (p + "mlp.in.weight", (d, h)),
            (p + "mlp.in.bias", (h,)),
            (p + "mlp.out.weight", (h, d)),
            (p + "mlp.out.bias", (d,)),
        ]
    shapes += [("head.ln.gain", (d,)), ("head.ln.bias", (d,))]
    if not config.tied:
        shapes.append(("head.out.weight", (d, v)))
    return shapes


def parameter_count(config: ModelConfig) -> int:
    """len of the flat buffer, in closed form: sizes a config claims are checked with it before
    anything is built (the layout of millions of layers takes minutes and gigabytes)."""
    d, h, v, t = config.dim, config.hidden_dim, config.vocab_size, config.context_length
    per_layer = 4 * d * d + 2 * d * h + 9 * d + h
    number_rows = config.number_places + NOT_A_DIGIT + 1 if config.number_places else 0
    number_rows += config.number_orders
    embeddings = (v + t + number_rows) * d
    return embeddings + config.layers * per_layer + 2 * d + (0 if config.tied else d * v)


class ParamLayout:
    """Names, shapes and offsets of every tensor in the flat parameter buffer."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self.slots: dict[str, TensorSlot] = {}
        offset = 0
        for name, shape in tensor_shapes(config):
            slot = TensorSlot(name, shape, offset)
            self.slots[name] = slot
            offset += slot.size
        self.n_params = offset

    def __iter__(self) -> Iterator[TensorSlot]:
        return iter(self.slots.values())

    def views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        """Named views (no copies) into a flat buffer of length n_params."""
        if flat.ndim != 1 or flat.shape[0] != self.n_params:
            raise ValueError(f"flat buffer has shape {flat.shape}, expected ({self.n_params},)")
        return {s.name: flat[s.offset : s.offset + s.size].reshape(s.shape) for s in self.slots.values()}

    def decay_mask(self, dtype: np.dtype | type = np.float32) -> np.ndarray:
        """1 where weight decay applies, 0 elsewhere, aligned with the flat buffer."""
        mask = np.zeros(self.n_params, dtype=dtype)
        for s in self.slots.values():
            if s.decays:
                mask[s.offset : s.offset + s.size] = 1
        return mask

    def new_buffer(self, dtype: np.dtype | type = np.float32) -> np.ndarray:
        return np.zeros(self.n_params, dtype=dtype)
