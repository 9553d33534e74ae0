"""The cluster layer without MPI: launcher detection, the engine on a one-rank stand-in,
the digest check, the shared-memory guard, and the CLI with and without mpi4py."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
from cluster_helpers import CORPUS, TINY, job_env

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.cluster import (
    ClusterEngine,
    ClusterError,
    compare_digests,
    launched_by_mpi,
    parameter_digest,
)
from hyper_prime_spiral.training.gradient_engine import GradientEngine
from hyper_prime_spiral.training.in_process_engine import InProcessEngine


class OneRank:
    """A one-rank group: all-reduce and all-gather are the identity."""

    rank, size = 0, 1

    def __init__(self, gathered=None):
        self.gathered = gathered

    def allreduce_sum(self, buffer):
        pass

    def allgather(self, value):
        return [value] if self.gathered is None else self.gathered(value)

    def abort(self, code):
        raise AssertionError("abort called")


def test_launcher_detected_from_its_variables_only():
    assert not launched_by_mpi({"PATH": "/bin"})
    assert launched_by_mpi({"PMI_RANK": "0", "PMI_SIZE": "2"})  # MPICH's hydra
    assert launched_by_mpi({"OMPI_COMM_WORLD_SIZE": "2"})  # Open MPI


def test_one_rank_engine_steps_exactly_like_the_in_process_engine():
    rng = np.random.default_rng(0)
    batches = [(rng.integers(0, 11, (4, 8)), rng.integers(0, 11, (4, 8))) for _ in range(3)]
    plain = InProcessEngine(TINY, init_params(TINY), AdamWSettings())
    cluster = ClusterEngine(OneRank(), TINY, init_params(TINY), AdamWSettings(), check_every=1)
    assert isinstance(cluster, GradientEngine)
    for x, y in batches:
        assert cluster.step(x, y, 1e-2) == pytest.approx(plain.step(x, y, 1e-2), rel=1e-6)
    assert np.array_equal(cluster.params, plain.params)
    assert cluster.optimizer_state().step == 3
    cluster.close()
    cluster.close()  # idempotent


def test_stop_request_becomes_the_agreed_stop_after_the_step():
    cluster = ClusterEngine(OneRank(), TINY, init_params(TINY))
    x = np.zeros((2, 8), np.int64)
    cluster.step(x, x, 1e-3)
    assert not cluster.stop_agreed.is_set()
    cluster.stop_request.set()
    cluster.step(x, x, 1e-3)
    assert cluster.stop_agreed.is_set()


def test_different_parameters_on_a_rank_stop_the_run_naming_it():
    digest = parameter_digest(np.arange(4, dtype=np.float32))
    assert digest == parameter_digest(np.arange(4, dtype=np.float32))
    assert digest != parameter_digest(np.arange(4, dtype=np.float32) + np.float32(1e-7))
    three = OneRank(gathered=lambda d: [d, d, "0123456789abcdef"])
    with pytest.raises(ClusterError, match=r"after step 7: the parameters of rank\(s\) 2 differ from rank 0"):
        compare_digests(three, digest, "after step 7")
    engine = ClusterEngine(OneRank(), TINY, init_params(TINY), check_every=2)
    engine.comm = OneRank(gathered=lambda d: [d, "0" * 16])
    x = np.zeros((2, 8), np.int64)
    engine.step(x, x, 1e-3)  # no comparison on step 1
    with pytest.raises(ClusterError, match="after step 2"):
        engine.step(x, x, 1e-3)


def test_engine_refuses_parameters_of_the_wrong_size():
    with pytest.raises(ValueError, match="the model needs"):
        ClusterEngine(OneRank(), TINY, np.zeros(5, np.float32))


# A segment made by hand, not by shared_memory: no resource tracker could clean it up, only the guard.
_GUARDED_CHILD = """
import mmap, os, sys, time
from hyper_prime_spiral.training.rank_guard import RankGuard
name = f"psm_guardtest_{os.getpid()}"
with open(f"/dev/shm/{name}", "wb+") as f:
    f.truncate(4096)
    mapping = mmap.mmap(f.fileno(), 4096)
guard = RankGuard(3, "testhost")
if sys.argv[1] == "done":
    guard.done()
print(name, flush=True)
time.sleep(60)
"""


def _guarded_child(word: str) -> tuple[subprocess.Popen, str]:
    # SIGKILL is what the MPI launcher sends to every other rank: no finally block runs.
    child = subprocess.Popen(
        [sys.executable, "-c", _GUARDED_CHILD, word],
        env=job_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    name = child.stdout.readline().strip()
    time.sleep(1.0)  # the guard has read the child's memory map at least once
    return child, name


def test_guard_removes_a_killed_ranks_segments_and_names_the_rank():
    child, name = _guarded_child("nothing")
    child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=20)  # the guard holds stderr until it is done
    assert not os.path.exists(f"/dev/shm/{name}")
    assert f"rank 3 (pid {child.pid} on testhost) ended before training finished" in err
    assert "removed 1 shared-memory segment(s) rank 3 left" in err


def test_guard_leaves_a_rank_that_said_done_alone():
    child, name = _guarded_child("done")
    child.send_signal(signal.SIGKILL)
    _, err = child.communicate(timeout=20)
    try:
        assert os.path.exists(f"/dev/shm/{name}") and err == ""
    finally:
        os.unlink(f"/dev/shm/{name}")


def _cli(tmp_path, code: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(CORPUS, encoding="utf-8")
    argv = [
        "train",
        str(corpus),
        "--out",
        str(tmp_path / "m"),
        "--steps",
        "2",
        "--layers",
        "1",
        "--dim",
        "16",
        "--heads",
        "2",
        "--context",
        "16",
        "--workers",
        "1",
    ]
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        env={**job_env(), **extra_env},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_plain_training_never_imports_mpi(tmp_path):
    code = (
        "import sys\nfrom hyper_prime_spiral.cli import main\nassert main(sys.argv[1:]) == 0\n"
        "assert not any(m.startswith('mpi4py') for m in sys.modules), 'mpi4py was imported'"
    )
    job = _cli(tmp_path, code, {})
    assert job.returncode == 0, job.stderr
    assert (tmp_path / "m" / "config.json").exists()


def test_started_by_mpiexec_without_mpi4py_is_a_one_line_error(tmp_path):
    code = (
        "import sys\nsys.modules['mpi4py'] = None\n"
        "from hyper_prime_spiral.cli import main\nsys.exit(main(sys.argv[1:]))"
    )
    job = _cli(tmp_path, code, {"PMI_RANK": "0", "PMI_SIZE": "1"})
    assert job.returncode == 2
    assert job.stderr.count("\n") == 1 and "hyper-prime-spiral[cluster]" in job.stderr
    assert not (tmp_path / "m").exists()


def test_ranks_that_start_from_different_weights_are_refused_and_the_pool_is_freed():
    import multiprocessing

    other = OneRank(gathered=lambda d: [d, "0" * 16])
    with pytest.raises(ClusterError, match=r"at the start: the parameters of rank\(s\) 1 differ"):
        ClusterEngine(other, TINY, init_params(TINY), workers=2)
    assert multiprocessing.active_children() == []
