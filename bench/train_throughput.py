"""Training throughput (tokens/s) on nanoGPT's small CPU config; prints one JSON line per mode.

    python bench/train_throughput.py [--steps 40] [--repeats 3] [--modes inprocess-blas1,inprocess-blasall]

Each mode runs in its own subprocess, so BLAS thread counts (fixed when numpy loads) are
set cleanly through the environment. Config: 4 layers, 4 heads, width 128, context 64,
batch 12, vocabulary 65 (random tokens: speed does not depend on the text). The machine
may be shared; `load_avg` in each line says how busy it was.

To add a mode: a function `(args) -> dict` in MODES plus its environment in MODE_ENV.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CONFIG = dict(vocab_size=65, context_length=64, dim=128, layers=4, heads=4)
BATCH = 12
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")


def _batches(count: int):
    import numpy as np

    rng = np.random.default_rng(0)
    for _ in range(count):
        x = rng.integers(0, CONFIG["vocab_size"], (BATCH, CONFIG["context_length"]))
        yield x, np.roll(x, -1, axis=1)


def _time_engine(engine, steps: int, repeats: int) -> dict:
    """Median and best tokens/s over `repeats` runs of `steps` optimizer steps (after warm-up)."""
    for x, y in _batches(5):
        engine.step(x, y, 1e-3)
    rates, cpu_rates = [], []
    tokens = steps * BATCH * CONFIG["context_length"]
    for _ in range(repeats):
        batches = list(_batches(steps))
        start, cpu_start = time.perf_counter(), time.process_time()
        for x, y in batches:
            engine.step(x, y, 1e-3)
        rates.append(tokens / (time.perf_counter() - start))
        cpu_rates.append(tokens / (time.process_time() - cpu_start))
    rates.sort()
    cpu_rates.sort()
    # tokens per CPU-second of this process: for one-thread modes it is what an idle core would
    # give, and it is much less disturbed by other load than wall time (not for pool modes:
    # the workers' CPU time is not counted)
    return {
        "tokens_per_s": round(rates[len(rates) // 2], 1),
        "best_tokens_per_s": round(rates[-1], 1),
        "tokens_per_cpu_s": round(cpu_rates[len(cpu_rates) // 2], 1),
    }


def run_inprocess(args: argparse.Namespace) -> dict:
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params
    from hyper_prime_spiral.training.in_process_engine import InProcessEngine

    config = ModelConfig(**CONFIG)
    engine = InProcessEngine(config, init_params(config))
    try:
        return _time_engine(engine, args.steps, args.repeats)
    finally:
        engine.close()


def run_pool(args: argparse.Namespace, workers: int) -> dict:
    """The shared-memory worker pool (each worker on one BLAS thread, whatever the parent has)."""
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params
    from hyper_prime_spiral.training.pool_engine import PoolEngine

    config = ModelConfig(**CONFIG)
    engine = PoolEngine(config, init_params(config), workers=workers)
    try:
        result = _time_engine(engine, args.steps, args.repeats)
        phases = engine.phase_seconds  # share of step time spent after every gradient is in
        result["update_share"] = round(phases["update"] / (phases["gradients"] + phases["update"]), 3)
        return result
    finally:
        engine.close()


def run_pool_scaling(args: argparse.Namespace) -> dict:
    """Pools of 1 and 2 workers alive together, timed in alternating blocks of steps, so a busy
    machine slows both alike: the median of the per-round ratios is the robust scaling figure."""
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params
    from hyper_prime_spiral.training.pool_engine import PoolEngine

    config = ModelConfig(**CONFIG)
    pools = {n: PoolEngine(config, init_params(config), workers=n) for n in (1, 2)}
    try:
        block = max(1, args.steps // 4)
        rounds = 4 * args.repeats
        batches = list(_batches(block))
        rates: dict[int, list[float]] = {1: [], 2: []}
        for round_ in range(rounds + 1):  # round 0 warms up
            for workers, engine in pools.items():
                start = time.perf_counter()
                for x, y in batches:
                    engine.step(x, y, 1e-3)
                if round_:
                    rates[workers].append(block * x.size / (time.perf_counter() - start))
        ratios = sorted(b / a for a, b in zip(rates[1], rates[2], strict=True))
        median = {n: sorted(r)[len(r) // 2] for n, r in rates.items()}
        return {
            "tokens_per_s": round(median[2], 1),
            "pool1_tokens_per_s": round(median[1], 1),
            "ratio_2_vs_1": round(ratios[len(ratios) // 2], 3),
            "rounds": rounds,
        }
    finally:
        for engine in pools.values():
            engine.close()


def run_torch(args: argparse.Namespace, threads: int) -> dict:
    """PyTorch eager on the same model, for comparison only (torch is never a dependency)."""
    try:
        import torch
    except ImportError:
        return {"skipped": "torch is not installed"}
    from torch.nn import functional as F

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    V, T, d, H = CONFIG["vocab_size"], CONFIG["context_length"], CONFIG["dim"], CONFIG["heads"]

    class Block(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.ln1, self.ln2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
            self.qkv, self.out = torch.nn.Linear(d, 3 * d), torch.nn.Linear(d, d)
            self.fc, self.proj = torch.nn.Linear(d, 4 * d), torch.nn.Linear(4 * d, d)
            self.register_buffer("mask", torch.triu(torch.ones(T, T, dtype=torch.bool), 1))

        def forward(self, x):
            B, _, C = x.shape
            q, k, v = (t.view(B, T, H, C // H).transpose(1, 2) for t in self.qkv(self.ln1(x)).split(C, 2))
            att = ((q @ k.transpose(-2, -1)) / (C // H) ** 0.5).masked_fill(self.mask, float("-inf"))
            x = x + self.out((att.softmax(-1) @ v).transpose(1, 2).reshape(B, T, C))
            return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))

    class GPT(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.tok, self.pos = torch.nn.Embedding(V, d), torch.nn.Embedding(T, d)
            self.blocks = torch.nn.ModuleList(Block() for _ in range(CONFIG["layers"]))
            self.ln = torch.nn.LayerNorm(d)

        def forward(self, x, y):
            h = self.tok(x) + self.pos.weight
            for block in self.blocks:
                h = block(h)
            return F.cross_entropy((self.ln(h) @ self.tok.weight.T).view(-1, V), y.view(-1))

    model = GPT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1)

    class TorchEngine:
        def step(self, x, y, lr):
            opt.zero_grad(set_to_none=True)
            loss = model(torch.from_numpy(x), torch.from_numpy(y))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()

    return {**_time_engine(TorchEngine(), args.steps, args.repeats), "torch": torch.__version__}


MODES = {
    "inprocess-blas1": run_inprocess,
    "inprocess-blasall": run_inprocess,
    "pool-1": lambda args: run_pool(args, 1),
    "pool-2": lambda args: run_pool(args, 2),
    "pool-2-vs-1-interleaved": run_pool_scaling,
    "torch-2threads": lambda args: run_torch(args, 2),
    "torch-1thread": lambda args: run_torch(args, 1),
}
MODE_ENV = {
    "inprocess-blas1": {name: "1" for name in THREAD_VARS},
    "inprocess-blasall": {name: str(os.cpu_count() or 1) for name in THREAD_VARS},
    "torch-1thread": {name: "1" for name in THREAD_VARS},
}


def _child(args: argparse.Namespace) -> None:
    result = MODES[args.child](args)
    print(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0
    for mode in args.modes.split(","):
        if mode not in MODES:
            print(json.dumps({"bench": "train_throughput", "mode": mode, "error": "unknown mode"}))
            continue
        env = {**os.environ, **MODE_ENV.get(mode, {})}
        cmd = [
            sys.executable,
            __file__,
            "--child",
            mode,
            "--steps",
            str(args.steps),
            "--repeats",
            str(args.repeats),
        ]
        load_before = os.getloadavg()[0]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
        line = {"bench": "train_throughput", "mode": mode, **CONFIG, "batch": BATCH}
        if proc.returncode == 0:
            line.update(json.loads(proc.stdout.strip().splitlines()[-1]))
        else:
            line["error"] = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        line["load_avg"] = round(max(load_before, os.getloadavg()[0]), 2)
        print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
