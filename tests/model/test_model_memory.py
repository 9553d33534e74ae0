"""glibc malloc tuning: takes effect on Linux/glibc, is harmless (False) elsewhere."""

import platform
import sys

import pytest

from hyper_prime_spiral.model.memory import keep_freed_memory


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc", reason="glibc only"
)
def test_mallopt_takes_effect_on_glibc_and_is_idempotent():
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True
