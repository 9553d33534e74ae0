"""The two classic integer spirals: Ulam's square spiral and Sacks' spiral (vectorised, 10^6+ points).

Both map an integer to a point and back. Square spiral: k = n - start goes right, then up, left and
down in growing squares (k = 1 at (1, 0), k = 2 at (1, -1); y grows downwards, so -1 is up).
Sacks spiral: n at angle 2 pi sqrt(n), radius sqrt(n), so the squares line up on the 3 o'clock ray.
"""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.primes import trig_layout


def _isqrt(values: np.ndarray) -> np.ndarray:
    """Exact floor(sqrt(v)) for int64 arrays (float sqrt, then one correction step each way)."""
    root = np.floor(np.sqrt(values.astype(np.float64))).astype(np.int64)
    root -= (root * root > values).astype(np.int64)
    root += ((root + 1) * (root + 1) <= values).astype(np.int64)
    return root


def ulam_xy(offsets: np.ndarray) -> np.ndarray:
    """Integer cell (x, y) of spiral offsets k = n - start >= 0; returns (len, 2) int64."""
    k = np.asarray(offsets, dtype=np.int64)
    if k.size and k.min() < 0:
        raise ValueError("spiral offsets must be >= 0")
    m = (_isqrt(k) + 1) // 2  # the square ring: (2m-1)^2 <= k < (2m+1)^2
    t = k - (2 * m - 1) ** 2
    side_len = np.maximum(2 * m, 1)
    side = t // side_len
    off = t % side_len
    x = np.select([side == 0, side == 1, side == 2], [m, m - 1 - off, -m], -(m - 1) + off)
    y = np.select([side == 0, side == 1, side == 2], [m - 1 - off, -m, -(m - 1) + off], m)
    xy = np.stack((x, y), axis=1)
    xy[k == 0] = 0
    return xy


def ulam_offset_at(x: np.ndarray | int, y: np.ndarray | int) -> np.ndarray:
    """Inverse of :func:`ulam_xy`: the offset k of integer cells (x, y)."""
    x = np.asarray(x, dtype=np.int64)
    y = np.asarray(y, dtype=np.int64)
    m = np.maximum(np.abs(x), np.abs(y))
    base = (2 * m - 1) ** 2
    right = (x == m) & (y < m)
    top = ~right & (y == -m)
    left = ~right & ~top & (x == -m)
    k = np.select(
        [m == 0, right, top, left],
        [0, base + (m - 1 - y), base + 2 * m + (m - 1 - x), base + 4 * m + (y + m - 1)],
        base + 6 * m + (x + m - 1),
    )
    return k


def ulam_half_width(count: int) -> int:
    """Half side (in cells) of the square that the first ``count`` offsets fill."""
    if count <= 1:
        return 1
    return int((_isqrt(np.array([count - 1]))[0] + 1) // 2) or 1


def sacks_xy(values: np.ndarray) -> np.ndarray:
    """(len, 2) float64 points of integers n >= 0 on the Sacks spiral (radius sqrt n, angle 2 pi sqrt n)."""
    return trig_layout.sacks(values)  # numexpr for large counts


def sacks_value_near(x: float, y: float, limit: int) -> int:
    """The integer 0..limit whose Sacks point is nearest to (x, y) (sqrt-units); a local search."""
    r = float(np.hypot(x, y))
    lo = max(0, int((max(r - 1.5, 0.0)) ** 2))
    hi = min(limit, int((r + 1.5) ** 2) + 1)
    if hi < lo:
        return limit
    candidates = np.arange(lo, hi + 1, dtype=np.int64)
    points = sacks_xy(candidates)
    d2 = (points[:, 0] - x) ** 2 + (points[:, 1] - y) ** 2
    return int(candidates[int(np.argmin(d2))])


def polynomial_values(a: int, b: int, c: int, lo: int, hi: int) -> np.ndarray:
    """Distinct values of a n^2 + b n + c for n = 0, 1, ... that fall in [lo, hi], ascending.

    Only increasing polynomials make sense here (a > 0, or a == 0 and b > 0); others raise ValueError.
    """
    if a < 0 or (a == 0 and b <= 0):
        raise ValueError("the highlight polynomial must increase for n >= 0 (a > 0, or a = 0 and b > 0)")
    if a > 0:
        n_max = int((-b + np.sqrt(max(b * b - 4 * a * (c - hi), 0))) / (2 * a)) + 2
    else:
        n_max = (hi - c) // b + 2
    n = np.arange(0, max(n_max, 0) + 1, dtype=np.int64)
    values = a * n * n + b * n + c
    return np.unique(values[(values >= lo) & (values <= hi)])
