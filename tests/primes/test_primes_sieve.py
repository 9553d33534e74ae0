"""Sieve and prime counts against known values."""

import numpy as np
import pytest

from hyper_prime_spiral.primes import sieve


def test_known_prime_counts():
    assert len(sieve.primes_up_to(10**6)) == 78_498
    assert len(sieve.primes_up_to(100)) == 25
    assert sieve.prime_count(10**6) == 78_498
    assert sieve.prime_count(10**7) == 664_579


def test_small_limits_and_first_primes():
    assert sieve.primes_up_to(1).tolist() == []
    assert sieve.primes_up_to(2).tolist() == [2]
    assert sieve.primes_up_to(30).tolist() == [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]
    assert sieve.first_primes(232)[-1] == 1459
    assert sieve.first_primes(100_000)[-1] == 1_299_709  # beyond the cached base sieve


def test_segmented_count_matches_plain_sieve_at_odd_edges():
    for x in (2_000_000, 4_194_303, 4_194_304, 4_194_305, 5_000_011):
        assert sieve.prime_count(x) == len(sieve.primes_up_to(x))


def test_mask_marks_exactly_primes():
    mask = sieve.is_prime_mask(50)
    assert np.flatnonzero(mask).tolist() == sieve.primes_up_to(50).tolist()


def test_bad_input():
    with pytest.raises(ValueError, match="count"):
        sieve.first_primes(-1)
    with pytest.raises(ValueError, match="exact only up to"):
        sieve.prime_count(sieve.COUNT_LIMIT + 1)


def test_prime_mask_of_a_window_matches_the_full_sieve():
    for lo, hi in ((0, 100), (999_000, 1_200_000), (5, 4)):
        mask = sieve.prime_mask_range(lo, hi)
        expected = [int(p) for p in sieve.primes_up_to(max(hi, 0)) if p >= lo]
        assert (np.flatnonzero(mask) + lo).tolist() == expected
    window = sieve.prime_mask_range(10**9, 10**9 + 100)
    assert (np.flatnonzero(window) + 10**9).tolist() == [
        1_000_000_007,
        1_000_000_009,
        1_000_000_021,
        1_000_000_033,
        1_000_000_087,
        1_000_000_093,
        1_000_000_097,
    ]
