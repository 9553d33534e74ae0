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


@pytest.fixture(autouse=True)
def _private_user_data_folder(tmp_path_factory, monkeypatch):
    """Every test gets an empty user data folder (models, corpora) and sees no built-in model,
    so what a test finds is what it saved; tests of the built-in model use `with_builtin_model`."""
    import platformdirs

    from hyper_prime_spiral.storage import search

    data = tmp_path_factory.mktemp("user-data")
    monkeypatch.setattr(platformdirs, "user_data_path", lambda name, appauthor=None, **_kw: data / name)
    monkeypatch.setenv("XDG_DATA_HOME", str(data))  # the same for command-line runs in a subprocess
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_DATA_DIR", raising=False)
    monkeypatch.setattr(search, "builtin_models_folder", lambda: None)


@pytest.fixture
def places(tmp_path, monkeypatch) -> dict:
    """A fresh working directory and user-data folder, and no env var: where model searches look
    ("tmp", "cwd_models", "user_models"), for the storage search and the `models` command tests."""
    from hyper_prime_spiral.storage import search

    work, data = tmp_path / "work", tmp_path / "data"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv(search.ENV_VAR, raising=False)
    monkeypatch.setattr(search.platformdirs, "user_data_path", lambda name, appauthor=None: data / name)
    user_models = data / "hyper-prime-spiral" / "models"
    return {"tmp": tmp_path, "cwd_models": work / "models", "user_models": user_models}


@pytest.fixture
def with_builtin_model(monkeypatch):
    """The package's built-in model is found again (skips when this checkout has none)."""
    from hyper_prime_spiral.storage import search

    if not search.BUILTIN_FOLDER.is_dir():
        pytest.skip("no built-in model in this checkout")
    monkeypatch.setattr(search, "builtin_models_folder", lambda: search.BUILTIN_FOLDER)
    return search.BUILTIN_FOLDER


def pytest_addoption(parser):
    parser.addoption(
        "--run-slow", action="store_true", help="also run tests marked slow (.ci/run runs them once)"
    )


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (.ci/run does)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
