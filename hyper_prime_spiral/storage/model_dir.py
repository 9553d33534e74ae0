"""Save and load a model directory (config.json + one safetensors file per part).

Why a directory of small files: every file is checksummed and checked tensor by tensor on
load, so a damaged or mismatched model is refused with a message that names the file,
instead of being read back misaligned. No pickle: JSON and safetensors only.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import safetensors.numpy

from hyper_prime_spiral.model.bundle import ModelBundle, OptimizerState
from hyper_prime_spiral.model.config import ConfigError, ModelConfig
from hyper_prime_spiral.model.params import ParamLayout, TensorSlot, parameter_count
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.regular_files import check_regular_file, read_regular_file
from hyper_prime_spiral.storage import atomic
from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.layout import (
    CONFIG_FILE,
    EMBEDDINGS_FILE,
    FORMAT_NAME,
    FORMAT_VERSION,
    HEAD_FILE,
    OPTIMIZER_FILE,
    TOKENIZER_FILES,
    block_file_layer,
    optimizer_tensor_names,
    parameter_files,
)

__all__ = [
    "ModelFileError",
    "check_model_quickly",
    "check_save_target",
    "load_model",
    "read_config",
    "save_model",
]

_FILE_METADATA = {"format": FORMAT_NAME, "version": str(FORMAT_VERSION)}
_MAX_TOKENIZER_BYTES = 64 << 20  # a 65,536-token BPE's tokenizer.json is about 5 MB
MAX_CONFIG_BYTES = 64 * 1024 * 1024  # config.json holds the vocabulary: megabytes at most


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ----------------------------------------------------------------------------- save


def _check_bundle(bundle: ModelBundle) -> ParamLayout:
    """Refuse to write a bundle that could not be loaded back."""
    layout = ParamLayout(bundle.config)
    params = bundle.params
    if not isinstance(params, np.ndarray) or params.dtype != np.float32 or params.shape != (layout.n_params,):
        raise ModelFileError(
            f"cannot save: parameters must be a flat float32 array of {layout.n_params} values, got "
            f"{getattr(params, 'dtype', type(params).__name__)} {getattr(params, 'shape', '')}"
        )
    unknown = sorted(set(_tokenizer_files(bundle.tokenizer)) - set(TOKENIZER_FILES))
    if unknown:
        raise ModelFileError(f"cannot save: the tokenizer wants to write unexpected files: {unknown}")
    vocab = getattr(bundle.tokenizer, "vocab_size", None)
    if vocab != bundle.config.vocab_size:
        raise ModelFileError(
            f"cannot save: the tokenizer has {vocab} tokens "
            f"but the model config says {bundle.config.vocab_size}"
        )
    opt = bundle.optimizer
    if opt is not None:
        for label, moment in (("m", opt.m), ("v", opt.v)):
            ok = isinstance(moment, np.ndarray) and moment.dtype == np.float32
            if not ok or moment.shape != params.shape:
                raise ModelFileError(
                    f"cannot save: optimizer moment {label} must be float32 of shape {params.shape}"
                )
    _refuse_non_finite(layout, params, "")
    if opt is not None:
        _refuse_non_finite(layout, opt.m, "optimizer moment m of ")
        _refuse_non_finite(layout, opt.v, "optimizer moment v of ")
    return layout


def _tokenizer_files(tokenizer: Any) -> dict[str, str]:
    """Extra files of the tokenizer (BPE: tokenizer.json); none for char and word."""
    files = getattr(tokenizer, "files", None)
    return files() if files is not None else {}


def _refuse_non_finite(layout: ParamLayout, flat: np.ndarray, what: str) -> None:
    """A NaN or infinite weight makes every later output NaN: such a model is never written."""
    if np.isfinite(flat).all():
        return
    for name, view in layout.views(flat).items():
        bad = int(view.size - np.count_nonzero(np.isfinite(view)))
        if bad:
            raise ModelFileError(
                f"cannot save: {what}tensor {name} holds {bad} non-finite value(s) (NaN or infinity)"
            )


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _previous_created(target: Path) -> str | None:
    try:
        doc = json.loads(read_regular_file(target / CONFIG_FILE, MAX_CONFIG_BYTES).decode("utf-8"))
        return TrainingRecord.from_dict(doc["training"]).created
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _tensor_files(bundle: ModelBundle, layout: ParamLayout):
    """Yield (file name, {tensor name: array}, metadata) for every tensor file to write."""
    views = layout.views(bundle.params)
    for filename, slots in parameter_files(bundle.config).items():
        yield filename, {s.name: views[s.name] for s in slots}, _FILE_METADATA
    opt = bundle.optimizer
    if opt is not None:
        m_views, v_views = layout.views(opt.m), layout.views(opt.v)
        tensors: dict[str, np.ndarray] = {}
        for slot in layout:
            m_name, v_name = optimizer_tensor_names(slot.name)
            tensors[m_name] = m_views[slot.name]
            tensors[v_name] = v_views[slot.name]
        yield OPTIMIZER_FILE, tensors, {**_FILE_METADATA, "step": str(int(opt.step))}


def _config_document(bundle: ModelBundle, files: dict[str, Any], created: str | None) -> bytes:
    """config.json's bytes: `created` is kept from the version being replaced, else now."""
    now = _now_iso()
    training = replace(bundle.training, created=created or now, updated=now).to_dict()
    doc = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "model": bundle.config.to_dict(),
        "tokenizer": bundle.tokenizer.to_dict(),
        "training": training,
        "optimizer": None
        if bundle.optimizer is None
        else {"file": OPTIMIZER_FILE, "step": int(bundle.optimizer.step)},
        "files": files,
    }
    try:
        return (json.dumps(doc, indent=2, default=_json_default) + "\n").encode("utf-8")
    except (TypeError, ValueError) as exc:
        raise ModelFileError(f"cannot save: the training record or tokenizer is not JSON: {exc}") from exc


