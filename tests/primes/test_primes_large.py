"""Miller-Rabin and Pollard's rho beyond the sieve: checked against trial division and known values."""

import random

import pytest

from hyper_prime_spiral.primes.factorize import factorize
from hyper_prime_spiral.primes.large import MAX_LARGE_N, factor, is_prime, next_prime, previous_prime
from hyper_prime_spiral.primes.sieve import NTH_LIMIT, nth_prime, prime_count, primes_up_to


def test_factor_agrees_with_trial_division_below_10_to_12():
    rng = random.Random(5)
    for n in [1, 2, 4, 97, 360, 1_000_000, 999_983**2, *(rng.randrange(1, 10**12) for _ in range(300))]:
        assert factor(n) == factorize(n), n


def test_project_euler_3_and_large_semiprimes():
    assert factor(600851475143) == [(71, 1), (839, 1), (1471, 1), (6857, 1)]
    assert factor(999999937 * 1000000007) == [(999999937, 1), (1000000007, 1)]
    assert factor(10**18) == [(2, 18), (5, 18)]
    assert factor(2**3 * 999_999_999_989) == [(2, 3), (999_999_999_989, 1)]


def test_primality_is_exact_including_strong_pseudoprimes():
    small = set(primes_up_to(10_000).tolist())
    assert [n for n in range(10_000) if is_prime(n)] == sorted(small)
    assert is_prime(1_000_000_000_039) and is_prime(999_999_999_999_999_989)
    # Strong pseudoprimes to several bases (fool a weaker Miller-Rabin), and a Carmichael number.
    for composite in (3_215_031_751, 341_550_071_728_321, 3_825_123_056_546_413_051, 561):
        assert not is_prime(composite)


def test_next_and_previous_prime():
    assert next_prime(0) == next_prime(1) == 2 and next_prime(2) == 3 and next_prime(13) == 17
    assert previous_prime(3) == 2 and previous_prime(100) == 97
    assert next_prime(10**15) == 10**15 + 37 and previous_prime(10**15) == 10**15 - 11
    with pytest.raises(ValueError, match="above the limit"):
        next_prime(MAX_LARGE_N + 1)


def test_nth_prime_matches_the_sieve_and_prime_count():
    primes = primes_up_to(9_000_000)
    for k in (1, 2, 78_498, 78_499, 300_001, len(primes)):
        assert nth_prime(k) == primes[k - 1]
    assert nth_prime(NTH_LIMIT) == 99_999_989 and prime_count(99_999_989) == NTH_LIMIT
    with pytest.raises(ValueError):
        nth_prime(NTH_LIMIT + 1)
