"""Helpers for storage tests: tiny models with random parameters, and ways to damage them.

(A uniquely named module, not conftest.py, so `from storage_helpers import ...` cannot pick
up another test folder's conftest.)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import safetensors.numpy

from hyper_prime_spiral.model.bundle import ModelBundle, OptimizerState
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord

SAMPLE_TEXT = "hello world, the quick brown fox jumps over the lazy dog.\n"


def make_bundle(
    seed: int = 0, *, tied: bool = True, layers: int = 2, optimizer: bool = True, tokenizer_kind: str = "char"
) -> ModelBundle:
    tokenizer = build_tokenizer(tokenizer_kind, SAMPLE_TEXT)
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size,
        context_length=16,
        dim=16,
        layers=layers,
        heads=2,
        tied=tied,
        seed=seed,
    )
    rng = np.random.default_rng(seed)
    n = ParamLayout(config).n_params
    state = None
    if optimizer:
        m = rng.standard_normal(n, dtype=np.float32)
        v = rng.random(n, dtype=np.float32)
        state = OptimizerState(m=m, v=v, step=17 + seed)
    record = TrainingRecord(corpus_files=["a.txt"], steps=17 + seed, train_loss=2.5, val_loss=2.75)
    return ModelBundle(config, tokenizer, rng.standard_normal(n, dtype=np.float32), record, state)


def read_doc(model: Path) -> dict:
    return json.loads((model / "config.json").read_text())


def write_doc(model: Path, doc: dict) -> None:
    (model / "config.json").write_text(json.dumps(doc))


def rewrite_tensor_file(model: Path, filename: str, tensors: dict[str, np.ndarray]) -> None:
    """Replace a tensor file AND its recorded checksum, so only the content check can catch it."""
    data = safetensors.numpy.save(tensors)
    (model / filename).write_bytes(data)
    doc = read_doc(model)
    doc["files"][filename] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    write_doc(model, doc)


def hidden_entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def flip_byte(model: Path, filename: str = "head.safetensors") -> None:
    """Damage one tensor byte without changing the size: the quick check passes, the checksum fails."""
    path = model / filename
    data = bytearray(path.read_bytes())
    data[-3] ^= 0x01
    path.write_bytes(bytes(data))
