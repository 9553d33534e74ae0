"""Data-parallel training over MPI on one machine, against the local pool; prints JSON lines.

    python bench/cluster_throughput.py [--preset small] [--steps 80] [--repeats 2]

Setups, each the real `hyper-prime-spiral train` command on the shipped chat corpus (char
tokenizer, context 64, batch 12), run in turn `--repeats` times in the same run so a busy
machine slows them alike; the median tokens/s of each is reported:
  process       one process (`--workers 1`)
  pool          one process with its pool of 2 workers (`--workers 2`)
  rank1x2       `mpiexec -n 1 ... --workers 2`: 1 rank x 2 workers
  ranks2x1      `mpiexec -n 2 ... --workers 1`: 2 ranks x 1 worker
`allreduce_ms_per_step` is rank 0's time inside the all-reduce (the collective plus any wait
for the slower rank). A final `allreduce` line times the bare collective on buffers the size
of the tiny/small/medium presets (a barrier first, so rank skew is not counted), and the
reduce-scatter + all-gather pair that computes the same sum, and `model`
lines apply docs/cluster.md's scaling model to this run's numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "training" / "chat_corpus.txt"
CONTEXT, BATCH = 64, 12
HOSTS = (1, 2, 4, 8)
LINKS_GBIT = (1.0, 10.0)
HOP_LATENCY_S = 50e-6  # one message between hosts on ordinary Ethernet, order of magnitude


def _mpiexec() -> str:
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.exists() else shutil.which("mpiexec")
    if found is None:
        raise SystemExit("mpiexec not found: pip install -e '.[cluster]'")
    return found


def _train(setup: str, preset: str, steps: int, out: Path) -> dict:
    from hyper_prime_spiral.training.presets import get_preset

    p = get_preset(preset)
    workers = {"process": 1, "pool": 2, "rank1x2": 2, "ranks2x1": 1}[setup]
    ranks = {"rank1x2": 1, "ranks2x1": 2}.get(setup)
    argv = [
        sys.executable,
        "-m",
        "hyper_prime_spiral",
        "train",
        str(CORPUS),
        "--out",
        str(out),
        "--overwrite",
    ]
    argv += ["--layers", str(p.layers), "--dim", str(p.dim), "--heads", str(p.heads)]
    argv += [
        "--context",
        str(CONTEXT),
        "--batch",
        str(BATCH),
        "--steps",
        str(steps),
        "--eval-every",
        str(steps),
    ]
    argv += ["--workers", str(workers), "--json"]
    if ranks is not None:
        argv = [_mpiexec(), "-n", str(ranks), *argv]
    job = subprocess.run(argv, capture_output=True, text=True, timeout=1800, cwd=out.parent)
    if job.returncode != 0:
        raise SystemExit(f"{setup} failed: {job.stderr.strip()}")
    lines = [json.loads(line) for line in job.stdout.splitlines() if line.startswith("{")]
    last_eval = [line for line in lines if line["event"] == "eval"][-1]
    done = lines[-1]
    return {
        "tokens_per_s": last_eval["tokens_per_s"],
        "allreduce_ms_per_step": done.get("allreduce_ms_per_step"),
    }


def _median_ms(comm, repeats: int, collective) -> float:
    import numpy as np

    times = []
    for _ in range(repeats):
        comm.Barrier()  # rank skew is not the collective's time
        start = time.perf_counter()
        collective()
        times.append(time.perf_counter() - start)
    return round(1000 * float(np.median(times)), 3)


def _allreduce_times(sizes: dict[str, int], repeats: int = 30) -> None:
    """Under mpiexec: median ms of one in-place SUM all-reduce per buffer size, and of the
    reduce-scatter + all-gather pair that computes the same (rank 0 prints)."""
    import numpy as np
    from mpi4py import MPI

    comm = MPI.COMM_WORLD
    result = {}
    for name, n in sizes.items():
        buffer = np.ones(n + 2, np.float32)
        padded = np.ones(-(-(n + 2) // comm.size) * comm.size, np.float32)
        chunk = np.empty(padded.size // comm.size, np.float32)
        result[name] = {
            "params": n,
            "megabytes": round(buffer.nbytes / 1e6, 2),
            "ms": _median_ms(comm, repeats, lambda b=buffer: comm.Allreduce(MPI.IN_PLACE, b, op=MPI.SUM)),
            "reduce_scatter_allgather_ms": _median_ms(
                comm,
                repeats,
                lambda p=padded, c=chunk: (comm.Reduce_scatter_block(p, c, op=MPI.SUM), comm.Allgather(c, p)),
            ),
        }
    if comm.rank == 0:
        print(json.dumps({"event": "allreduce", "ranks": comm.size, "sizes": result}), flush=True)


def _preset_sizes(vocab: int) -> dict[str, int]:
    from hyper_prime_spiral.training.presets import PRESETS

    return {name: p.n_params(vocab, CONTEXT) for name, p in PRESETS.items()}


def ring_allreduce_s(n_params: int, hosts: int, gbit: float) -> float:
    """Ring all-reduce of float32 gradients: 2 (R-1)/R of the buffer over each link, 2 (R-1) hops."""
    if hosts <= 1:
        return 0.0
    nbytes = 4 * (n_params + 2)
    return 2 * (hosts - 1) / hosts * nbytes * 8 / (gbit * 1e9) + 2 * (hosts - 1) * HOP_LATENCY_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="small")
    parser.add_argument("--steps", type=int, default=80)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--allreduce-sizes", help=argparse.SUPPRESS)  # internal: the mpiexec child
    args = parser.parse_args()
    if args.allreduce_sizes:
        _allreduce_times(json.loads(args.allreduce_sizes))
        return 0

    from hyper_prime_spiral.model.tokenizer import build_tokenizer

    vocab = build_tokenizer("char", CORPUS.read_text(encoding="utf-8")).vocab_size
    setups = ("process", "pool", "rank1x2", "ranks2x1")
    runs: dict[str, list[dict]] = {s: [] for s in setups}
    with tempfile.TemporaryDirectory(prefix="hps-cluster-bench-") as tmp:
        for _ in range(args.repeats):
            for setup in setups:
                runs[setup].append(_train(setup, args.preset, args.steps, Path(tmp) / setup))
    load = os.getloadavg()[0]
    medians = {}
    for setup in setups:
        rates = sorted(r["tokens_per_s"] for r in runs[setup])
        medians[setup] = rates[len(rates) // 2]
        ms = [r["allreduce_ms_per_step"] for r in runs[setup] if r["allreduce_ms_per_step"] is not None]
        line = {
            "event": "setup",
            "setup": setup,
            "preset": args.preset,
            "steps": args.steps,
            "tokens_per_s": medians[setup],
        }
        line |= {"runs_tokens_per_s": [r["tokens_per_s"] for r in runs[setup]], "load_avg": round(load, 2)}
        if ms:
            line["allreduce_ms_per_step"] = round(sorted(ms)[len(ms) // 2], 3)
        print(json.dumps(line), flush=True)

    sizes = _preset_sizes(vocab)
    job = subprocess.run(
        [_mpiexec(), "-n", "2", sys.executable, __file__, "--allreduce-sizes", json.dumps(sizes)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if job.returncode != 0:
        raise SystemExit(f"all-reduce timing failed: {job.stderr.strip()}")
    print(job.stdout.strip(), flush=True)

    # Scaling model: a host like this one (its pool) does one step of the preset in `host_s`.
    host_s = BATCH * CONTEXT / medians["pool"]
    n = sizes[args.preset]
    for gbit in LINKS_GBIT:
        for hosts in HOSTS:
            step_s = host_s / hosts + ring_allreduce_s(n, hosts, gbit)
            print(
                json.dumps(
                    {
                        "event": "model",
                        "preset": args.preset,
                        "params": n,
                        "link_gbit": gbit,
                        "hosts": hosts,
                        "step_ms": round(1000 * step_s, 2),
                        "allreduce_ms": round(1000 * ring_allreduce_s(n, hosts, gbit), 2),
                        "tokens_per_s": round(BATCH * CONTEXT / step_s),
                        "speedup": round(host_s / step_s, 2),
                    }
                ),
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
