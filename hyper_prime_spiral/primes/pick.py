"""Hit-testing points: which of many points is nearest to a position (vectorised, no loops)."""

from __future__ import annotations

import numpy as np


def nearest_point(points: np.ndarray, x: float, y: float, max_distance: float | None = None) -> int:
    """Index of the row of ``points`` (N, 2) nearest to (x, y), or -1 when there are none or the
    nearest one is farther than ``max_distance``."""
    pts = np.asarray(points)
    if pts.size == 0:
        return -1
    d2 = (pts[:, 0] - x) ** 2 + (pts[:, 1] - y) ** 2
    best = int(np.argmin(d2))
    if max_distance is not None and d2[best] > max_distance * max_distance:
        return -1
    return best
