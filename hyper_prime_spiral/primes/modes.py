"""Point layouts of the ten visualisation modes, as NumPy arrays in screen-independent base units.

Every mode is one function ``points(values, clock_index, params) -> (N, 2)`` that places numbers
(their value and their clock index: the prime index, or pi(n) + 0.5 for a composite), plus a
``layout(mode, params)`` that adds the mode's decorations (ring circles, guide points, lines,
marks) and colour classes. The view draws a layout after ``screen = centre + pan + zoom * xy``; the
same point functions place analysed numbers and factor lines, so marks sit exactly on the dots.

Colour classes are small integers (the UI maps them to its palette); ``ring mod 4`` for ring dots.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from hyper_prime_spiral.primes import abacus, spirals, trig_layout
from hyper_prime_spiral.primes.sieve import first_primes, prime_mask_range

MODE_NAMES = (
    "Ulam Spiral",
    "Recursive Fractal",
    "Harmonic Resonance",
    "Hyperdim Projection",
    "Self-Similar",
    "Clock Sudoku",
    "Natural Prime Lattice",
    "Folded Origami",
    "Square Ulam Spiral",
    "Sacks Spiral",
)
ULAM_CLOCK, RECURSIVE, HARMONIC, HYPERDIM, SELF_SIMILAR, SUDOKU, LATTICE, ORIGAMI, SQUARE, SACKS = range(10)
SPIRAL_MODES = (SQUARE, SACKS)  # integers (not primes) on a spiral; a count and a start of their own
ANIMATED_MODES = (HARMONIC, HYPERDIM, SELF_SIMILAR, ORIGAMI)  # move with the animation phase
CRYSTAL_MODES = (SUDOKU, LATTICE)  # natural or crystalline (12-fold) layout

# Colour classes (ring dots use ring % 4 = 0..3).
FIVE, THIRTY_SEVEN = 4, 5
CRYSTAL_SMALL, CRYSTAL_MID, CRYSTAL_LARGE = 6, 7, 8
SPIRAL_PRIME, POLY_PRIME, POLY_COMPOSITE = 9, 10, 11
GUIDE, GREY, TRIANGLE, CHECK, CENTRE = 12, 13, 14, 15, 16
RING_CIRCLE = 20  # + ring % 4: the darker ring-circle colours
N_CLASSES = 24

#: How far the spirals reach from the centre at zoom 1 (base units).
SPIRAL_EXTENT = 400.0
#: Animation phase gained per second (the original's 0.016 per frame at 60 frames/s).
PHASE_PER_SECOND = 0.96
MAX_DEPTH = 4


@dataclass(frozen=True)
class ModeParams:
    """Everything a layout depends on (hashable, so a view can cache by it)."""

    count: int = 1000  # primes on the clock
    phase: float = 0.0
    crystalline: bool = False
    depth: int = 3
    spiral_count: int = 100_000  # integers on the square / Sacks spiral
    spiral_start: int = 1
    polynomial: tuple[int, int, int] | None = None  # (a, b, c) of a n^2 + b n + c


@dataclass
class Layout:
    """What one mode draws, in base units relative to the centre (y down)."""

    xy: np.ndarray  # (N, 2) float32 dots
    values: np.ndarray  # (N,) int64 number at each dot
    color: np.ndarray  # (N,) int8 colour class
    size: np.ndarray  # (N,) float32 dot radius in screen px (not zoomed)
    brightness: np.ndarray | None = None  # (N,) float32 0..1 multiplier, None = 1
    guides: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))
    guide_color: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    circles: list[tuple[float, int, float]] = field(default_factory=list)  # (radius, class, brightness)
    lines: np.ndarray = field(default_factory=lambda: np.zeros((0, 4), np.float32))
    line_color: int = TRIANGLE
    checks: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), np.float32))
    centre: bool = True
    cell: float = 0.0  # > 0 for spirals: cell size in base units (dots become squares when large)
    caption: str = ""


# ----------------------------------------------------------------------------- per-mode placement


@lru_cache(maxsize=8)
def _canonical_first(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    ring, angle, radius = abacus.fractional_placement(np.arange(1, count + 1, dtype=np.float64))
    return ring, np.radians(angle), radius


def _canonical(clock_index: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ring, angle (radians) and radius; the common case (indices 1..N) is cached."""
    n = len(clock_index)
    if n > 16 and clock_index[0] == 1.0 and clock_index[-1] == n and np.all(np.diff(clock_index) == 1.0):
        return _canonical_first(n)
    ring, angle, radius = abacus.fractional_placement(clock_index)
    return ring, np.radians(angle), radius


