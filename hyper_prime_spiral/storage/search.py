"""Where models live: one search order shared by start-up, Save and `hyper-prime-spiral models`.

Order: `--model PATH` (or the NAME of a model in the other folders: `resolve_model_reference`),
`$HYPER_PRIME_SPIRAL_MODEL`, `./models/` (current directory), the
platform's user-data folder (`platformdirs`), then the built-in model shipped inside the package.
Each entry may be a model directory itself or a folder holding model directories. The first two
are *pinned* (the user named them): a valid model there wins over anything else; then the model
the user loaded last (remembered in the settings), then the newest of the default folders, and
the built-in model only when nothing else is usable. Broken models are reported, never fatal.
Nothing here creates `./models`; new models go to the user data folder (`default_save_folder`).
The built-in model is read-only: `writable_target` sends a save over it to a copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs  # noqa: F401  (tests patch platformdirs.user_data_path through this module)

from hyper_prime_spiral import user_folders
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import atomic
from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.layout import CONFIG_FILE, TENSOR_SUFFIX
from hyper_prime_spiral.storage.model_dir import check_model_quickly, load_model

ENV_VAR = "HYPER_PRIME_SPIRAL_MODEL"
MAX_NAME_LENGTH = 64
_NAME_PUNCTUATION = set(" ._-+()")
BUILTIN_ORIGIN = "built-in"
BUILTIN_FOLDER = Path(__file__).resolve().parents[1] / "builtin"  # package data: one model directory
_WINDOWS_RESERVED = (
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)


@dataclass(frozen=True)
class SearchFolder:
    """One entry of the search order; `pinned` when the user named it (--model or the env var)."""

    path: Path
    origin: str
    pinned: bool
    error: str | None = None  # why a `--model` reference names no model (shown instead of searching)

    def to_json(self) -> dict[str, Any]:
        exists = self.path.exists()
        return {"path": str(self.path), "origin": self.origin, "pinned": self.pinned, "exists": exists}


@dataclass
class ModelInfo:
    """What a listing shows about one model directory; `error` is set when it is not usable."""

    name: str
    path: Path
    origin: str
    pinned: bool = False
    error: str | None = None
    n_params: int | None = None
    tokenizer_kind: str | None = None
    vocab_size: int | None = None
    steps: int | None = None
    train_loss: float | None = None
    val_loss: float | None = None
    created: str | None = None
    updated: str | None = None
    updated_timestamp: float = 0.0

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def builtin(self) -> bool:
        """The model shipped with the package (read-only; listed as "built-in")."""
        return self.origin == BUILTIN_ORIGIN

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "path": str(self.path),
            "origin": self.origin,
            "builtin": self.builtin,
            "valid": self.valid,
            "error": self.error,
            "parameters": self.n_params,
            "tokenizer": self.tokenizer_kind,
            "vocab_size": self.vocab_size,
            "steps": self.steps,
            "train_loss": self.train_loss,
            "val_loss": self.val_loss,
            "created": self.created,
            "updated": self.updated,
        }


class NewestModel(NamedTuple):
    """Result of start-up loading: the bundle (None when nothing loadable) and one status line."""

    bundle: ModelBundle | None
    message: str


def user_models_folder() -> Path:
    return user_folders.user_models_folder()


def builtin_models_folder() -> Path | None:
    """The folder holding the built-in model, or None when this install has none."""
    return BUILTIN_FOLDER if BUILTIN_FOLDER.is_dir() else None


def is_builtin(path: str | os.PathLike[str] | None) -> bool:
    """True for the built-in model's directory (or anything inside the package's built-in folder)."""
    if path is None:
        return False
    real = Path(os.path.realpath(path))
    return real == BUILTIN_FOLDER or BUILTIN_FOLDER in real.parents


def search_folders(explicit: str | os.PathLike[str] | None = None) -> list[SearchFolder]:
    """The search order, without duplicates (the first occurrence of a folder keeps its place)."""
    entries = []
    if explicit:
        entries.append(_explicit_entry(str(explicit)))
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        entries.append(SearchFolder(Path(env).expanduser().absolute(), f"${ENV_VAR}", True))
    entries.append(SearchFolder(Path.cwd() / "models", "./models", False))
    entries.append(SearchFolder(user_models_folder(), "user data folder", False))
    builtin = builtin_models_folder()
    if builtin is not None:
        entries.append(SearchFolder(builtin, BUILTIN_ORIGIN, False))
    unique, seen = [], set()
    for entry in entries:
        key = os.path.normcase(os.path.realpath(entry.path))
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique


def _names_a_path(reference: str) -> bool:
    """A reference taken as a path, never looked up by name: something that exists, or has a separator."""
    has_separator = os.sep in reference or bool(os.altsep and os.altsep in reference)
    return has_separator or reference in (".", "..", "~") or Path(reference).expanduser().exists()


def resolve_model_reference(reference: str, explicit: str | os.PathLike[str] | None = None) -> Path:
    """The model directory a `--model`/`--resume`/`models show` argument names: a path, or the
    name `hyper-prime-spiral models` lists for exactly one model (searched with `explicit` first).
    ModelFileError naming every folder tried when nothing matches."""
    if _names_a_path(reference):
        return Path(reference).expanduser().absolute()
    folders = search_folders(explicit)
    matches = list(dict.fromkeys(m.path for m in models_in_folders(folders) if m.name == reference))
    if len(matches) > 1:
        places = ", ".join(str(p) for p in matches)
        raise ModelFileError(f"several models are named {reference!r} ({places}): give the path")
    if not matches:
        tried = ", ".join(str(f.path) for f in folders)
        raise ModelFileError(
            f"{Path(reference).absolute()}: no such folder, and no model named {reference!r} in {tried}"
        )
    return matches[0]


def _explicit_entry(reference: str) -> SearchFolder:
    """The `--model` entry of the search order: the path or model name `reference` stands for."""
    try:
        return SearchFolder(resolve_model_reference(reference), "--model", True)
    except ModelFileError as exc:
        return SearchFolder(Path(reference).expanduser().absolute(), "--model", True, str(exc))


def looks_like_model_dir(path: Path) -> bool:
    """A directory that is meant to be a model (even a broken one), not a folder of models."""
    if (path / CONFIG_FILE).exists():
        return True
    try:
        return any(name.endswith(TENSOR_SUFFIX) for name in os.listdir(path))
    except OSError:
        return False


def _parse_time(text: Any) -> float | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return None


def describe_model(path: Path, origin: str = "", pinned: bool = False) -> ModelInfo:
    """Quick description of one model directory (no tensor read); never raises."""
    info = ModelInfo(name=path.name, path=path, origin=origin, pinned=pinned)
    try:
        doc, config = check_model_quickly(path)
    except ModelFileError as exc:
        info.error = str(exc)
        return info
    record = TrainingRecord.from_dict(doc.get("training", {}))
    optimizer = doc.get("optimizer") or {}
    info.n_params = ParamLayout(config).n_params
    info.tokenizer_kind = doc["tokenizer"].get("kind")
    info.vocab_size = config.vocab_size
    info.steps = record.steps if record.steps is not None else optimizer.get("step")
    info.train_loss, info.val_loss = record.train_loss, record.val_loss  # NaN/inf: unknown
    info.created, info.updated = record.created, record.updated
    stamp = _parse_time(info.updated)
    if stamp is None:
        try:
            stamp = (path / CONFIG_FILE).stat().st_mtime
        except OSError:
            stamp = 0.0
    info.updated_timestamp = stamp
    return info


def _holds_models(folder: Path) -> bool:
    """True when some visible sub-directory of `folder` has a config.json."""
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    return any(not n.startswith(".") and (folder / n / CONFIG_FILE).is_file() for n in names)


def _restore_interrupted_saves(folder: Path, names: list[str]) -> bool:
    """A model whose overwrite was killed between two renames sits in a hidden
    `.NAME.replaced-...` sibling: put it back so it is found (see storage/atomic.py)."""
    restored = False
    for name in names:
        if name.startswith(".") and atomic.REPLACED_TAG in name:
            target = folder / name[1:].split(atomic.REPLACED_TAG)[0]
            if not os.path.lexists(target):
                restored = bool(atomic.recover_leftovers(target)) or restored
    return restored


def _models_in(entry: SearchFolder) -> list[ModelInfo]:
    path = entry.path
    if entry.error is not None:
        return [ModelInfo(path.name, path, entry.origin, entry.pinned, entry.error)]
    if not path.exists() and entry.pinned:
        try:
            atomic.recover_leftovers(path)  # a model named directly whose overwrite was killed
        except OSError:
            pass
    if not path.exists():
        if entry.pinned:
            return [ModelInfo(path.name, path, entry.origin, True, f"{path}: no such file or directory")]
        return []
    if not path.is_dir():
        error = f"{path}: is a file, not a model directory"
        return [ModelInfo(path.name, path, entry.origin, entry.pinned, error)]
    try:
        _restore_interrupted_saves(path, os.listdir(path))
    except OSError:
        pass  # an unreadable folder is reported just below
    named_one_model = entry.origin == "--model"
    if looks_like_model_dir(path) or (named_one_model and not _holds_models(path)):
        return [describe_model(path, entry.origin, entry.pinned)]
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        error = f"{path}: cannot read this folder: {exc.strerror or exc}"
        return [ModelInfo(path.name, path, entry.origin, entry.pinned, error)]
    found = []
    for name in names:
        child = path / name
        if name.startswith(".") or not child.is_dir():
            continue  # hidden entries include the temporaries of a save in progress
        found.append(describe_model(child, entry.origin, entry.pinned))
    return found


def find_models(explicit: str | os.PathLike[str] | None = None) -> list[ModelInfo]:
    """Every model directory in the search order (valid and invalid), in search order."""
    return models_in_folders(search_folders(explicit))


def models_in_folders(folders: list[SearchFolder]) -> list[ModelInfo]:
    """Every model directory in these folders (for callers that also show the folders), each once:
    a model `--model` names inside a searched folder is listed where it was named (pinned)."""
    found, seen = [], set()
    for entry in folders:
        for info in _models_in(entry):
            key = os.path.normcase(os.path.realpath(info.path))
            if key not in seen:
                seen.add(key)
                found.append(info)
    return found


def load_newest_model(
    explicit: str | os.PathLike[str] | None = None, remembered: str | os.PathLike[str] | None = None
) -> NewestModel:
    """Load the model start-up should use; never raises for a broken or missing model.

    A valid pinned model (--model, the env var) wins; then `remembered` (the model the user
    loaded last) when it is still a valid model; then the newest by `updated`, the built-in
    model last. Models that fail the full check are skipped and mentioned in the message.
    """
    folders = search_folders(explicit)
    models = models_in_folders(folders)
    skipped = [m for m in models if not m.valid]
    valid = [m for m in models if m.valid]
    valid.sort(key=lambda m: (m.pinned, not m.builtin, m.updated_timestamp), reverse=True)
    if remembered:
        last = describe_model(Path(remembered).expanduser().absolute(), "last loaded")
        if last.valid and is_builtin(last.path):
            last.origin = BUILTIN_ORIGIN
        if last.valid:
            pinned = [m for m in valid if m.pinned]
            valid = pinned + [last] + [m for m in valid if not m.pinned]
    for info in valid:
        try:
            bundle = load_model(info.path)
        except ModelFileError as exc:
            info.error = str(exc)
            skipped.append(info)
            continue
        where = "built into the app" if info.builtin else f"from {info.path.parent} ({info.origin})"
        message = f"Loaded model '{info.name}' {where}"
        return NewestModel(bundle, message + _skipped_note(skipped))
    searched = ", ".join(str(f.path) for f in folders)
    return NewestModel(None, f"No model loaded (searched {searched})" + _skipped_note(skipped))


def _skipped_note(skipped: list[ModelInfo]) -> str:
    """'; skipped invalid: a, b (a: first reason)' -- short enough for a status line."""
    if not skipped:
        return ""
    names = ", ".join(m.name for m in skipped[:3]) + (", ..." if len(skipped) > 3 else "")
    return f"; skipped invalid: {names} ({skipped[0].name}: {skipped[0].error})"


def _writable_folder(path: Path) -> bool:
    if path.exists():
        return path.is_dir() and os.access(path, os.W_OK | os.X_OK)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return True


def _save_folders() -> list[Path]:
    """Candidates for new models, best first: a folder `$HYPER_PRIME_SPIRAL_MODEL` names (not one
    model), then the user data folder. Never `./models` (a model saved there is lost to any other
    working folder), never --model (one model), never the built-in folder (read-only)."""
    folders = []
    for entry in search_folders():
        if entry.origin in ("--model", "./models", BUILTIN_ORIGIN):
            continue
        if entry.pinned and (not entry.path.is_dir() or looks_like_model_dir(entry.path)):
            continue  # the env var names one model (or nothing yet): not a folder to save into
        folders.append(entry.path)
    return folders


def planned_save_folder() -> Path:
    """Where the next new model would be saved (nothing is created: for listings)."""
    return _save_folders()[0]


def default_save_folder() -> Path:
    """Where new models are saved (see `_save_folders`); created if needed."""
    tried = []
    for path in _save_folders():
        tried.append(str(path))
        if _writable_folder(path):
            return path
    raise ModelFileError(f"no writable folder to save models in (tried {', '.join(tried)})")


def writable_target(path: str | os.PathLike[str]) -> Path:
    """Where a save meant for model directory `path` goes: `path` itself, except for the built-in
    model, which is read-only: then a free name in the default save folder (`NAME`, `NAME-2`, ...)."""
    path = Path(path)
    if not is_builtin(path):
        return path
    folder = default_save_folder()
    candidate, n = folder / path.name, 2
    while os.path.lexists(candidate):
        candidate, n = folder / f"{path.name}-{n}", n + 1
    return candidate


def model_name_problem(name: str) -> str | None:
    """Why `name` cannot be a model folder name, or None when it can (for the New Model dialog)."""
    if not isinstance(name, str) or not name:
        return "the name is empty"
    if name != name.strip():
        return "the name must not start or end with a space"
    if len(name) > MAX_NAME_LENGTH:
        return f"the name is longer than {MAX_NAME_LENGTH} characters"
    if name in (".", ".."):
        return f"{name!r} is not a folder name"
    if name.startswith("."):
        return "the name must not start with '.'"
    bad = sorted({c for c in name if not (c.isalnum() or c in _NAME_PUNCTUATION)})
    if bad:
        return f"the name contains characters that are not allowed: {''.join(bad)!r}"
    if name.split(".")[0].lower() in _WINDOWS_RESERVED:
        return f"{name!r} is a reserved device name on Windows"
    if name.endswith("."):
        return "the name must not end with '.'"
    return None


def is_valid_model_name(name: str) -> bool:
    return model_name_problem(name) is None


def model_path_for_name(name: str, folder: Path | None = None) -> Path:
    """Where a new model called `name` is saved; ModelFileError for a bad name."""
    problem = model_name_problem(name)
    if problem:
        raise ModelFileError(f"invalid model name {name!r}: {problem}")
    return (folder if folder is not None else default_save_folder()) / name


def model_exists(name: str, folder: Path | None = None) -> bool:
    """True when saving `name` into `folder` (default: the default save folder) would replace something."""
    if not is_valid_model_name(name):
        return False
    return os.path.lexists(model_path_for_name(name, folder))
