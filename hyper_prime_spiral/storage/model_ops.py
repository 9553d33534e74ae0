"""Copy, import and remove model directories (`hyper-prime-spiral models cp / import / rm`).

A copy is byte-for-byte (the training record and checksums stay as they were), but only of a
model that passes the full load check first, and only of the files its config.json lists, so a
broken or half-written model is never spread and stray files stay behind. The copy is staged in
a hidden sibling and moved into place in one rename, like a save.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hyper_prime_spiral.storage import atomic
from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.layout import CONFIG_FILE
from hyper_prime_spiral.storage.model_dir import load_model, read_config
from hyper_prime_spiral.storage.search import looks_like_model_dir


@dataclass(frozen=True)
class ModelReport:
    """What `models show` prints: the config, the training record, sizes and the full check."""

    path: Path
    config: dict[str, Any]
    tokenizer: dict[str, Any]
    training: dict[str, Any]
    files: dict[str, int]
    n_params: int | None
    problem: str | None

    @property
    def total_bytes(self) -> int:
        return sum(self.files.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "model": self.config,
            "tokenizer": self.tokenizer,
            "training": self.training,
            "files": self.files,
            "bytes": self.total_bytes,
            "parameters": self.n_params,
            "checks_ok": self.problem is None,
            "problem": self.problem,
        }


def inspect_model(path: str | os.PathLike[str]) -> ModelReport:
    """Read config.json and run the full load check (every checksum and tensor shape).

    ModelFileError when config.json itself is unreadable; a later problem is reported in
    `problem` so the config can still be shown.
    """
    target = Path(path).expanduser().absolute()
    doc = read_config(target)
    files = {}
    for name in [CONFIG_FILE, *doc["files"]]:
        try:
            files[name] = (target / name).stat().st_size
        except OSError:
            files[name] = 0
    tokenizer = {key: value for key, value in doc["tokenizer"].items() if key in ("kind", "vocab_size")}
    problem, n_params = None, None
    try:
        n_params = int(load_model(target).params.size)
    except ModelFileError as exc:
        problem = str(exc)
    return ModelReport(
        target, dict(doc["model"]), tokenizer, dict(doc.get("training", {})), files, n_params, problem
    )


def copy_model(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> Path:
    """Copy a valid model directory to `target` (which must not exist); returns the new path."""
    src = Path(source).expanduser().absolute()
    dest = Path(target).expanduser().absolute()
    load_model(src)  # the full check: a broken model is refused with its own message
    doc = read_config(src)
    if os.path.lexists(dest):
        raise ModelFileError(f"{dest}: already exists (choose another name or remove it first)")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelFileError(f"{dest.parent}: cannot create this folder: {exc.strerror or exc}") from exc
    staged = atomic.temp_sibling(dest, atomic.SAVING_TAG)
    try:
        staged.mkdir()
        for name in [*doc["files"], CONFIG_FILE]:
            atomic.write_file_synced(staged / name, (src / name).read_bytes())
        atomic.fsync_dir(staged)
        atomic.install_directory(staged, dest, replace=False)
    except OSError as exc:
        raise ModelFileError(f"{dest}: cannot copy the model here: {exc.strerror or exc}") from exc
    finally:
        if os.path.lexists(staged):
            shutil.rmtree(staged, ignore_errors=True)
    return dest


def remove_model(path: str | os.PathLike[str]) -> Path:
    """Delete a model directory; refuses anything that does not look like a model."""
    target = Path(path).expanduser().absolute()
    if not target.is_dir() or target.is_symlink():
        raise ModelFileError(f"{target}: no such model directory")
    if not looks_like_model_dir(target):
        raise ModelFileError(f"{target}: not a model directory (no config.json or tensor files); not removed")
    try:
        shutil.rmtree(target)
    except OSError as exc:
        raise ModelFileError(f"{target}: could not remove it completely: {exc.strerror or exc}") from exc
    return target