def _polar(radius: np.ndarray, theta: np.ndarray) -> np.ndarray:
    return trig_layout.polar(radius, theta)  # numexpr for large counts


def _harmonic_pulse(ring: np.ndarray, phase: float, extra: np.ndarray | float = 0.0) -> np.ndarray:
    t = phase * 0.1
    freq = np.array([abacus.ring_size(int(r)) for r in range(int(ring.max(initial=0)) + 1)], np.float64)
    return 0.7 + 0.3 * np.sin(0.1 * t * freq[ring] + extra)


def _hyperdim(xy: np.ndarray, ring: np.ndarray, theta: np.ndarray | float, phase: float) -> np.ndarray:
    t = phase * 0.05
    rxy, rzw = t, 0.7 * t
    z = 50.0 * ring
    w = 100.0 * np.sin(t + ring + theta)
    x = xy[:, 0] * np.cos(rxy) - xy[:, 1] * np.sin(rxy)
    y = xy[:, 0] * np.sin(rxy) + xy[:, 1] * np.cos(rxy)
    z2 = z * np.cos(rzw) - w * np.sin(rzw)
    p = 1.0 / np.maximum(1.0 + z2 / 500.0, 0.1)
    return np.stack((x * p, y * p, p), axis=1)


def _fold(xy: np.ndarray, phase: float) -> np.ndarray:
    fold = 0.5 + 0.5 * np.sin(0.05 * phase)
    r3 = 0.25 * abacus.BASE_RADIUS
    s = xy[:, 0] + xy[:, 1]
    z = np.where(s > r3, (s - r3) * fold, 0.0)
    p = 1.0 / (1.0 + z / 300.0)
    return xy * p[:, None]


def _crystalline(values: np.ndarray, clock_index: np.ndarray) -> np.ndarray:
    theta = np.radians(clock_index * 30.0 + 0.1 * np.mod(values, 360))
    radius = 100.0 * np.log10(np.maximum(values, 1).astype(np.float64))
    return _polar(radius, theta)


def _spiral_points(mode: int, values: np.ndarray, params: ModeParams) -> np.ndarray:
    if mode == SQUARE:
        scale = SPIRAL_EXTENT / spirals.ulam_half_width(params.spiral_count)
        return spirals.ulam_xy(np.maximum(values - params.spiral_start, 0)) * scale
    top = params.spiral_start + params.spiral_count - 1
    return spirals.sacks_xy(values) * (SPIRAL_EXTENT / np.sqrt(max(top, 1)))


def points(mode: int, values: np.ndarray, clock_index: np.ndarray, params: ModeParams) -> np.ndarray:
    """(N, 2) float64 base-unit positions of numbers in ``mode`` (the dots' own rule)."""
    values = np.asarray(values, dtype=np.int64)
    clock_index = np.asarray(clock_index, dtype=np.float64)
    if mode in SPIRAL_MODES:
        return _spiral_points(mode, values, params)
    if mode in CRYSTAL_MODES and params.crystalline:
        return _crystalline(values, clock_index)
    ring, theta, radius = _canonical(clock_index)
    if mode == ULAM_CLOCK:
        return _polar(clock_index / max(params.count, 1) * abacus.BASE_RADIUS, theta)
    if mode == RECURSIVE:
        return _polar(np.full_like(theta, 200.0), theta)
    if mode == HARMONIC:
        return _polar(radius * _harmonic_pulse(ring, params.phase, theta), theta)
    if mode == HYPERDIM:
        return _hyperdim(_polar(radius, theta), ring, theta, params.phase)[:, :2]
    if mode == ORIGAMI:
        return _fold(_polar(radius, theta), params.phase)
    return _polar(radius, theta)  # SELF_SIMILAR, SUDOKU, LATTICE


# ----------------------------------------------------------------------------- full layouts