def _write_error_message(target: Path, exc: OSError, replacing: bool) -> str:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        reason = "the disk is full"
    kept = " the previous version is unchanged" if replacing else " nothing was written"
    return f"{target}: cannot save the model: {reason};{kept}"


def is_model_file_name(name: str) -> bool:
    """A name a saved model directory holds (config.json, its tensor files, tokenizer.json)."""
    own = (CONFIG_FILE, EMBEDDINGS_FILE, HEAD_FILE, OPTIMIZER_FILE, *TOKENIZER_FILES)
    return name in own or block_file_layer(name) is not None


def _recognisable_model(target: Path) -> None:
    """Refuse unless config.json is a regular file naming our format and version: only a folder
    that is recognisably one of our models may be replaced (a `config.json` alone is not enough)."""
    config_path = target / CONFIG_FILE
    try:
        raw = read_regular_file(config_path, MAX_CONFIG_BYTES)
        doc = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ModelFileError(
            f"{target}: is a folder with other files, not a model; refusing to replace it"
        ) from None
    except (OSError, ValueError, RecursionError):
        doc = None
    ours = isinstance(doc, dict) and doc.get("format") == FORMAT_NAME
    if not (ours and doc.get("version") == FORMAT_VERSION):
        raise ModelFileError(
            f"{config_path}: not a hyper-prime-spiral model's config.json; refusing to replace {target.name}"
        )


def _check_replaceable(target: Path, overwrite: bool) -> tuple[bool, str | None]:
    """(whether something is at `target`, its `created` time); refuses what must not be replaced.

    An empty directory (e.g. made by the user for `--out`) is filled without `overwrite`. Only a
    recognisable model holding nothing but its own files is replaced, and not a write-protected one:
    replacing removes the whole folder, so anything else in it would be lost.
    """
    if not os.path.lexists(target):
        return False, None
    try:
        if target.is_symlink():
            raise ModelFileError(f"{target}: is a symbolic link; refusing to save through it")
        if not target.is_dir():
            raise ModelFileError(f"{target}: exists and is not a model directory; refusing to replace it")
        entries = sorted(os.listdir(target))
        mode = target.stat().st_mode
    except OSError as exc:
        raise ModelFileError(f"{target}: cannot read: {exc.strerror or exc}") from exc
    if not entries:
        return True, None
    if not overwrite:
        raise ModelFileError(f"{target}: a model with this name already exists (overwrite it to replace)")
    _recognisable_model(target)
    foreign = [name for name in entries if not is_model_file_name(name)]
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ModelFileError(
            f"{target}: holds files that are not part of the model ({shown}); refusing to replace it "
            "(move them elsewhere first); nothing was changed"
        )
    if not (mode & stat.S_IWUSR) or not os.access(target, os.W_OK | os.X_OK):
        raise ModelFileError(f"{target}: the model folder is read-only; refusing to replace it")
    return True, _previous_created(target)


