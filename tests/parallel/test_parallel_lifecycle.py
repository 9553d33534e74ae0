"""The pool frees every shared segment however training ends, and reports failures clearly."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
from parallel_helpers import TINY, TOY, batch, segments_alive, toy_params

from hyper_prime_spiral.model.bundle import OptimizerState
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.gradient_engine import WorkerCrashed, WorkerError
from hyper_prime_spiral.training.gradient_model import ModelSpec
from hyper_prime_spiral.training.pool_engine import PoolEngine
from hyper_prime_spiral.training.shared_buffers import SharedArena

HERE = Path(__file__).parent
TRAINING_SOURCES = Path(__file__).parents[2] / "hyper_prime_spiral" / "training"


def test_normal_run_leaves_no_segment_and_keeps_the_result_readable():
    x, y = batch(4, 6, 7)
    engine = PoolEngine(None, toy_params(), AdamWSettings(), workers=2, model=TOY)
    try:
        before = engine.segment_names
        assert before and segments_alive(before) == before
        engine.step(x, y, 1e-2)
        names = engine.segment_names
        assert len(names) == len(before) + 2  # plus the token buffers (x, y) of the first batch
        held_view = engine.params[:5]  # a caller's view that outlives close()
        expected = held_view.copy()
    finally:
        engine.close()
    engine.close()  # idempotent
    assert segments_alive(names) == []
    np.testing.assert_array_equal(held_view, expected)  # still mapped, not a dangling pointer
    assert engine.params.shape == toy_params().shape and np.isfinite(engine.params).all()
    assert engine.optimizer_state().step == 1
    with pytest.raises(RuntimeError, match="closed"):
        engine.step(x, y, 1e-2)


def test_workers_run_blas_on_one_thread_and_never_load_pygame():
    with PoolEngine(None, toy_params(), workers=2, model=TOY) as engine:
        reports = engine.worker_reports
    assert [r["blas_threads"] for r in reports] in ([1, 1], [None, None])
    assert [r["numexpr_threads"] for r in reports] in ([1, 1], [None, None])
    assert not any(r["pygame_loaded"] for r in reports)


def test_training_modules_do_not_import_pygame_or_change_the_parent_environment():
    for path in TRAINING_SOURCES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "pygame" for n in names), f"{path.name} imports pygame"
    code = (
        "import os, sys, hyper_prime_spiral.training.pool_engine\n"
        "print('pygame' in sys.modules, os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.split() == ["False", "None"]  # and the parent's BLAS settings stay untouched


def test_killed_worker_is_reported_and_every_segment_is_freed():
    x, y = batch(5, TINY.context_length, TINY.vocab_size)
    engine = PoolEngine(TINY, init_params(TINY), workers=2)
    try:
        engine.step(x, y, 1e-3)
        names = engine.segment_names
        os.kill(engine.worker_pids[1], signal.SIGKILL)
        with pytest.raises(WorkerCrashed, match=r"training worker 1 died \(exit code -9"):
            engine.step(x, y, 1e-3)
        assert segments_alive(names) == []  # the failed step already cleaned up
    finally:
        engine.close()
    assert np.isfinite(engine.params).all()


def record_segments(monkeypatch) -> list[str]:
    """Names of every segment the pool creates from now on."""
    created: list[str] = []
    original = SharedArena.create

    def create(self, *args, **kwargs):
        shared = original(self, *args, **kwargs)
        created.append(shared.spec.name)
        return shared

    monkeypatch.setattr(SharedArena, "create", create)
    return created


def test_a_model_that_fails_in_the_worker_gives_its_traceback(monkeypatch):
    created = record_segments(monkeypatch)
    with pytest.raises(WorkerError, match="refuses to be built"):
        PoolEngine(None, toy_params(), workers=2, model=ModelSpec("parallel_toy_model:broken", 7))
    assert created and segments_alive(created) == []


def test_a_worker_failing_mid_step_stops_the_pool_with_its_traceback(monkeypatch):
    created = record_segments(monkeypatch)
    x, y = batch(4, 6, 7)
    engine = PoolEngine(None, toy_params(), workers=2, model=ModelSpec("parallel_toy_model:fragile", 7))
    try:
        engine.step(x, y, 1e-2)
        after_first = engine.params.copy()
        x[:2] = 0  # worker 0's shard fails; worker 1 must not wait for it forever
        with pytest.raises(WorkerError, match="poisoned shard") as raised:
            engine.step(x, y, 1e-2)
    finally:
        engine.close()
    assert "training worker 1" not in str(raised.value)  # only the worker that failed speaks
    assert created and segments_alive(created) == []
    np.testing.assert_array_equal(engine.params, after_first)  # no worker updated its slice


@pytest.mark.parametrize("workers", [2, 3])
def test_a_worker_dying_mid_step_leaves_the_last_whole_step_and_frees_everything(workers, monkeypatch):
    created = record_segments(monkeypatch)
    x, y = batch(6, 6, 7)
    engine = PoolEngine(None, toy_params(), workers=workers, model=ModelSpec("parallel_toy_model:dying", 7))
    try:
        engine.step(x, y, 1e-2)
        after_first = engine.params.copy()
        x[:3] = 0  # worker 0 dies inside the step; the others wait for it at the barrier
        with pytest.raises(WorkerCrashed, match=r"training worker 0 died \(exit code 3\)"):
            engine.step(x, y, 1e-2)
        pids = engine.worker_pids
    finally:
        engine.close()
    assert pids == []  # every worker, the waiting ones too, has gone
    assert created and segments_alive(created) == []
    np.testing.assert_array_equal(engine.params, after_first)  # the waiting workers updated nothing


def test_params_that_do_not_fit_the_model_are_refused():
    with pytest.raises(ValueError, match="the model needs"):
        PoolEngine(TINY, np.zeros(10, np.float32), workers=2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"workers": 0}, "workers must be a positive integer"),
        ({"workers": 2, "grad_accum": 0}, "grad_accum must be a positive integer"),
        ({"workers": 2, "state": OptimizerState(np.zeros(3), np.zeros(3), 1)}, "3 moments"),
        ({"workers": 2, "params": np.zeros((2, 28), np.float32)}, "flat array"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(kwargs, message, monkeypatch):
    created = record_segments(monkeypatch)
    with pytest.raises(ValueError, match=message):
        PoolEngine(None, **{"params": toy_params(), "model": TOY, **kwargs})
    assert created == []  # refused before any segment or process exists
    with pytest.raises(ValueError, match="module:callable"):
        ModelSpec("no_colon_here", 7)


def test_bad_batches_are_refused_and_the_pool_stays_usable():
    x, y = batch(3, 6, 7)
    with PoolEngine(None, toy_params(), workers=2, model=TOY) as engine:
        with pytest.raises(ValueError, match="equal, non-empty"):
            engine.step(x, y[:, :5], 1e-2)
        with pytest.raises(ValueError, match="equal, non-empty"):
            engine.step(x[:0], y[:0], 1e-2)
        with pytest.raises(ValueError, match="integer token ids"):
            engine.step(x.astype(np.float32), y, 1e-2)
        loss, norm = engine.step(x, y, 1e-2)
    assert np.isfinite(loss) and norm > 0


def test_ctrl_c_leaves_no_segment_and_no_tracker_warning():
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "parallel_sigint_driver.py")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        line = proc.stdout.readline()
        names = json.loads(line)["segments"]
        assert segments_alive(names) == names
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl+C reaches the parent and its workers
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 130, stderr
    assert segments_alive(names) == []
    assert "leaked" not in stderr and "resource_tracker" not in stderr, stderr
    assert "Traceback" not in stderr, stderr


def test_the_pool_runs_from_a_background_thread_like_the_training_tab():
    outcome: dict = {}

    def train_in_thread():
        x, y = batch(3, 6, 7)
        engine = PoolEngine(None, toy_params(), workers=2, model=TOY)
        try:
            outcome["losses"] = [engine.step(x, y, 1e-2)[0] for _ in range(3)]
            outcome["names"] = engine.segment_names
        finally:
            engine.close()

    thread = threading.Thread(target=train_in_thread)
    thread.start()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert len(outcome["losses"]) == 3 and outcome["losses"][-1] < outcome["losses"][0]
    assert segments_alive(outcome["names"]) == []
