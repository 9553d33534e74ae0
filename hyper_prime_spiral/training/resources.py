"""What this machine lets a training run use: cores and memory, read before anything is allocated.

Why not `os.cpu_count()`: a container or `taskset` gives the process fewer cores than the machine
has, and a worker per unusable core only adds processes that wait. Why an estimate: an
impossible size (`--dim 1000000`, `--batch 1000000000`) should be refused in one line with the
number, not end in a MemoryError traceback minutes later.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import parameter_count
from hyper_prime_spiral.regular_files import read_regular_file

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_MEMORY_MAX = Path("/sys/fs/cgroup/memory.max")
FLOAT_BYTES = 4
VALIDATION_BATCHES_KEPT = 20  # int64 (inputs, targets) batches held for validation


def _cgroup_value(path: Path) -> str | None:
    try:
        return read_regular_file(path, 4096).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None


def usable_cores() -> int:
    """Cores this process may run on: CPU affinity, then the cgroup (v2) CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    quota = _cgroup_value(CGROUP_CPU_MAX)
    if quota:
        parts = quota.split()
        if len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and int(parts[1]) > 0:
            cores = min(cores, math.ceil(int(parts[0]) / int(parts[1])))
    return max(1, cores)


def cap_workers(requested: int | None, batch_rows: int) -> tuple[int, str]:
    """(workers, why fewer than requested or ""); `requested` None or 0 means every usable core.

    More workers than batch rows would get no rows; more than usable cores only wait."""
    cores = usable_cores()
    wanted = cores if not requested else requested
    workers = max(1, min(wanted, cores, batch_rows))
    if not requested or workers == wanted:
        return workers, ""
    reasons = []
    if workers == batch_rows and batch_rows < wanted:
        reasons.append(f"the batch has {batch_rows} rows")
    if workers == cores and cores < wanted:
        reasons.append(f"{cores} core(s) are usable")
    return workers, f"training on {workers} worker(s), not {wanted}: {' and '.join(reasons)}"


class NotEnoughMemory(ValueError):
    """The run cannot fit in this machine's memory (the message gives both numbers)."""


def usable_memory_bytes() -> int | None:
    """Physical memory, or the cgroup (v2) limit when lower; None when unknown."""
    total = None
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        pass
    limit = _cgroup_value(CGROUP_MEMORY_MAX)
    if limit and limit.isdigit():
        total = int(limit) if total is None else min(total, int(limit))
    return total


def training_memory_bytes(config: ModelConfig, batch: int, workers: int, tokens: int) -> int:
    """A lower estimate of a run's peak memory, from closed forms only (nothing is built).

    Weights, gradient rows (one per worker), AdamW moments and the kept-best copies; two
    workspaces of activations for a whole batch (training, spread over the workers, and
    validation); the validation batches; the token ids.
    """
    n = parameter_count(config)
    weights = FLOAT_BYTES * n * (3 + max(1, workers) + 3)
    T, d, H, hidden, V = config.context_length, config.dim, config.heads, config.hidden_dim, config.vocab_size
    N = batch * T
    per_layer = 9 * N * d + batch * H * T * T + 3 * N * hidden
    shared = 19 * N * d + 2 * N * V + batch * H * T * T + 3 * N * hidden
    activations = 2 * FLOAT_BYTES * (config.layers * per_layer + shared)
    batches = VALIDATION_BATCHES_KEPT * 2 * 8 * N
    return weights + activations + batches + 4 * tokens


def human_bytes(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if n < 1024 or unit == "PiB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} PiB"


def check_memory(config: ModelConfig, batch: int, workers: int, tokens: int) -> None:
    """Raise NotEnoughMemory (one line) when the run cannot fit in this machine's memory."""
    available = usable_memory_bytes()
    needed = training_memory_bytes(config, batch, workers, tokens)
    if available is None or needed <= available:
        return
    raise NotEnoughMemory(
        f"this run needs {human_bytes(needed)} of memory (weights, optimizer state and activations for "
        f"batch {batch} x context {config.context_length}); this machine has {human_bytes(available)}: "
        "choose a smaller model, batch or context"
    )
