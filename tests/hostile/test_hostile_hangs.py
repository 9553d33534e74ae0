"""Issue 15, hangs and unbounded reads: special files, absurd sizes, deep nesting, orphans."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hostile_helpers import run_cli, run_cli_process, tiny_bundle, write_corpus

from hyper_prime_spiral import settings
from hyper_prime_spiral.storage import ModelFileError, load_model, save_model
from hyper_prime_spiral.storage.model_dir import check_model_quickly
from hyper_prime_spiral.storage.search import find_models

needs_fifo = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="POSIX only"
)


def _fifo(path: Path) -> Path:
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    return path


# --- 6. a pipe or a device is never read ---------------------------------------------------------
@needs_fifo
@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_pipe_or_device_as_corpus_is_refused_at_once(tmp_path, capsys, kind):
    corpus = _fifo(tmp_path / "pipe.txt") if kind == "fifo" else Path(kind)
    code, _, err = run_cli(["train", corpus, "--out", tmp_path / "m", "--steps", "1"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "not a regular file" in err


@needs_fifo
@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", ["config.json", "block_000.safetensors"])
def test_a_pipe_in_place_of_a_model_file_is_refused(tmp_path, name):
    model = save_model(tmp_path / "m", tiny_bundle())
    _fifo(model / name)
    with pytest.raises(ModelFileError, match=f"{name}: cannot read: not a regular file \\(a named pipe\\)"):
        load_model(model)


@needs_fifo
@pytest.mark.timeout(60)
def test_a_pipe_config_in_models_does_not_hang_models_generate_or_the_search(tmp_path):
    model = save_model(tmp_path / "models" / "m", tiny_bundle())
    _fifo(model / "config.json")
    assert not [info for info in find_models(tmp_path / "models" / "m") if info.valid]
    listed = run_cli_process(["models", "--json"], tmp_path, timeout=30)
    assert listed.returncode == 0
    invalid = json.loads(listed.stdout)["invalid"]
    assert invalid and "not a regular file" in invalid[0]["error"]
    generated = run_cli_process(["generate", "--seed", "0", "hello"], tmp_path, timeout=30)
    # the broken model is skipped without hanging: the built-in model (found last) answers
    assert generated.returncode == 0 and generated.stdout.strip() and "Traceback" not in generated.stderr


@needs_fifo
@pytest.mark.timeout(30)
def test_a_pipe_or_device_as_settings_file_means_defaults_and_a_message(tmp_path):
    fifo = _fifo(tmp_path / "settings.json")
    for path in (fifo, Path("/dev/zero")):
        data, problem = settings.load_settings(path)
        assert data == {} and "not a regular file" in problem


# --- 7. absurd sizes in config.json are refused before anything is built --------------------------
@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    ("field", "value", "phrase"),
    [
        ("layers", 10_000_000, "says 10000000 layer(s) but lists only"),
        ("dim", 1_000_000, "parameters but the tensor files record only"),
        ("context_length", 100_000_000, "parameters but the tensor files record only"),
        ("vocab_size", 500_000_000, "record only|says vocab_size 500000000"),
        ("mlp_ratio", 1_000_000, "parameters but the tensor files record only"),
    ],
)
def test_absurd_sizes_in_config_are_refused_quickly(tmp_path, field, value, phrase):
    model = save_model(tmp_path / "m", tiny_bundle())
    doc = json.loads((model / "config.json").read_text())
    doc["model"][field] = value
    if field == "dim":
        doc["model"]["heads"] = 1
    (model / "config.json").write_text(json.dumps(doc))
    for check in (check_model_quickly, load_model):
        with pytest.raises(ModelFileError, match=phrase.replace("(", "\\(").replace(")", "\\)")):
            check(model)


# --- 8. deep nesting is a message, not a RecursionError -------------------------------------------
def _deep(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def test_a_deeply_nested_config_json_is_a_model_file_error(tmp_path):
    model = save_model(tmp_path / "models" / "m", tiny_bundle())
    (model / "config.json").write_text('{"format": ' + _deep() + "}")
    with pytest.raises(ModelFileError, match="config.json: JSON nested too deeply"):
        load_model(model)
    listed = run_cli_process(["models", "--json"], tmp_path, timeout=30)
    assert listed.returncode == 0 and "nested too deeply" in listed.stdout
    generated = run_cli_process(["generate", "--seed", "0", "hello"], tmp_path, timeout=30)
    assert generated.returncode == 0 and "Traceback" not in generated.stderr  # skipped: the built-in answers


def test_a_deeply_nested_settings_file_means_defaults_and_a_message(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text('{"training": ' + _deep() + "}")
    data, problem = settings.load_settings(path)
    assert data == {} and "nested too deeply" in problem


# --- 9. no worker outlives its parent --------------------------------------------------------------
_GENERATION_PARENT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {helpers!r})
    from hostile_helpers import tiny_bundle
    from multiprocessing import resource_tracker
    from hyper_prime_spiral.model.generation_process import GenerationProcess

    worker = GenerationProcess()
    reply = "".join(worker.stream(tiny_bundle(), "to be", max_tokens=3, seed=1))
    tracker = resource_tracker._resource_tracker._pid
    print(worker._process.pid, tracker or 0, flush=True)
    time.sleep(600)
    """
)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_gone(pids: list[int], timeout: float = 15.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if _alive(p)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(90)
def test_the_generation_worker_and_its_tracker_end_when_the_app_is_killed(tmp_path):
    script = _GENERATION_PARENT.format(helpers=str(Path(__file__).parent))
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split() if int(p)]
        assert pids and all(_alive(p) for p in pids)
        parent.kill()
        parent.wait(timeout=10)
        assert _wait_gone(pids) == []
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in pids if "pids" in locals() else []:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.timeout(120)
def test_training_workers_end_when_the_training_process_is_killed_mid_step(tmp_path):
    corpus = write_corpus(tmp_path)
    cmd = [sys.executable, "-m", "hyper_prime_spiral", "train", corpus, "--out", tmp_path / "m", "--json"]
    cmd += ["--workers", "2", "--steps", "100000", "--eval-every", "1", "--batch", "4", "--context", "64"]
    cmd += ["--layers", "2", "--dim", "64", "--heads", "2"]
    parent = subprocess.Popen(
        [str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    workers: list[int] = []
    try:
        assert "step" in json.loads(parent.stdout.readline())
        workers = _children(parent.pid)
        assert len(workers) >= 2
        parent.kill()
        parent.wait(timeout=10)
        assert _wait_gone(workers) == []
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
