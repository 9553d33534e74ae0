"""Prime sieves in NumPy: primes up to a limit, the first n primes, and pi(x) by segments.

The whole app needs primes in three sizes: a few thousand for the clock views, every prime up to
10^6 (for trial division and the number spirals), and now and then a prime count pi(x) for an index
up to 10^8. An odd-only boolean sieve covers the first two in milliseconds; the count runs the same
sieve segment by segment (bounded memory) and remembers the count of every finished segment.
"""

from __future__ import annotations

import math
import threading
from functools import lru_cache

import numpy as np

#: Trial division by the primes below this bound factorises every integer below its square.
BASE_LIMIT = 1_000_000
#: Largest x for which :func:`prime_count` is exact (larger asks raise ``ValueError``).
COUNT_LIMIT = 100_000_000
_SEGMENT = 1 << 21  # odd numbers per counting segment (covers 4,194,304 integers)


def primes_up_to(limit: int) -> np.ndarray:
    """All primes p <= limit, ascending, as int64 (odd-only sieve, so half the memory)."""
    limit = int(limit)
    if limit < 2:
        return np.zeros(0, dtype=np.int64)
    # is_odd_prime[i] says whether 2*i + 1 is prime.
    size = (limit - 1) // 2 + 1
    is_odd_prime = np.ones(size, dtype=np.bool_)
    is_odd_prime[0] = False  # 1 is not prime
    for i in range(1, (math.isqrt(limit) - 1) // 2 + 1):
        if is_odd_prime[i]:
            p = 2 * i + 1
            is_odd_prime[(p * p) // 2 :: p] = False
    odd = 2 * np.flatnonzero(is_odd_prime).astype(np.int64) + 1
    return np.concatenate((np.array([2], dtype=np.int64), odd))


@lru_cache(maxsize=1)
def base_primes() -> np.ndarray:
    """The 78,498 primes below 10^6, computed once (read-only)."""
    primes = primes_up_to(BASE_LIMIT)
    primes.setflags(write=False)
    return primes


def first_primes(count: int) -> np.ndarray:
    """The first ``count`` primes (index 1 is 2), as int64."""
    count = int(count)
    if count < 0:
        raise ValueError(f"count must be >= 0, got {count}")
    if count <= len(base_primes()):
        return base_primes()[:count].copy()
    # p_n < n (ln n + ln ln n) for n >= 6 (Rosser's bound).
    bound = int(count * (math.log(count) + math.log(math.log(count)))) + 10
    return primes_up_to(bound)[:count]


def is_prime_mask(limit: int) -> np.ndarray:
    """Boolean array m of length limit + 1 with m[k] True exactly when k is prime."""
    limit = int(limit)
    mask = np.zeros(max(limit + 1, 0), dtype=np.bool_)
    mask[primes_up_to(limit)] = True
    return mask


_segment_counts: list[int] = []  # odd primes in each finished counting segment, in order
_segment_lock = threading.Lock()  # the UI counts on a worker thread too


def _odd_primes_in_segment(start_odd: int, stop_odd: int) -> np.ndarray:
    """Mask over odd numbers 2*i+1 for i in [start_odd, stop_odd): True where prime."""
    lo = 2 * start_odd + 1
    hi = 2 * stop_odd - 1  # last odd number of the segment
    mask = np.ones(stop_odd - start_odd, dtype=np.bool_)
    if start_odd == 0:
        mask[0] = False  # 1
    for p in base_primes()[1 : np.searchsorted(base_primes(), math.isqrt(hi), side="right")]:
        p = int(p)
        first = max(p * p, ((lo + p - 1) // p) * p)
        if first % 2 == 0:
            first += p
        if first > hi:
            continue
        mask[(first - lo) // 2 :: p] = False
    return mask


def prime_count(x: int) -> int:
    """pi(x): how many primes are <= x, exact for x <= COUNT_LIMIT.

    Below 10^6 this is a binary search; above it sieves odd numbers in segments of 2^21 and
    caches each finished segment's count, so repeated counts cost one partial segment.
    """
    x = int(x)
    if x > COUNT_LIMIT:
        raise ValueError(f"prime_count is exact only up to {COUNT_LIMIT:,}; got {x:,}")
    if x < 2:
        return 0
    if x <= BASE_LIMIT:
        return int(np.searchsorted(base_primes(), x, side="right"))
    odd_count = (x - 1) // 2 + 1  # odd numbers 1, 3, ..., <= x
    full, rest = divmod(odd_count, _SEGMENT)
    with _segment_lock:
        while len(_segment_counts) < full:
            k = len(_segment_counts)
            _segment_counts.append(int(_odd_primes_in_segment(k * _SEGMENT, (k + 1) * _SEGMENT).sum()))
        total = 1 + sum(_segment_counts[:full])  # 1 counts the prime 2
    if rest:
        total += int(_odd_primes_in_segment(full * _SEGMENT, full * _SEGMENT + rest).sum())
    return total


#: Largest n for which :func:`nth_prime` answers: the primes up to COUNT_LIMIT (pi(10^8)).
NTH_LIMIT = 5_761_455


def nth_prime(n: int) -> int:
    """The n-th prime (n = 1 -> 2), for 1 <= n <= NTH_LIMIT.

    Walks the same cached segment counts as :func:`prime_count`, then sieves the one segment
    that holds the answer, so it costs no more than counting up to it.
    """
    n = int(n)
    if not 1 <= n <= NTH_LIMIT:
        raise ValueError(f"nth_prime works for 1 <= n <= {NTH_LIMIT:,}; got {n:,}")
    if n <= len(base_primes()):
        return int(base_primes()[n - 1])
    wanted = n - 1  # odd primes before the answer, plus the answer itself
    with _segment_lock:
        seen, k = 0, 0
        while True:
            if k == len(_segment_counts):
                _segment_counts.append(int(_odd_primes_in_segment(k * _SEGMENT, (k + 1) * _SEGMENT).sum()))
            if seen + _segment_counts[k] >= wanted:
                break
            seen += _segment_counts[k]
            k += 1
    odd = np.flatnonzero(_odd_primes_in_segment(k * _SEGMENT, (k + 1) * _SEGMENT))
    return int(2 * (k * _SEGMENT + odd[wanted - seen - 1]) + 1)


def prime_mask_range(lo: int, hi: int) -> np.ndarray:
    """Boolean mask m of length hi - lo + 1 with m[k] True exactly when lo + k is prime.

    Sieves only the window (memory ~ its length), so a spiral can start at 10^9; needs hi <= 10^12.
    """
    lo, hi = max(int(lo), 0), int(hi)
    if hi < lo:
        return np.zeros(0, dtype=np.bool_)
    if hi > BASE_LIMIT * BASE_LIMIT:
        raise ValueError(f"prime_mask_range works up to {BASE_LIMIT * BASE_LIMIT:,}")
    if hi <= BASE_LIMIT:
        mask = np.zeros(hi - lo + 1, dtype=np.bool_)
        primes = base_primes()
        inside = primes[(primes >= lo) & (primes <= hi)]
        mask[inside - lo] = True
        return mask
    mask = np.ones(hi - lo + 1, dtype=np.bool_)
    mask[: max(0, 2 - lo)] = False  # 0 and 1
    for p in base_primes()[: np.searchsorted(base_primes(), math.isqrt(hi), side="right")].tolist():
        first = max(p * p, ((lo + p - 1) // p) * p)
        if first <= hi:
            mask[first - lo :: p] = False
    return mask
