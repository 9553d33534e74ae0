"""Shared set-up for the cluster tests: find mpiexec, run a job with a timeout, tiny models."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hyper_prime_spiral.model.config import ModelConfig

HERE = Path(__file__).parent
TINY = ModelConfig(vocab_size=11, context_length=8, dim=16, layers=2, heads=2, seed=3)
TINY_ARGS = ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "5"]
CORPUS = "to be or not to be, that is the question.\n" * 40
JOB_TIMEOUT_S = 90


def _mpiexec() -> str | None:
    beside = Path(sys.executable).parent / "mpiexec"
    return str(beside) if beside.exists() else shutil.which("mpiexec")


def _mpi_missing() -> str | None:
    if importlib.util.find_spec("mpi4py") is None:  # found, not imported: tests never start MPI here
        return "MPI is absent (mpi4py not installed): pip install -e '.[test,cluster]' runs these tests"
    if _mpiexec() is None:
        return "MPI is absent (no mpiexec on PATH): pip install -e '.[test,cluster]' runs these tests"
    return None


MPI_MISSING = _mpi_missing()
needs_mpi = pytest.mark.skipif(MPI_MISSING is not None, reason=MPI_MISSING or "")


def job_env() -> dict[str, str]:
    """The environment of a launched job: this checkout importable, no MPI variables of our own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "PMIX_", "OMPI_"))}
    root = str(HERE.parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, str(HERE), env.get("PYTHONPATH")) if p)
    return env


def mpiexec_command(ranks: int, argv: list[str]) -> list[str]:
    exe = _mpiexec()
    assert exe is not None
    return [exe, "-n", str(ranks), sys.executable, *argv]


def run_job(ranks: int, argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """`mpiexec -n ranks python argv...`, killed after JOB_TIMEOUT_S so nothing hangs."""
    return subprocess.run(
        mpiexec_command(ranks, [str(a) for a in argv]),
        cwd=cwd,
        env=job_env(),
        capture_output=True,
        text=True,
        timeout=JOB_TIMEOUT_S,
    )


def train_argv(corpus: Path, out: Path, steps: int, *extra: str) -> list[str]:
    return [
        "-m",
        "hyper_prime_spiral",
        "train",
        str(corpus),
        "--out",
        str(out),
        "--steps",
        str(steps),
        *TINY_ARGS,
        "--json",
        *extra,
    ]


def run_single(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """The same command in one plain process (no MPI launcher)."""
    return subprocess.run(
        [sys.executable, *argv], cwd=cwd, env=job_env(), capture_output=True, text=True, timeout=JOB_TIMEOUT_S
    )


def shm_segments_of(pids: list[int]) -> set[str]:
    """The /dev/shm files these processes have mapped."""
    from hyper_prime_spiral.training.rank_guard import mapped_segments

    names: set[str] = set()
    for pid in pids:
        names |= mapped_segments(pid)
    return names


def children_of(pid: int) -> list[int]:
    """Direct child processes of `pid` (from /proc)."""
    kids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(entry.name))
    return kids


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