def _nearest_existing(path: Path) -> Path:
    while not os.path.lexists(path) and path.parent != path:
        path = path.parent
    return path


def check_save_target(path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Everything about a save target that can be known before training (absolute path returned).

    Callers run this before the first step, so a bad target (a read-only or missing-and-uncreatable
    folder, a path under a file, a symbolic link, a folder that is not a replaceable model) is
    refused at once instead of after the whole run. `save_model` checks the same again.
    """
    target = Path(path).expanduser().absolute()
    if target.name in ("", ".", ".."):
        raise ModelFileError(f"{path}: not a valid model directory name")
    _check_replaceable(target, overwrite)
    ancestor = _nearest_existing(target.parent)
    if not ancestor.is_dir():
        raise ModelFileError(f"{ancestor}: is a file, so {target} cannot be created under it")
    try:
        probe = tempfile.mkdtemp(prefix=".hps-write-check-", dir=ancestor)
    except OSError as exc:
        reason = exc.strerror or exc
        raise ModelFileError(f"{ancestor}: cannot save a model in this folder: {reason}") from None
    os.rmdir(probe)
    return target


def save_model(path: str | os.PathLike[str], bundle: ModelBundle, *, overwrite: bool = False) -> Path:
    """Write `bundle` to directory `path` atomically; returns the absolute path written.

    An existing model is replaced only with `overwrite=True`, and stays intact until the new
    one is complete. Any failure (full disk, permissions) raises ModelFileError and leaves
    no temporary directory behind. `bundle` itself is not modified (it may be in use by
    another thread): set `bundle.path` from the returned path if wanted.
    """
    target = Path(path).expanduser().absolute()
    if target.name in ("", ".", ".."):
        raise ModelFileError(f"{path}: not a valid model directory name")
    layout = _check_bundle(bundle)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic.recover_leftovers(target)
    except OSError as exc:
        reason = exc.strerror or exc
        raise ModelFileError(f"{target.parent}: cannot create or use this folder: {reason}") from exc

    replacing, created = _check_replaceable(target, overwrite)

    staged = atomic.temp_sibling(target, atomic.SAVING_TAG)
    try:
        staged.mkdir()
        files: dict[str, Any] = {}
        for filename, tensors, metadata in _tensor_files(bundle, layout):
            data = safetensors.numpy.save(tensors, metadata=metadata)
            atomic.write_file_synced(staged / filename, data)
            files[filename] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            del data
        for filename, text in _tokenizer_files(bundle.tokenizer).items():
            data = text.encode("utf-8")
            atomic.write_file_synced(staged / filename, data)
            files[filename] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        atomic.write_file_synced(staged / CONFIG_FILE, _config_document(bundle, files, created))
        atomic.fsync_dir(staged)
        atomic.install_directory(staged, target, replace=replacing)
    except OSError as exc:
        raise ModelFileError(_write_error_message(target, exc, replacing)) from exc
    finally:
        if os.path.lexists(staged):
            shutil.rmtree(staged, ignore_errors=True)
    return target


# ----------------------------------------------------------------------------- load


def _restore_interrupted(target: Path) -> None:
    """Put back the previous version of a model whose replacement was killed half-way
    (only possible where directories cannot be swapped atomically)."""
    try:
        atomic.recover_leftovers(target)
    except OSError:
        pass  # nothing restorable; the caller reports the missing model


def read_config(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse and check config.json of a model directory (format, version, required sections).

    Cheap (no tensor is read): `search` uses it to list models quickly.
    """
    target = Path(path).expanduser()
    if not os.path.lexists(target):
        _restore_interrupted(target)
    if not os.path.lexists(target):
        raise ModelFileError(f"{target}: no such model directory")
    if not target.is_dir():
        raise ModelFileError(f"{target}: is a file, not a model directory")
    config_path = target / CONFIG_FILE
    try:
        os.listdir(target)
    except OSError as exc:
        raise ModelFileError(f"{target}: cannot read: {exc.strerror or exc}") from exc
    try:
        raw = read_regular_file(config_path, MAX_CONFIG_BYTES)
    except FileNotFoundError:
        raise ModelFileError(f"{config_path}: missing (this folder is not a saved model)") from None
    except OSError as exc:
        raise ModelFileError(f"{config_path}: cannot read: {exc.strerror or exc}") from exc
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ModelFileError(f"{config_path}: not a text file (not valid UTF-8)") from None
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"{config_path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except RecursionError:
        raise ModelFileError(f"{config_path}: JSON nested too deeply to be a model's config") from None
    if not isinstance(doc, dict):
        raise ModelFileError(f"{config_path}: expected a JSON object, found {type(doc).__name__}")
    if doc.get("format") != FORMAT_NAME:
        found = doc.get("format")
        raise ModelFileError(f"{config_path}: not a hyper-prime-spiral model (format is {found!r})")
    version = doc.get("version")
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"{config_path}: unknown format version {version!r} (this program reads version {FORMAT_VERSION})"
        )
    for key, kind in (("model", dict), ("tokenizer", dict), ("files", dict)):
        if not isinstance(doc.get(key), kind):
            raise ModelFileError(f"{config_path}: the '{key}' section is missing or not an object")
    if not isinstance(doc.get("training", {}), dict):
        raise ModelFileError(f"{config_path}: the 'training' section is not an object")
    return doc


