"""Package metadata a package index shows (licence, URLs, classifiers) and the BLAS thread limit."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries, one_blas_thread

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_license_file_matches_the_declared_license():
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_urls_and_classifiers_are_declared():
    assert all(url.startswith("https://") for url in PROJECT["urls"].values())
    classifiers = PROJECT["classifiers"]
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX expression says it


def test_readme_has_a_differences_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "## Differences from the original program" in readme


def test_blas_thread_limit_goes_through_threadpoolctl():
    np.ones((4, 4)) @ np.ones((4, 4))  # numpy's BLAS is loaded
    before = blas_threads()
    if before is None:
        pytest.skip("no BLAS that threadpoolctl knows is loaded")
    limit_loaded_libraries(2)
    try:
        with one_blas_thread():
            assert {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"} == {1}
        assert blas_threads() == 2
    finally:
        limit_loaded_libraries(before)
