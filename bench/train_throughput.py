"""Training throughput (tokens/s) on nanoGPT's small CPU config; prints one JSON line per mode.

    python bench/train_throughput.py [--steps 40] [--repeats 3] [--modes inprocess-blas1,inprocess-blasall]

Each mode runs in its own subprocess, so BLAS thread counts (fixed when numpy loads) are
set cleanly through the environment. Config: 4 layers, 4 heads, width 128, context 64,
batch 12, vocabulary 65 (random tokens: speed does not depend on the text). The machine
may be shared; `load_avg` in each line says how busy it was.

To add a mode: a function `(args) -> dict` in MODES plus its environment in MODE_ENV.

    python bench/train_throughput.py --modes race [--steps 20] [--rounds 7]

The race: the in-process engine, the pool of 2, PyTorch eager (2 threads; 2 threads with fused
AdamW + SDPA; 1 thread fused) and a numpy GEMM loop at the model's sizes, each alive in its own
process and timed in alternating blocks of steps (A B C A B C ...), so a busy machine slows all
alike. It prints a line per contender (the pool's with its per-step timeline: each round trip's
slowest worker, its CPU time, the wait for the slower shard and the messaging), then the
median per-round ratios: pool vs in-process, pool vs the best PyTorch setup, and the pool's
fraction of the machine's matmul limit (FLOPs per token x tokens/s over cores x one core's
single-thread numpy GEMM rate). OPENBLAS_CORETYPE, if set, is reported: it can slow numpy.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
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
        engine.timeline.clear()
        result = _time_engine(engine, args.steps, args.repeats)
        result["timeline_ms"] = engine.timeline.summary()
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


def torch_engine(threads: int, fused: bool):
    """PyTorch eager on the same model, for comparison only (torch is never a dependency).

    `fused`: torch's fused AdamW and scaled_dot_product_attention, else the foreach AdamW and
    attention written out as nanoGPT's slow path. Returns None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
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
            if fused:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                att = ((q @ k.transpose(-2, -1)) / (C // H) ** 0.5).masked_fill(self.mask, float("-inf"))
                y = att.softmax(-1) @ v
            x = x + self.out(y.transpose(1, 2).reshape(B, T, C))
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
    opt = torch.optim.AdamW(
        model.parameters(), lr=1e-3, betas=(0.9, 0.99), weight_decay=0.1, **({"fused": True} if fused else {})
    )

    class TorchEngine:
        version = torch.__version__

        def step(self, x, y, lr):
            opt.zero_grad(set_to_none=True)
            loss = model(torch.from_numpy(x), torch.from_numpy(y))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()

        def close(self) -> None:
            pass

    return TorchEngine()


def run_torch(args: argparse.Namespace, threads: int, fused: bool = False) -> dict:
    engine = torch_engine(threads, fused)
    if engine is None:
        return {"skipped": "torch is not installed"}
    return {**_time_engine(engine, args.steps, args.repeats), "torch": engine.version}


# -- the race: every contender alive at once in its own process, timed in alternating blocks --


# Training FLOPs per token: 3x the forward's (backward = 2x forward); forward per layer is
# 24 d^2 for the four projections plus 4 T d for the two attention matmuls, plus the head.
def flops_per_token() -> int:
    d, T, V, L = CONFIG["dim"], CONFIG["context_length"], CONFIG["vocab_size"], CONFIG["layers"]
    return 3 * (L * (24 * d * d + 4 * T * d) + 2 * d * V)


def _gemm_shapes() -> list[tuple[int, int, int]]:
    """(m, k, n) of the model's forward projections on a whole batch."""
    d, n = CONFIG["dim"], BATCH * CONFIG["context_length"]
    return [(n, d, 3 * d), (n, d, d), (n, d, 4 * d), (n, 4 * d, d)]


class GemmLoop:
    """numpy float32 GEMMs at the model's sizes on one BLAS thread: this core's matmul limit."""

    def __init__(self) -> None:
        import numpy as np

        rng = np.random.default_rng(0)
        normal = rng.standard_normal
        self.pairs = [
            (normal((m, k), np.float32), normal((k, n), np.float32), np.empty((m, n), np.float32))
            for m, k, n in _gemm_shapes()
        ]
        self.flops = sum(2 * m * k * n for m, k, n in _gemm_shapes())

    def step(self, x, y, lr) -> None:
        import numpy as np

        for _ in range(8):
            for a, b, out in self.pairs:
                np.matmul(a, b, out=out)

    def close(self) -> None:
        pass


def _contender(kind: str):
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params

    config = ModelConfig(**CONFIG)
    if kind == "inprocess":
        from hyper_prime_spiral.training.in_process_engine import InProcessEngine

        return InProcessEngine(config, init_params(config))
    if kind.startswith("pool-"):
        from hyper_prime_spiral.training.pool_engine import PoolEngine

        return PoolEngine(config, init_params(config), workers=int(kind.split("-")[1]))
    if kind == "gemm":
        return GemmLoop()
    threads, fused = {"torch-2t": (2, False), "torch-2t-fused": (2, True), "torch-1t-fused": (1, True)}[kind]
    return torch_engine(threads, fused)


def _serve(kind: str) -> None:
    """A race contender: builds its engine, then runs blocks of steps on request (stdin lines)."""
    engine = _contender(kind)
    if engine is None:
        print(json.dumps({"skipped": "torch is not installed"}), flush=True)
        return
    batches = list(_batches(8))
    for x, y in batches[:3]:
        engine.step(x, y, 1e-3)
    print(json.dumps({"ready": kind}), flush=True)
    try:
        for line in sys.stdin:
            command = line.split()
            if command[0] == "run":
                if hasattr(engine, "timeline"):
                    engine.timeline.clear()
                start, cpu = time.perf_counter(), time.process_time()
                for i in range(int(command[1])):
                    x, y = batches[i % len(batches)]
                    engine.step(x, y, 1e-3)
                seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                answer = {"seconds": seconds, "cpu": cpu}
                if hasattr(engine, "timeline"):
                    answer["timeline"] = engine.timeline.summary()
                if isinstance(engine, GemmLoop):
                    answer["gflops"] = engine.flops * int(command[1]) * 8 / seconds / 1e9
                    answer["gflops_per_cpu_s"] = engine.flops * int(command[1]) * 8 / cpu / 1e9
                print(json.dumps(answer), flush=True)
            else:
                break
    finally:
        engine.close()


RACE = ("inprocess", "pool-2", "torch-2t", "torch-2t-fused", "torch-1t-fused", "gemm")


def run_race(args: argparse.Namespace) -> None:
    """One line per contender plus one line of ratios, all from the same interleaved rounds."""
    procs = {}
    for kind in args.contenders.split(","):
        threads = "2" if kind.startswith("torch-2t") else "1"
        env = {**os.environ, **{name: threads for name in THREAD_VARS}}
        cmd = [sys.executable, __file__, "--serve", kind]
        procs[kind] = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    alive = {}
    for kind, proc in procs.items():
        hello = json.loads(proc.stdout.readline() or '{"skipped": "failed to start"}')
        if "ready" in hello:
            alive[kind] = proc
        else:
            print(json.dumps({"bench": "train_throughput", "mode": f"race-{kind}", **hello}), flush=True)
    tokens = args.steps * BATCH * CONFIG["context_length"]
    rates: dict[str, list[float]] = {k: [] for k in alive}
    extra: dict[str, list[dict]] = {k: [] for k in alive}
    loads = []
    try:
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for kind, proc in alive.items():
                proc.stdin.write(f"run {args.steps}\n")
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline())
                rates[kind].append(tokens / answer["seconds"])
                extra[kind].append(answer)
    finally:
        for proc in procs.values():
            try:
                proc.stdin.write("quit\n")
                proc.stdin.close()
            except OSError:
                pass
            proc.wait(timeout=60)
    median = {k: statistics.median(r) for k, r in rates.items()}
    load = round(statistics.median(loads), 2)
    for kind in alive:
        line = {"bench": "train_throughput", "mode": f"race-{kind}", **CONFIG, "batch": BATCH}
        cpu_per_round = [a["cpu"] for a in extra[kind]]
        if kind == "gemm":
            line["gflops_1core"] = round(statistics.median(a["gflops"] for a in extra[kind]), 1)
            line["gflops_per_cpu_s"] = round(statistics.median(a["gflops_per_cpu_s"] for a in extra[kind]), 1)
        else:
            line["tokens_per_s"] = round(median[kind], 1)
            if kind.startswith("pool-"):  # the workers' CPU, not the parent's
                cpu_per_round = [a["timeline"]["worker_cpu_ms"] * args.steps / 1000 for a in extra[kind]]
            line["tokens_per_cpu_s"] = round(tokens / statistics.median(cpu_per_round), 1)
        timelines = [a["timeline"] for a in extra[kind] if a.get("timeline")]
        if timelines:  # the median round's timeline
            line["timeline_ms"] = sorted(timelines, key=lambda t: t["step_ms"])[len(timelines) // 2]
        print(json.dumps({**line, "rounds": args.rounds, "load_avg": load}), flush=True)

    def ratio(a: str, b: str) -> float | None:
        if a not in rates or b not in rates:
            return None
        return round(statistics.median(x / y for x, y in zip(rates[a], rates[b], strict=True)), 3)

    torch_kinds = [k for k in alive if k.startswith("torch")]
    best_torch = max(torch_kinds, key=lambda k: median[k]) if torch_kinds else None
    summary = {
        "bench": "train_throughput",
        "mode": "race-ratios",
        "pool2_vs_inprocess": ratio("pool-2", "inprocess"),
        "best_torch": best_torch,
        "pool2_vs_best_torch": ratio("pool-2", best_torch) if best_torch else None,
        "flops_per_token": flops_per_token(),
    }
    if "gemm" in alive and "pool-2" in alive:
        # The machine's matmul limit: every core running numpy's single-thread GEMM at these sizes.
        limit = statistics.median(a["gflops"] for a in extra["gemm"]) * 1e9 * (os.cpu_count() or 1)
        summary["pool2_gemm_fraction"] = round(median["pool-2"] * flops_per_token() / limit, 3)
        summary["inprocess_gemm_fraction_of_one_core"] = round(
            median["inprocess"] * flops_per_token() / (limit / (os.cpu_count() or 1)), 3
        )
    summary["openblas_coretype"] = os.environ.get("OPENBLAS_CORETYPE")
    summary["rounds"], summary["load_avg"] = args.rounds, load
    print(json.dumps(summary), flush=True)


MODES = {
    "inprocess-blas1": run_inprocess,
    "inprocess-blasall": run_inprocess,
    "pool-1": lambda args: run_pool(args, 1),
    "pool-2": lambda args: run_pool(args, 2),
    "pool-2-vs-1-interleaved": run_pool_scaling,
    "torch-2threads": lambda args: run_torch(args, 2),
    "torch-2threads-fused": lambda args: run_torch(args, 2, fused=True),
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
    parser.add_argument("--rounds", type=int, default=7, help="rounds of the race mode")
    parser.add_argument("--contenders", default=",".join(RACE), help="who runs in the race mode")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args)
        return 0
    if args.serve:
        _serve(args.serve)
        return 0
    if args.modes == "race":
        run_race(args)
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