def _model_config(doc: dict[str, Any], config_path: Path) -> ModelConfig:
    try:
        return ModelConfig.from_dict(doc["model"])
    except (ConfigError, TypeError) as exc:
        raise ModelFileError(f"{config_path}: invalid model config: {exc}") from None


def _tokenizer_file_names(doc: dict[str, Any], config_path: Path) -> list[str]:
    """The tokenizer's own files named in config.json (only names this format knows)."""
    name = doc["tokenizer"].get("file")
    if name is None:
        return []
    if name not in TOKENIZER_FILES:
        raise ModelFileError(f"{config_path}: the tokenizer names an unexpected file {name!r}")
    return [name]


def _read_tokenizer_files(target: Path, doc: dict[str, Any]) -> dict[str, str]:
    """The tokenizer's files, size- and checksum-checked like the tensor files, as text."""
    texts = {}
    for name in _tokenizer_file_names(doc, target / CONFIG_FILE):
        path, entry = target / name, doc["files"][name]
        if entry["bytes"] > _MAX_TOKENIZER_BYTES:
            raise ModelFileError(f"{path}: too large for a tokenizer ({entry['bytes']:,} bytes)")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        _check_size(path, len(data), entry["bytes"])
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            raise ModelFileError(f"{path}: checksum mismatch (the file was changed or damaged)")
        try:
            texts[name] = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ModelFileError(f"{path}: not a text file (not valid UTF-8)") from None
    return texts


def _tokenizer(doc: dict[str, Any], config: ModelConfig, target: Path) -> Any:
    from hyper_prime_spiral.model.tokenizer import tokenizer_from_dict

    config_path = target / CONFIG_FILE
    files = _read_tokenizer_files(target, doc)
    try:
        tokenizer = tokenizer_from_dict(doc["tokenizer"], files)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise ModelFileError(f"{config_path}: invalid tokenizer: {exc}") from None
    if tokenizer.vocab_size != config.vocab_size:
        raise ModelFileError(
            f"{config_path}: the tokenizer has {tokenizer.vocab_size} tokens "
            f"but the model config says vocab_size {config.vocab_size}"
        )
    return tokenizer


def _optimizer_step(doc: dict[str, Any], config_path: Path) -> int | None:
    section = doc.get("optimizer")
    if section is None:
        return None
    step = section.get("step") if isinstance(section, dict) else None
    if not isinstance(step, int) or isinstance(step, bool) or step < 0:
        raise ModelFileError(f"{config_path}: the 'optimizer' section needs a non-negative integer 'step'")
    return step


