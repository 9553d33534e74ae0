"""Shared test set-up: headless SDL, so no test needs a display or a sound card."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _private_settings_folder(tmp_path_factory, monkeypatch):
    """Every test gets an empty settings folder: none reads or writes the user's real settings."""
    monkeypatch.setenv("HYPER_PRIME_SPIRAL_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
