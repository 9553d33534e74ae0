"""The user's own folders: where new models are saved and where users drop their own corpora.

One place for the platform's user data folder (`platformdirs`, e.g.
`~/.local/share/hyper-prime-spiral` on Linux), so the model search, the Training tab's corpus
list, `train` and `models` all name the same folders. `$HYPER_PRIME_SPIRAL_DATA_DIR` overrides it
(a portable install, or tests that must not touch the real one).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from hyper_prime_spiral import APP_NAME

DATA_DIR_ENV = "HYPER_PRIME_SPIRAL_DATA_DIR"


def user_data_folder() -> Path:
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser().absolute()
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def user_models_folder() -> Path:
    """Where new models are saved unless the user names another place."""
    return user_data_folder() / "models"


def user_corpus_folder() -> Path:
    """Where users put their own training `.txt` files (listed by the Training tab)."""
    return user_data_folder() / "data"