def _check_file_set(target: Path, config: ModelConfig, expected: list[str], doc: dict[str, Any]) -> None:
    """Files on disk and checksums in config.json must agree with the architecture."""
    config_path = target / CONFIG_FILE
    try:
        present = set(os.listdir(target))
    except OSError as exc:
        raise ModelFileError(f"{target}: cannot read: {exc.strerror or exc}") from exc
    extra_layers = sorted(
        name for name in present if (layer := block_file_layer(name)) is not None and layer >= config.layers
    )
    if extra_layers:
        raise ModelFileError(
            f"{target / extra_layers[0]}: config.json says {config.layers} layer(s) but the folder has "
            f"block files beyond that ({', '.join(extra_layers)})"
        )
    for filename in expected:
        if filename not in present:
            what = "required"
            if filename.startswith("block_"):
                what = f"config.json says {config.layers} layer(s)"
            raise ModelFileError(f"{target / filename}: missing ({what})")
    files = doc["files"]
    for filename in expected:
        entry = files.get(filename)
        recorded = isinstance(entry, dict) and isinstance(entry.get("sha256"), str)
        if not (recorded and isinstance(entry.get("bytes"), int)):
            raise ModelFileError(f"{config_path}: no checksum recorded for {filename}")
    unknown = sorted(set(files) - set(expected))
    if unknown:
        raise ModelFileError(f"{config_path}: checksums listed for unexpected files: {', '.join(unknown)}")


def _read_tensor_file(path: Path, entry: dict[str, Any]) -> dict[str, np.ndarray]:
    """Read one safetensors file, checking its size and sha256 against config.json first."""
    try:
        data = read_regular_file(path, entry["bytes"])
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    _check_size(path, len(data), entry["bytes"])  # again: the file may have changed since the stat
    if hashlib.sha256(data).hexdigest() != entry["sha256"]:
        raise ModelFileError(f"{path}: checksum mismatch (the file was changed or damaged)")
    try:
        return safetensors.numpy.load(data)
    except Exception as exc:  # safetensors raises its own error types for malformed headers
        raise ModelFileError(f"{path}: not a readable safetensors file ({exc})") from None


def _copy_tensors(
    path: Path,
    tensors: dict[str, np.ndarray],
    wanted: dict[str, TensorSlot],
    destinations: dict[str, np.ndarray],
) -> None:
    """Check names, shapes and dtypes exactly, then copy into the flat buffers' views."""
    missing = sorted(set(wanted) - set(tensors))
    if missing:
        raise ModelFileError(f"{path}: missing tensor(s): {', '.join(missing)}")
    extra = sorted(set(tensors) - set(wanted))
    if extra:
        raise ModelFileError(f"{path}: unexpected tensor(s): {', '.join(extra)}")
    for name, slot in wanted.items():
        array = tensors[name]
        if array.dtype != np.float32:
            raise ModelFileError(f"{path}: tensor {name} has dtype {array.dtype}, expected float32")
        if tuple(array.shape) != slot.shape:
            shape = tuple(array.shape)
            raise ModelFileError(f"{path}: tensor {name} has shape {shape}, expected {slot.shape}")
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        if bad:
            raise ModelFileError(f"{path}: tensor {name} holds {bad} non-finite value(s) (NaN or infinity)")
        destinations[name][...] = array


def _check_size(path: Path, size: int, recorded: int) -> None:
    if size != recorded:
        state = "truncated" if size < recorded else "longer than recorded"
        raise ModelFileError(f"{path}: {state} ({size} bytes, config.json records {recorded})")


def _check_file_sizes(target: Path, names: list[str], doc: dict[str, Any]) -> None:
    for filename in names:
        path = target / filename
        try:
            size = check_regular_file(path)
        except OSError as exc:
            raise ModelFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
        _check_size(path, size, doc["files"][filename]["bytes"])


def _check_files(
    target: Path, doc: dict[str, Any], config: ModelConfig
) -> tuple[int | None, dict[str, list[TensorSlot]]]:
    """Everything about the files that needs no tensor data: each expected file is present and
    of the recorded size. Returns the optimizer step (None: no optimizer file) and the
    parameter files with their tensor slots."""
    step = _optimizer_step(doc, target / CONFIG_FILE)
    _check_layer_count(doc, config, target / CONFIG_FILE)
    groups = parameter_files(config)
    expected = list(groups) + ([OPTIMIZER_FILE] if step is not None else [])
    expected += _tokenizer_file_names(doc, target / CONFIG_FILE)
    _check_file_set(target, config, expected, doc)
    _check_file_sizes(target, expected, doc)
    _check_parameter_bytes(doc, config, groups, target / CONFIG_FILE)
    return step, groups


