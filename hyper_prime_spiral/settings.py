"""The app's small settings file (JSON in the platform's config folder).

Values the user typed (training parameters, chosen corpus files) survive a restart. A
missing file means defaults; a corrupt or unreadable one is ignored with a message (never
a crash), and the next save replaces it. `$HYPER_PRIME_SPIRAL_CONFIG_DIR` overrides the
folder (tests use it so they never touch the real one).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import platformdirs

from hyper_prime_spiral import APP_NAME
from hyper_prime_spiral.regular_files import read_regular_file

CONFIG_DIR_ENV = "HYPER_PRIME_SPIRAL_CONFIG_DIR"
SETTINGS_FILE = "settings.json"
MAX_SETTINGS_BYTES = 4 * 1024 * 1024  # a few hundred file paths and numbers: kilobytes in practice


def config_dir() -> Path:
    override = os.environ.get(CONFIG_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE


def load_settings(path: Path | None = None) -> tuple[dict[str, Any], str | None]:
    """(settings, problem): the stored object, or {} and a one-line reason when it was unusable."""
    path = path or settings_path()
    try:
        raw = read_regular_file(path, MAX_SETTINGS_BYTES).decode("utf-8")
    except FileNotFoundError:
        return {}, None
    except OSError as exc:
        return {}, f"Settings file {path} could not be read ({exc.strerror or exc}); using defaults."
    except UnicodeDecodeError as exc:
        return {}, f"Settings file {path} could not be read ({exc}); using defaults."
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {}, f"Settings file {path} is corrupt (line {exc.lineno}); using defaults."
    except RecursionError:
        return {}, f"Settings file {path} is nested too deeply to be settings; using defaults."
    if not isinstance(data, dict):
        return {}, f"Settings file {path} does not hold a JSON object; using defaults."
    return data, None


def save_settings(data: dict[str, Any], path: Path | None = None) -> str | None:
    """Write `data` atomically (temp file + rename). Returns a message on failure, else None."""
    path = path or settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=2, sort_keys=True)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except (OSError, TypeError, ValueError, RecursionError) as exc:
        return f"Could not save settings to {path}: {exc}"
    return None


def update_section(section: str, values: dict[str, Any], path: Path | None = None) -> str | None:
    """Replace one section (e.g. "training") and keep the others; returns a message on failure."""
    data, _problem = load_settings(path)
    data[section] = values
    return save_settings(data, path)
