"""Fixtures for the LLM tab tests: a tiny trained model on disk and an App with an isolated search path."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest  # noqa: E402
from llm_helpers import train_tiny_model  # noqa: E402

from hyper_prime_spiral.storage import search  # noqa: E402
from hyper_prime_spiral.storage.model_dir import save_model  # noqa: E402


@pytest.fixture(scope="session")
def tiny_bundle():
    return train_tiny_model()


@pytest.fixture
def search_root(tmp_path, monkeypatch):
    """An empty search path: cwd (./models) and the user data folder both under tmp_path."""
    monkeypatch.delenv(search.ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    user = tmp_path / "user-data" / "models"
    monkeypatch.setattr(search, "user_models_folder", lambda: user)
    return tmp_path


@pytest.fixture
def saved_model(search_root, tiny_bundle):
    """The tiny model saved as ./models/tiny (found by the search)."""
    return save_model(search_root / "models" / "tiny", tiny_bundle)


@pytest.fixture
def make_app(search_root):
    from hyper_prime_spiral.ui.app import App

    apps = []

    def build(**kwargs):
        app = App(size=kwargs.pop("size", (1600, 900)), **kwargs)
        apps.append(app)
        return app

    yield build
    for app in apps:
        app.close()