def _check_layer_count(doc: dict[str, Any], config: ModelConfig, config_path: Path) -> None:
    """Each layer has a file of its own, so a config claiming more layers than config.json lists
    files is refused before the layout of every layer is built (10 million layers took minutes)."""
    listed = len(doc["files"])
    if config.layers > listed:
        raise ModelFileError(
            f"{config_path}: config.json says {config.layers} layer(s) but lists only {listed} file(s)"
        )


def _check_parameter_bytes(
    doc: dict[str, Any], config: ModelConfig, groups: dict[str, list[TensorSlot]], config_path: Path
) -> None:
    """The sizes in the config (width, vocabulary, context, MLP ratio) must fit the recorded files,
    checked before any buffer sized by the config is allocated."""
    n_params = parameter_count(config)
    recorded = sum(doc["files"][name]["bytes"] for name in groups)
    if recorded < 4 * n_params:
        raise ModelFileError(
            f"{config_path}: the model config needs {n_params} parameters but the tensor files "
            f"record only {recorded} bytes"
        )


def check_model_quickly(path: str | os.PathLike[str]) -> tuple[dict[str, Any], ModelConfig]:
    """Every check of load_model that needs no tensor data: config.json, model config,
    tokenizer section, the set of files and their sizes. Returns (config.json, config).

    Used to list models fast; a model that passes can still fail load_model's checksums.
    """
    target = Path(path).expanduser()
    doc = read_config(target)
    config_path = target / CONFIG_FILE
    config = _model_config(doc, config_path)
    kind = doc["tokenizer"].get("kind")
    if not isinstance(kind, str):
        raise ModelFileError(f"{config_path}: the tokenizer has no 'kind'")
    _check_files(target, doc, config)
    return doc, config


def load_model(
    path: str | os.PathLike[str], progress: Callable[[int, int], None] | None = None
) -> ModelBundle:
    """Load and fully verify a model directory; any problem raises ModelFileError.

    `progress(bytes_read, bytes_total)` is called after each tensor file (for a loading bar).
    """
    target = Path(path).expanduser()
    doc = read_config(target)
    config_path = target / CONFIG_FILE
    config = _model_config(doc, config_path)
    step, groups = _check_files(target, doc, config)  # before allocating buffers sized by the config
    tokenizer = _tokenizer(doc, config, target)

    layout = ParamLayout(config)
    recorded = sum(doc["files"][name]["bytes"] for name in groups)
    total = recorded + (doc["files"][OPTIMIZER_FILE]["bytes"] if step is not None else 0)
    done = 0

    def file_read(filename: str) -> None:
        nonlocal done
        done += doc["files"][filename]["bytes"]
        if progress is not None:
            progress(done, total)

    params = layout.new_buffer()
    views = layout.views(params)
    for filename, slots in groups.items():
        tensors = _read_tensor_file(target / filename, doc["files"][filename])
        _copy_tensors(target / filename, tensors, {s.name: s for s in slots}, views)
        del tensors
        file_read(filename)

    optimizer = None
    if step is not None:
        m, v = layout.new_buffer(), layout.new_buffer()
        wanted: dict[str, TensorSlot] = {}
        destinations: dict[str, np.ndarray] = {}
        for (name, m_view), v_view in zip(layout.views(m).items(), layout.views(v).values(), strict=True):
            m_name, v_name = optimizer_tensor_names(name)
            wanted[m_name] = wanted[v_name] = layout.slots[name]
            destinations[m_name], destinations[v_name] = m_view, v_view
        tensors = _read_tensor_file(target / OPTIMIZER_FILE, doc["files"][OPTIMIZER_FILE])
        _copy_tensors(target / OPTIMIZER_FILE, tensors, wanted, destinations)
        optimizer = OptimizerState(m=m, v=v, step=step)
        file_read(OPTIMIZER_FILE)

    record = TrainingRecord.from_dict(doc.get("training", {}))
    return ModelBundle(config, tokenizer, params, record, optimizer, path=target.absolute())
