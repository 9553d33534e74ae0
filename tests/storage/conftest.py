"""Fixtures shared by the storage tests."""

import pytest
from storage_helpers import make_bundle

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.storage import search


@pytest.fixture(autouse=True)
def _isolated_search_places(tmp_path_factory, monkeypatch):
    """No storage test may see (or create) ./models of the repo, the real user-data folder
    or a model named by the developer's environment."""
    home = tmp_path_factory.mktemp("isolated")
    (home / "cwd").mkdir()
    monkeypatch.chdir(home / "cwd")
    monkeypatch.delenv(search.ENV_VAR, raising=False)
    user_data = home / "data"
    monkeypatch.setattr(search.platformdirs, "user_data_path", lambda name, appauthor=None: user_data / name)


@pytest.fixture
def bundle() -> ModelBundle:
    return make_bundle()
