"""Fixtures for the UI tests: a fresh App (no window) per test."""

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import pytest  # noqa: E402

from hyper_prime_spiral.ui.app import App  # noqa: E402


@pytest.fixture
def app():
    application = App(size=(1600, 900))
    yield application
    application.close()
