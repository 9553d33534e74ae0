"""Primality and factorisation beyond the sieve: Miller-Rabin and Pollard's rho (Brent's variant).

Trial division by the sieved primes (``factorize``) is exact up to 10^12 but a 10^15 semiprime
with two 8-digit factors would need the primes up to 3 x 10^7. Pollard's rho finds a factor p in
about sqrt(p) steps, so every n <= MAX_LARGE_N (10^18, factors up to 10^9) splits in a few
milliseconds (bench/prime_tools.py measures it). Miller-Rabin with the first 12 primes as bases is
deterministic for every n < 3.3 x 10^24, so "prime" here is a proof, not a guess.
"""

from __future__ import annotations

import math
import time

#: Largest integer these functions accept (factors found in milliseconds up to here).
MAX_LARGE_N = 10**18

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)  # deterministic below 3.3 x 10^24
_SMALL_PRIMES = (
    2,
    3,
    5,
    7,
    11,
    13,
    17,
    19,
    23,
    29,
    31,
    37,
    41,
    43,
    47,
    53,
    59,
    61,
    67,
    71,
    73,
    79,
    83,
    89,
    97,
)
_TRIAL_LIMIT = 1000  # trial division strips factors below this before rho runs
_RHO_BATCH = 128  # products of |x - y| accumulated before one gcd


class TooSlowError(RuntimeError):
    """A computation passed its deadline (only possible on a very busy machine)."""


def check_range(n: int, what: str, low: int = 1) -> int:
    """n as an int within [low, MAX_LARGE_N]; ValueError with a readable message otherwise."""
    n = int(n)
    if n < low:
        raise ValueError(f"{what} needs a number of at least {low}, got {n}")
    if n > MAX_LARGE_N:
        raise ValueError(f"{what}: {n} is above the limit 10^18")
    return n


def is_prime(n: int) -> bool:
    """Exact primality for any n < 3.3 x 10^24 (deterministic Miller-Rabin)."""
    n = int(n)
    if n < 2:
        return False
    for p in _SMALL_PRIMES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def _rho(n: int, c: int, deadline: float) -> int:
    """A non-trivial factor of the odd composite n (Brent's cycle finding), or n if this c fails."""
    y, m, g, r, q = 2, _RHO_BATCH, 1, 1, 1
    x = ys = y
    while g == 1:
        x = y
        for _ in range(r):
            y = (y * y + c) % n
        k = 0
        while k < r and g == 1:
            ys = y
            for _ in range(min(m, r - k)):
                y = (y * y + c) % n
                q = q * abs(x - y) % n
            g = math.gcd(q, n)
            k += m
        r *= 2
        if time.perf_counter() > deadline:
            raise TooSlowError("factorisation took too long")
    if g == n:  # the batch overshot: step back one at a time
        while True:
            ys = (ys * ys + c) % n
            g = math.gcd(abs(x - ys), n)
            if g > 1:
                break
    return g


def _split(n: int, deadline: float) -> list[int]:
    """Prime factors of n > 1 without its small factors, with repetition, unsorted."""
    if is_prime(n):
        return [n]
    root = math.isqrt(n)
    if root * root == n:
        return _split(root, deadline) * 2
    for c in range(1, 100):
        d = _rho(n, c, deadline)
        if d != n:
            return _split(d, deadline) + _split(n // d, deadline)
    raise TooSlowError(f"no factor of {n} found")  # never seen: rho with 100 constants


def factor(n: int, time_limit: float = 1.0) -> list[tuple[int, int]]:
    """Prime factors of 1 <= n <= MAX_LARGE_N with multiplicity, ascending: 360 -> [(2,3),(3,2),(5,1)].

    Raises ValueError out of range, TooSlowError if `time_limit` seconds pass first.
    """
    n = check_range(n, "factor")
    deadline = time.perf_counter() + time_limit
    found: dict[int, int] = {}
    rest = n
    for p in range(2, _TRIAL_LIMIT):
        if p * p > rest:
            break
        while rest % p == 0:
            found[p] = found.get(p, 0) + 1
            rest //= p
    if rest > 1:
        for p in _split(rest, deadline):
            found[p] = found.get(p, 0) + 1
    return sorted(found.items())


def next_prime(n: int) -> int:
    """The smallest prime > n (n >= 0; the answer stays below MAX_LARGE_N + 1000)."""
    n = check_range(n, "next prime", low=0)
    if n < 2:
        return 2
    candidate = n + 1 if n % 2 == 0 else n + 2
    while not is_prime(candidate):
        candidate += 2
    return candidate


def previous_prime(n: int) -> int:
    """The largest prime < n (n >= 3)."""
    n = check_range(n, "previous prime", low=3)
    if n == 3:
        return 2
    candidate = n - 1 if n % 2 == 0 else n - 2
    while not is_prime(candidate):
        candidate -= 2
    return candidate