@lru_cache(maxsize=8)
def _clock_primes(count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    values = first_primes(count)
    index = np.arange(1, count + 1, dtype=np.float64)
    ring = abacus.clock_placement(np.arange(1, count + 1)).ring if count else np.zeros(0, np.int64)
    return values, index, ring


def _circle_points(radius: float, n: int = 360) -> np.ndarray:
    theta = np.radians(np.arange(n, dtype=np.float64) * (360.0 / n))
    return _polar(np.full(n, radius), theta)


def _ring_circles(max_ring: int) -> list[tuple[float, int, float]]:
    return [
        (float(abacus.ring_radius_fraction(r)) * abacus.BASE_RADIUS, RING_CIRCLE + r % 4, 1.0)
        for r in range(max_ring + 1)
    ]


def _base_layout(xy: np.ndarray, values: np.ndarray, color: np.ndarray, size: float = 2.0) -> Layout:
    return Layout(
        xy=xy.astype(np.float32),
        values=values,
        color=color.astype(np.int8),
        size=np.full(len(values), size, np.float32),
    )


def layout(mode: int, params: ModeParams) -> Layout:
    """The full picture of ``mode`` for ``params`` (dots, decorations, colour classes)."""
    if not 0 <= mode < len(MODE_NAMES):
        raise ValueError(f"mode must be 0..{len(MODE_NAMES) - 1}, got {mode}")
    if mode in SPIRAL_MODES:
        return _spiral_layout(mode, params)
    values, index, ring = _clock_primes(max(params.count, 1))
    max_ring = int(ring.max(initial=0))
    ring_class = ring % 4
    if mode == RECURSIVE:
        return _recursive_layout(values, params)
    xy = points(mode, values, index, params)
    out = _base_layout(xy, values, ring_class)
    if mode == ULAM_CLOCK:
        theta = np.radians(np.arange(360.0))
        out.guides = _polar(np.arange(360.0) / 360.0 * abacus.BASE_RADIUS, theta).astype(np.float32)
        out.guide_color = np.full(360, GUIDE, np.int8)
    elif mode == HARMONIC:
        pulse = _harmonic_pulse(np.arange(max_ring + 1), params.phase)
        out.circles = [
            (r * p, c, float(p)) for (r, c, _), p in zip(_ring_circles(max_ring), pulse, strict=True)
        ]
        out.brightness = _harmonic_pulse(ring, params.phase, np.radians(_angles(index))).astype(np.float32)
    elif mode == HYPERDIM:
        projected = _hyperdim(
            points(SUDOKU, values, index, params), ring, np.radians(_angles(index)), params.phase
        )
        out.size = np.maximum(1.0, np.floor(3.0 * projected[:, 2])).astype(np.float32)
        guides, guide_color = [], []
        for r in range(max_ring + 1):
            circle = _circle_points(float(abacus.ring_radius_fraction(r)) * abacus.BASE_RADIUS, 180)
            guides.append(_hyperdim(circle, np.full(len(circle), r), 0.0, params.phase)[:, :2])
            guide_color.append(np.full(len(circle), RING_CIRCLE + r % 4, np.int8))
        out.guides = np.concatenate(guides).astype(np.float32)
        out.guide_color = np.concatenate(guide_color)
    elif mode == SELF_SIMILAR:
        _self_similar(out, params, max_ring)
    elif mode in CRYSTAL_MODES:
        if params.crystalline:
            out.color = np.select(
                [values < 100, values < 1000], [CRYSTAL_SMALL, CRYSTAL_MID], CRYSTAL_LARGE
            ).astype(np.int8)
            out.caption = "CRYSTALLINE LATTICE (Pure Prime Distribution)"
        else:
            out.color[index == 3] = FIVE
            out.color[index == 12] = THIRTY_SEVEN
            if mode == SUDOKU:
                out.circles = _ring_circles(max_ring)
    elif mode == ORIGAMI:
        guides, guide_color = [], []
        for r in range(max_ring + 1):
            circle = _circle_points(float(abacus.ring_radius_fraction(r)) * abacus.BASE_RADIUS)
            guides.append(_fold(circle, params.phase))
            guide_color.append(np.full(len(circle), RING_CIRCLE + r % 4, np.int8))
        out.guides = np.concatenate(guides).astype(np.float32)
        out.guide_color = np.concatenate(guide_color)
        r3 = 0.25 * abacus.BASE_RADIUS
        out.lines = np.array([[0, 0, 0, -r3], [0, -r3, r3, 0], [r3, 0, 0, 0]], np.float32)
    return out


def _angles(index: np.ndarray) -> np.ndarray:
    return np.degrees(_canonical(index)[1])


def _self_similar(out: Layout, params: ModeParams, max_ring: int) -> None:
    """Primes appear ring by ring: the layout starts complete, then rebuilds every ~10 s while animating."""
    n = len(out.values)
    tf = params.phase * 0.1
    cycle = max(int(n * 1.26), n + 1)
    visible = min(int(n + tf * n) % cycle, n)
    out.circles = _ring_circles(max_ring)
    keep = slice(0, visible)
    out.xy, out.values, out.color, out.size = out.xy[keep], out.values[keep], out.color[keep], out.size[keep]
    if 0 < visible < n:
        out.size[-1] = 4.0
        out.brightness = np.ones(visible, np.float32)
        out.brightness[-1] = 0.5 + 0.5 * (0.5 + 0.5 * np.sin(10 * tf))
    starts = abacus.ring_starts(n)
    done = [r for r in range(len(starts) - 1) if starts[r + 1] <= visible]
    radii = [float(abacus.ring_radius_fraction(r)) * abacus.BASE_RADIUS for r in done]
    out.checks = np.array([[1.2 * r, 0.0] for r in radii], np.float32).reshape(-1, 2)


def _recursive_layout(values: np.ndarray, params: ModeParams) -> Layout:
    """Nested clocks: each of the first 100 primes carries a smaller clock (0.3 x) carrying the next."""
    chains = min(len(values), 100)
    depth = max(1, min(int(params.depth), MAX_DEPTH))
    centre = np.zeros((chains, 2))
    size = 200.0
    dots, dot_values, dot_ring, dot_size, guides = [], [], [], [], []
    mini = np.radians(np.arange(12) * 30.0)
    for level in range(depth):
        index = np.arange(1, chains + 1) + level
        placed = abacus.clock_placement(index)
        theta = np.radians(placed.angle_deg)
        centre = centre + _polar(np.full(chains, size), theta)
        dots.append(centre)
        dot_values.append(first_primes(int(index.max()))[index - 1])
        dot_ring.append(placed.ring % 4)
        dot_size.append(np.full(chains, max(1.0, 3.0 - level)))
        ring_pts = centre[:, None, :] + 0.3 * size * np.stack((np.cos(mini), np.sin(mini)), axis=1)[None]
        guides.append(ring_pts.reshape(-1, 2))
        size *= 0.3
        if size < 5:
            break
    out = _base_layout(np.concatenate(dots), np.concatenate(dot_values), np.concatenate(dot_ring))
    out.size = np.concatenate(dot_size).astype(np.float32)
    out.guides = np.concatenate(guides).astype(np.float32)
    out.guide_color = np.full(len(out.guides), GREY, np.int8)
    out.circles = [(200.0, GUIDE, 1.0)]
    out.caption = f"depth {depth}"
    return out


@lru_cache(maxsize=4)
def _spiral_numbers(
    start: int, count: int, polynomial: tuple[int, int, int] | None
) -> tuple[np.ndarray, ...]:
    top = start + count - 1
    window = prime_mask_range(start, top)  # window[k]: start + k is prime
    lit = np.flatnonzero(window).astype(np.int64) + start
    color = np.full(len(lit), SPIRAL_PRIME, np.int8)
    if polynomial is not None:
        poly = spirals.polynomial_values(*polynomial, lo=start, hi=top)
        on_poly = np.isin(lit, poly)
        color[on_poly] = POLY_PRIME
        extra = poly[~window[poly - start]]
        lit = np.concatenate((lit, extra))
        color = np.concatenate((color, np.full(len(extra), POLY_COMPOSITE, np.int8)))
    return lit, color


def _spiral_layout(mode: int, params: ModeParams) -> Layout:
    values, color = _spiral_numbers(params.spiral_start, params.spiral_count, params.polynomial)
    xy = points(mode, values, np.zeros(len(values)), params)
    out = _base_layout(xy, values, color, size=0.0)
    if mode == SQUARE:
        out.cell = SPIRAL_EXTENT / spirals.ulam_half_width(params.spiral_count)
    else:
        out.cell = SPIRAL_EXTENT / np.sqrt(max(params.spiral_start + params.spiral_count - 1, 1))
    out.centre = False
    return out


def spiral_value_at(mode: int, x: float, y: float, params: ModeParams) -> int | None:
    """The integer drawn at base-unit point (x, y) of a spiral mode, or None outside the spiral."""
    if mode == SQUARE:
        cell = SPIRAL_EXTENT / spirals.ulam_half_width(params.spiral_count)
        k = int(spirals.ulam_offset_at(round(x / cell), round(y / cell)))
    elif mode == SACKS:
        top = params.spiral_start + params.spiral_count - 1
        scale = SPIRAL_EXTENT / np.sqrt(max(top, 1))
        k = spirals.sacks_value_near(x / scale, y / scale, top) - params.spiral_start
    else:
        raise ValueError(f"mode {mode} is not a spiral mode")
    if 0 <= k < params.spiral_count:
        return params.spiral_start + k
    return None
