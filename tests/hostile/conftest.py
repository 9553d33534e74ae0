"""Isolation for the hostile-input tests: no test sees the real models, data or settings folders."""

import pytest

from hyper_prime_spiral.storage import search


@pytest.fixture(autouse=True)
def _isolated_places(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("isolated")
    (home / "cwd").mkdir()
    monkeypatch.chdir(home / "cwd")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv(search.ENV_VAR, raising=False)
    user_data = home / "data"
    monkeypatch.setattr(search.platformdirs, "user_data_path", lambda name, appauthor=None: user_data / name)
