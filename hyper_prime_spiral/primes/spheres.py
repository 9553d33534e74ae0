"""The Spheres tab's 3-D scene: the first primes as spheres, rotated and projected in perspective.

Each prime keeps its clock-abacus place in the x/y plane and gets a height from its ring, so the
rings become stacked layers; twin primes (p, p + 2) are joined. The tab only rotates, projects
(here) and draws; the sphere shading is a NumPy intensity map per radius.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hyper_prime_spiral.primes import abacus
from hyper_prime_spiral.primes.sieve import first_primes

#: The original's perspective: scale = CAMERA / (CAMERA + z).
CAMERA = 200.0
DEFAULT_COUNT = 132


@dataclass(frozen=True)
class SphereScene:
    centres: np.ndarray  # (N, 3) float64, base units
    radius: np.ndarray  # (N,) float64
    ring: np.ndarray  # (N,) int64
    values: np.ndarray  # (N,) int64 primes
    twins: np.ndarray  # (K, 2) int64 indices into the arrays: (p, p + 2) pairs


def build_scene(count: int = DEFAULT_COUNT) -> SphereScene:
    """Spheres for the first ``count`` primes (count >= 1)."""
    if count < 1:
        raise ValueError(f"need at least one sphere, got {count}")
    values = first_primes(count)
    placed = abacus.clock_placement(np.arange(1, count + 1))
    xy = placed.xy * 0.9
    z = (placed.ring - placed.ring.max() / 2.0) * 60.0
    centres = np.column_stack((xy, z))
    radius = 3.0 + 1.6 * np.log10(values.astype(np.float64))
    twin_left = np.flatnonzero(np.diff(values) == 2)
    twins = np.column_stack((twin_left, twin_left + 1)).astype(np.int64)
    return SphereScene(centres=centres, radius=radius, ring=placed.ring, values=values, twins=twins)


def rotate(points: np.ndarray, angle_x: float, angle_y: float) -> np.ndarray:
    """Rotate (N, 3) points about the x axis, then the y axis (radians)."""
    cx, sx, cy, sy = np.cos(angle_x), np.sin(angle_x), np.cos(angle_y), np.sin(angle_y)
    x, y, z = points[:, 0], points[:, 1], points[:, 2]
    y1, z1 = y * cx - z * sx, y * sx + z * cx
    x2, z2 = x * cy + z1 * sy, -x * sy + z1 * cy
    return np.column_stack((x2, y1, z2))


@dataclass(frozen=True)
class Projection:
    xy: np.ndarray  # (N, 2) base units on screen (multiply by zoom, add the centre)
    radius: np.ndarray  # (N,) base units
    depth: np.ndarray  # (N,) z after rotation (larger = farther)
    order: np.ndarray  # draw order: farthest first


def project(scene: SphereScene, angle_x: float, angle_y: float, phase: float = 0.0) -> Projection:
    """Rotate the scene and project it; while animating spheres also bob with ``phase``."""
    centres = scene.centres.copy()
    if phase:
        centres[:, 2] += 12.0 * np.sin(phase + 0.5 * np.arange(len(centres)))
    turned = rotate(centres, angle_x, angle_y)
    scale = CAMERA / np.maximum(CAMERA + turned[:, 2], 20.0)
    return Projection(
        xy=turned[:, :2] * scale[:, None],
        radius=scene.radius * scale,
        depth=turned[:, 2],
        order=np.argsort(-turned[:, 2], kind="stable"),
    )


def shading(radius_px: int) -> np.ndarray:
    """(2r+1, 2r+1) float32 Lambert intensity of a sphere lit from the upper left; 0 outside the disc."""
    r = max(int(radius_px), 1)
    coords = np.arange(-r, r + 1, dtype=np.float64) / r
    x, y = np.meshgrid(coords, coords, indexing="ij")  # [x, y] like pygame.surfarray
    d2 = x * x + y * y
    inside = d2 <= 1.0
    z = np.sqrt(np.clip(1.0 - d2, 0.0, 1.0))
    light = np.array([-0.45, -0.55, 0.70])
    light /= np.linalg.norm(light)
    lambert = np.clip(x * light[0] + y * light[1] + z * light[2], 0.0, 1.0)
    return np.where(inside, 0.18 + 0.82 * lambert, 0.0).astype(np.float32)
