"""Ctrl+C or a killed worker on `hyper-prime-spiral train --workers 2`: nothing left behind.

The CLI's first Ctrl+C stops after the current step and saves. (The abort path, a
KeyboardInterrupt in the middle of a step, is tested with a small driver script in
test_parallel_lifecycle.py: a second Ctrl+C on the CLI cannot be timed reliably.)
The signal goes to the whole process group, as a terminal sends it, so the workers get it too.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from hyper_prime_spiral.storage import load_model

SHM = "/dev/shm"
TEXT = "the quick brown fox jumps over the lazy dog. " * 40


def mapped_segments(pid: int) -> set[str]:
    """Shared-memory segments a running process has mapped (exactly this run's, no others')."""
    with open(f"/proc/{pid}/maps") as maps:
        return {line.split()[-1].rsplit("/", 1)[-1] for line in maps if f"{SHM}/" in line}


def start_training(tmp_path) -> subprocess.Popen:
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(TEXT, encoding="utf-8")
    cmd = [sys.executable, "-m", "hyper_prime_spiral", "train", str(corpus), "--out", str(tmp_path / "model")]
    cmd += ["--workers", "2", "--steps", "100000", "--json", "--eval-every", "1"]
    cmd += ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "8", "--batch", "4"]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def interrupt(proc: subprocess.Popen, times: int) -> tuple[str, str, set[str]]:
    """Wait for the first progress line, then press Ctrl+C `times` times (to the process group).

    Returns stdout, stderr and the segments the run had mapped."""
    try:
        first = proc.stdout.readline()
        assert "step" in json.loads(first), first
        segments = mapped_segments(proc.pid)
        for _ in range(times):
            os.killpg(proc.pid, signal.SIGINT)
            time.sleep(0.2)  # let the handler run before the next press
        out, err = proc.communicate(timeout=90)
        return first + out, err, segments
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def test_ctrl_c_on_the_cli_stops_saves_and_frees_every_segment(tmp_path):
    proc = start_training(tmp_path)
    out, err, segments = interrupt(proc, 1)
    assert segments, "the run did not use the pool's shared memory"
    assert not [n for n in segments if os.path.exists(os.path.join(SHM, n))], "shared memory left behind"
    assert "leaked" not in err and "resource_tracker" not in err and "Traceback" not in err, err
    assert proc.returncode == 0, err
    assert json.loads(out.strip().splitlines()[-1])["stopped"] is True
    assert (tmp_path / "model" / "config.json").exists()


def worker_pids(pid: int) -> list[int]:
    """The spawned training workers among a process's children (not its resource tracker)."""
    with open(f"/proc/{pid}/task/{pid}/children") as f:
        children = [int(c) for c in f.read().split()]
    workers = []
    for child in children:
        with open(f"/proc/{child}/cmdline", "rb") as f:
            if b"spawn_main" in f.read():
                workers.append(child)
    return workers


def test_a_killed_worker_ends_the_cli_with_a_clear_message_and_saves_what_was_learnt(tmp_path):
    proc = start_training(tmp_path)
    try:
        assert "step" in json.loads(proc.stdout.readline())
        segments = mapped_segments(proc.pid)
        workers = worker_pids(proc.pid)
        assert len(workers) == 2
        os.kill(workers[1], signal.SIGKILL)
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 1
    assert "training failed" in err and "died (exit code -9" in err, err
    assert "Traceback" not in err and "leaked" not in err, err
    assert segments and not [n for n in segments if os.path.exists(os.path.join(SHM, n))]
    assert "saved the weights of step" in err and str(tmp_path / "model") in err, err
    assert load_model(tmp_path / "model").training.steps >= 1  # the steps before the crash are kept
