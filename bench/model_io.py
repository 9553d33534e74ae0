"""Save / load seconds of a model directory, as JSON lines (one per configuration and case).

Configurations: the small nanoGPT-like model and the original program's default size
(~25M parameters). Each case runs --repeat times; the minimum and median are reported.
Writes go to a temporary folder next to --dir (default: the system temp folder), which
matters: save time is mostly fsync, so it depends on the disk.

    python bench/model_io.py [--repeat 3] [--only small|large] [--dir PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from hyper_prime_spiral.model.bundle import ModelBundle, OptimizerState
from hyper_prime_spiral.model.chat_format import SPECIAL_TOKENS
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer import CharTokenizer, WordTokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import load_model, save_model

CONFIGS = {
    "small": ModelConfig(vocab_size=65, context_length=64, dim=128, layers=4, heads=4),
    "large": ModelConfig(vocab_size=10_000, context_length=512, dim=512, layers=6, heads=8),
}


def _tokenizer(vocab_size: int):
    n = vocab_size - len(SPECIAL_TOKENS)
    if n <= 200:
        return CharTokenizer(list(SPECIAL_TOKENS) + [chr(0x21 + i) for i in range(n)])
    return WordTokenizer(list(SPECIAL_TOKENS) + [f"word{i}" for i in range(n)])


def _bundle(config: ModelConfig, with_optimizer: bool) -> ModelBundle:
    rng = np.random.default_rng(0)
    n = ParamLayout(config).n_params
    optimizer = None
    if with_optimizer:
        optimizer = OptimizerState(
            rng.standard_normal(n, dtype=np.float32), rng.random(n, dtype=np.float32), 1000
        )
    record = TrainingRecord(steps=1000, train_loss=1.5, val_loss=1.6)
    return ModelBundle(
        config, _tokenizer(config.vocab_size), rng.standard_normal(n, dtype=np.float32), record, optimizer
    )


def _timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def run_case(name: str, config: ModelConfig, with_optimizer: bool, repeat: int, folder: Path) -> dict:
    bundle = _bundle(config, with_optimizer)
    target = folder / f"{name}-{'opt' if with_optimizer else 'noopt'}"
    new, overwrite, load = [], [], []
    for _ in range(repeat):
        shutil.rmtree(target, ignore_errors=True)
        new.append(_timed(lambda: save_model(target, bundle)))
        overwrite.append(_timed(lambda: save_model(target, bundle, overwrite=True)))
        load.append(_timed(lambda: load_model(target)))
    size = sum(p.stat().st_size for p in target.iterdir())
    loaded = load_model(target)
    assert loaded.params.tobytes() == bundle.params.tobytes()
    shutil.rmtree(target)

    def stats(values: list[float]) -> dict:
        return {"min": round(min(values), 4), "median": round(statistics.median(values), 4)}

    return {
        "bench": "model_io",
        "config": name,
        "parameters": bundle.n_params,
        "optimizer": with_optimizer,
        "megabytes": round(size / 1e6, 2),
        "repeat": repeat,
        "save_new_s": stats(new),
        "save_overwrite_s": stats(overwrite),
        "load_s": stats(load),
        "load_mb_per_s": round(size / 1e6 / min(load), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CONFIGS))
    parser.add_argument("--dir", type=Path, default=None, help="folder to write the test models in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir, prefix="model-io-bench-") as tmp:
        for name, config in CONFIGS.items():
            if args.only and name != args.only:
                continue
            for with_optimizer in (False, True):
                print(json.dumps(run_case(name, config, with_optimizer, args.repeat, Path(tmp))), flush=True)


if __name__ == "__main__":
    main()
