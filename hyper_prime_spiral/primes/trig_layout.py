"""Polar and Sacks placements of many points: numexpr for large arrays, numpy for small ones.

Why two paths: numexpr evaluates `r cos(theta)` and `r sin(theta)` in cache-sized blocks on
every core in one pass each, where numpy makes a temporary per operation on one core. Measured
on 10^6 Sacks points with two free cores: numexpr 16 ms against numpy 27-46 ms; below about
10^5 points numexpr's per-call start-up eats the gain, and on one thread the two are equal. So
numexpr takes arrays of at least `NUMEXPR_MIN_POINTS` points (the spiral modes at large counts,
the animated clock modes recomputed every frame); everything else stays numpy. Both paths give
the same points to float64 rounding (tests/primes/test_trig_layout.py).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator

import numpy as np

try:
    import numexpr
except ImportError:  # a declared dependency; numpy alone still gives every layout
    numexpr = None

NUMEXPR_MIN_POINTS = 100_000
_TAU = 2.0 * math.pi
_threshold = NUMEXPR_MIN_POINTS


@contextlib.contextmanager
def numexpr_from(points: int | None) -> Iterator[None]:
    """Use numexpr from `points` points on (0: always; None: never) inside the block (tests)."""
    global _threshold
    previous, _threshold = _threshold, (math.inf if points is None else points)
    try:
        yield
    finally:
        _threshold = previous


def _numexpr_for(n: int) -> bool:
    return numexpr is not None and n >= _threshold


def polar(radius: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """(N, 2) float64 points (r cos theta, r sin theta)."""
    r = np.asarray(radius, dtype=np.float64)
    t = np.asarray(theta, dtype=np.float64)
    r, t = np.broadcast_arrays(r, t)
    if not _numexpr_for(t.size):
        return np.stack((r * np.cos(t), r * np.sin(t)), axis=1)
    out = np.empty((t.size, 2), np.float64)
    numexpr.evaluate("r * cos(t)", local_dict={"r": r, "t": t}, out=out[:, 0])
    numexpr.evaluate("r * sin(t)", local_dict={"r": r, "t": t}, out=out[:, 1])
    return out


def sacks(values: np.ndarray) -> np.ndarray:
    """(N, 2) float64 points of integers n >= 0 at radius sqrt(n), angle 2 pi sqrt(n)."""
    v = np.asarray(values, dtype=np.float64).reshape(-1)
    if not _numexpr_for(v.size):
        root = np.sqrt(v)
        theta = _TAU * root
        return np.stack((root * np.cos(theta), root * np.sin(theta)), axis=1)
    out = np.empty((v.size, 2), np.float64)
    names = {"v": v, "tau": np.float64(_TAU)}
    numexpr.evaluate("sqrt(v) * cos(tau * sqrt(v))", local_dict=names, out=out[:, 0])
    numexpr.evaluate("sqrt(v) * sin(tau * sqrt(v))", local_dict=names, out=out[:, 1])
    return out
