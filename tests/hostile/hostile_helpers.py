"""Helpers for the hostile-input tests: a tiny trained model, CLI runs in and out of process.

(A uniquely named module, not conftest.py, so imports cannot pick up another folder's conftest.)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model.bundle import ModelBundle, OptimizerState
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord

CORPUS = "to be or not to be, that is the question.\n" * 30
TINY = ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "4"]
TINY += ["--tokenizer", "char"]  # the messages these tests read name the char vocabulary


def write_corpus(folder: Path, text: str = CORPUS, name: str = "corpus.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(argv: list, capsys) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of one in-process CLI run."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def run_cli_process(argv: list, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    """The CLI in a child process (for what reaches the real stderr: worker output, signals)."""
    env = {**os.environ, "HOME": str(cwd), "XDG_DATA_HOME": str(cwd / "data")}
    env.pop("HYPER_PRIME_SPIRAL_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "hyper_prime_spiral", *[str(a) for a in argv]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def train_tiny(folder: Path, corpus: Path, capsys, *extra) -> Path:
    """A small saved model (a few steps on one worker)."""
    code, _, err = run_cli(
        ["train", corpus, "--out", folder, "--steps", "3", "--workers", "1", *TINY, *extra], capsys
    )
    assert code == 0, err
    return folder


def tree_digest(folder: Path) -> str:
    """One hash of every file's name and bytes under `folder` (byte-identical check)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def tiny_bundle(seed: int = 0) -> ModelBundle:
    """A small model with random weights and optimizer state (nothing trained)."""
    tokenizer = build_tokenizer("char", CORPUS)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=16, dim=16, layers=2, heads=2)
    rng = np.random.default_rng(seed)
    n = ParamLayout(config).n_params
    state = OptimizerState(rng.standard_normal(n, dtype=np.float32), rng.random(n, dtype=np.float32), 3)
    params = rng.standard_normal(n, dtype=np.float32)
    return ModelBundle(config, tokenizer, params, TrainingRecord(steps=3), state)
