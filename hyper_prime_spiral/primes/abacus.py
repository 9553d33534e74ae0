"""The clock-abacus geometry: where the n-th prime sits (ring, position, angle, radius).

Prime index n is 1-based (n = 1 -> 2). The original's four rings hold the first 232 primes:

    ring 0: n 1..12,    12 positions, angle (p - 3) x 30 deg,   radius 0.25 R
    ring 1: n 13..72,   60 positions, angle (p - 15) x 6 deg,   radius 0.50 R
    ring 2: n 73..132,  60 positions, angle (p - 15) x 6 deg,   radius 0.75 R
    ring 3: n 133..232, 100 positions, angle (p - 25) x 3.6 deg, radius 1.00 R

Angles are screen angles (y grows downwards), so they run clockwise: position 3 of ring 0 is at
3 o'clock and position 12 at the top. The original piled every later prime onto one point at the
top; here ring k >= 3 continues outwards with 100 + 12 (k - 3) positions at radius
(1 + (k - 3) / 8) R, which keeps the spacing between neighbours nearly constant (about 22 px at
zoom 1), and position P/4 of every ring is again at 3 o'clock.

Coordinates are in "base units": pixels at zoom 1, relative to the centre (R = BASE_RADIUS).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: R at zoom 1 (the original's 350 px).
BASE_RADIUS = 350.0
#: The original's number of placed primes (four rings).
CLASSIC_COUNT = 232

_CLASSIC_SIZES = (12, 60, 60, 100)
_CLASSIC_OFFSETS = (3.0, 15.0, 15.0, 25.0)  # position at 3 o'clock (angle 0)


def ring_size(ring: int) -> int:
    """How many positions ring ``ring`` has (12, 60, 60, 100, 112, 124, ...)."""
    if ring < 0:
        raise ValueError(f"ring must be >= 0, got {ring}")
    return _CLASSIC_SIZES[ring] if ring < 4 else 100 + 12 * (ring - 3)


def ring_radius_fraction(ring: int | np.ndarray) -> np.ndarray:
    """Radius of a ring as a fraction of R: 0.25, 0.5, 0.75, 1.0, 1.125, 1.25, ..."""
    ring = np.asarray(ring, dtype=np.float64)
    return np.where(ring < 4, 0.25 * (ring + 1), 1.0 + (ring - 3) / 8.0)


def ring_starts(max_index: int) -> np.ndarray:
    """Index of the last prime before each ring: [0, 12, 72, 132, 232, 344, ...], covering max_index."""
    starts = [0]
    ring = 0
    while starts[-1] < max_index:
        starts.append(starts[-1] + ring_size(ring))
        ring += 1
    if len(starts) < 5:
        while len(starts) < 5:
            starts.append(starts[-1] + ring_size(len(starts) - 1))
    return np.array(starts, dtype=np.int64)


@dataclass(frozen=True)
class ClockPlacement:
    """Vectorised placement of prime indices: one entry per index."""

    ring: np.ndarray  # int64
    position: np.ndarray  # int64, 1..ring_size
    angle_deg: np.ndarray  # float64, screen angle, clockwise from 3 o'clock, in (-90, 270]
    radius: np.ndarray  # float64, base units (R = BASE_RADIUS)

    @property
    def xy(self) -> np.ndarray:
        """(n, 2) float64 base-unit coordinates relative to the centre (y down)."""
        theta = np.radians(self.angle_deg)
        return np.stack((self.radius * np.cos(theta), self.radius * np.sin(theta)), axis=1)


def clock_placement(indices: np.ndarray | int) -> ClockPlacement:
    """Ring, position, angle and radius of 1-based prime indices (vectorised)."""
    idx = np.atleast_1d(np.asarray(indices, dtype=np.int64))
    if idx.size and idx.min() < 1:
        raise ValueError("prime indices are 1-based")
    starts = ring_starts(int(idx.max()) if idx.size else 1)
    ring = np.searchsorted(starts, idx, side="left") - 1
    position = idx - starts[ring]
    sizes = np.diff(starts)[ring]
    offsets = np.where(ring < 4, np.take(_CLASSIC_OFFSETS, np.minimum(ring, 3)), sizes / 4.0)
    angle = (position - offsets) * (360.0 / sizes)
    radius = ring_radius_fraction(ring) * BASE_RADIUS
    return ClockPlacement(ring=ring, position=position, angle_deg=angle, radius=radius)


def fractional_angle(index: float) -> tuple[int, float, float]:
    """(ring, angle_deg, radius) for a fractional index such as pi(n) + 0.5, used to place composites
    between the primes that surround them."""
    lower = max(1, int(index))
    here = clock_placement(np.array([lower, lower + 1]))
    frac = float(index) - lower
    if here.ring[0] != here.ring[1]:
        return int(here.ring[0]), float(here.angle_deg[0]), float(here.radius[0])
    angle = here.angle_deg[0] + frac * (here.angle_deg[1] - here.angle_deg[0])
    return int(here.ring[0]), float(angle), float(here.radius[0])


def quadrant(angle_deg: float) -> int:
    """Quadrant 0..3 of a screen angle, counted clockwise from 3 o'clock (the original's rule)."""
    return int((angle_deg % 360.0) // 90.0)


def clock_hour(angle_deg: float) -> int:
    """The clock-face hour (1..12) nearest to a screen angle: 0 deg -> 3, -90 deg -> 12."""
    hour = round((angle_deg % 360.0) / 30.0 + 3) % 12
    return 12 if hour == 0 else hour


def ring_distance(index: int) -> int:
    """Index distance to the nearer ring boundary (0, 12, 72, 132, 232, ...), as in the original."""
    starts = ring_starts(index)
    ring = int(np.searchsorted(starts, index, side="left")) - 1
    return int(min(index - starts[ring], starts[ring + 1] - index))


def fractional_placement(indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ring, angle_deg, radius) for float indices >= 1: between two primes of one ring the angle is
    interpolated; past a ring's last prime it stays at that prime's angle. Vectorised."""
    idx = np.asarray(indices, dtype=np.float64)
    lower = np.maximum(1, np.floor(idx)).astype(np.int64)
    here = clock_placement(lower)
    nxt = clock_placement(lower + 1)
    same_ring = here.ring == nxt.ring
    frac = np.where(same_ring, idx - lower, 0.0)
    angle = here.angle_deg + frac * (nxt.angle_deg - here.angle_deg)
    return here.ring, angle, here.radius
