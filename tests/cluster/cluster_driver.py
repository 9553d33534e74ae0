"""Run under `mpiexec -n R`: one ClusterEngine job on the tiny model; rank files go to OUT.

python cluster_driver.py gradient OUT WORKERS   the all-reduced gradient of one global batch
python cluster_driver.py train OUT WORKERS      20 Trainer steps; every rank saves its params
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import numpy as np
from cluster_helpers import TINY

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.cluster import ClusterEngine, ClusterSession, MpiCollective

ROWS = 5  # odd on purpose: the ranks get 3 and 2 rows


def global_batch() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    shape = (ROWS, TINY.context_length)
    return rng.integers(0, TINY.vocab_size, shape), rng.integers(0, TINY.vocab_size, shape)


def tiny_tokens() -> np.ndarray:
    return np.random.default_rng(11).integers(0, TINY.vocab_size, 3000).astype(np.int32)


def train_settings(workers: int):
    from hyper_prime_spiral.training.trainer import TrainSettings

    return TrainSettings(steps=20, batch_size=ROWS, warmup=2, eval_every=10, eval_batches=2, workers=workers)


def main() -> None:
    mode, out, workers = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    comm = MpiCollective()
    if mode == "gradient":
        engine = ClusterEngine(comm, TINY, init_params(TINY), AdamWSettings(), workers=workers)
        try:
            loss, grad = engine.gradient(*global_batch())
        finally:
            engine.close()
        np.save(out / f"grad{comm.rank}.npy", grad)
        np.save(out / f"loss{comm.rank}.npy", np.array([loss]))
    elif mode == "train":
        from hyper_prime_spiral.model.tokenizer import build_tokenizer
        from hyper_prime_spiral.training.trainer import Trainer

        session = ClusterSession(comm)
        stop = threading.Event()
        tokenizer = build_tokenizer("char", "abcdefghi")  # 9 letters + <unk>, <eot> = 11 tokens
        trainer = Trainer(
            TINY,
            tokenizer,
            tiny_tokens(),
            train_settings(workers),
            stop_event=stop,
            engine_factory=session.engine_factory(threading.Event(), stop, check_every=5),
        )
        result = trainer.run()
        np.save(out / f"params{comm.rank}.npy", result.bundle.params)
        np.save(out / f"m{comm.rank}.npy", result.bundle.optimizer.m)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
