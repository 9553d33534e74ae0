"""Factorisation of integers up to 10^12 by trial division with the sieved primes below 10^6.

One vectorised ``n % primes`` over the 78,498 base primes finds every prime factor below 10^6 at
once; whatever is left after dividing those out is 1 or a single prime (its square would exceed
10^12). That is exact for every n <= MAX_FACTOR_N and takes about a millisecond.
"""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.primes.sieve import BASE_LIMIT, base_primes

#: Largest integer factorised exactly (BASE_LIMIT squared).
MAX_FACTOR_N = BASE_LIMIT * BASE_LIMIT


def factorize(n: int) -> list[tuple[int, int]]:
    """Prime factors of n with multiplicity, ascending: 360 -> [(2, 3), (3, 2), (5, 1)].

    ``factorize(1) == []``. Raises ``ValueError`` for n < 1 or n > MAX_FACTOR_N.
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"only positive integers can be factorised, got {n}")
    if n > MAX_FACTOR_N:
        raise ValueError(f"numbers above {MAX_FACTOR_N:,} are out of range")
    primes = base_primes()
    limit = int(np.searchsorted(primes, int(n**0.5) + 1, side="right"))
    candidates = primes[:limit]
    dividing = candidates[np.int64(n) % candidates == 0] if limit else candidates
    factors: list[tuple[int, int]] = []
    rest = n
    for p in dividing.tolist():
        exponent = 0
        while rest % p == 0:
            rest //= p
            exponent += 1
        factors.append((p, exponent))
    if rest > 1:
        factors.append((rest, 1))
    return factors


def is_prime(n: int) -> bool:
    """Whether n is prime (exact for n <= MAX_FACTOR_N)."""
    n = int(n)
    if n < 2:
        return False
    if n <= BASE_LIMIT:
        primes = base_primes()
        i = int(np.searchsorted(primes, n))
        return i < len(primes) and int(primes[i]) == n
    return factorize(n) == [(n, 1)]


def divisor_count(factors: list[tuple[int, int]]) -> int:
    """Number of divisors (1 and n included) from a factorisation."""
    count = 1
    for _, exponent in factors:
        count *= exponent + 1
    return count


def divisors(factors: list[tuple[int, int]], limit: int | None = None) -> list[int]:
    """All divisors in ascending order (or the smallest ``limit`` of them)."""
    found = [1]
    for p, exponent in factors:
        found = [d * p**k for d in found for k in range(exponent + 1)]
    found.sort()
    return found if limit is None else found[:limit]


def format_factors(factors: list[tuple[int, int]]) -> str:
    """'2^3 x 3^2 x 5' (ASCII, so any font draws it); '1' for the empty product."""
    if not factors:
        return "1"
    return " x ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in factors)
