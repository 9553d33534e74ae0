"""Colours of the prime views: the original's ring, highlight and analysed-number colours.

``CLASS_COLOURS[k]`` is the RGB of colour class k of ``primes.modes`` (a NumPy table, so a whole
layout is coloured with one fancy-index).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from hyper_prime_spiral.primes import modes

RING_DOTS = ((200, 200, 255), (200, 255, 200), (255, 200, 200), (255, 255, 200))
RING_CIRCLES = ((80, 80, 120), (80, 120, 80), (120, 80, 80), (120, 120, 80))
#: Analysed numbers: history entry i gets ANALYSED[i % 10].
ANALYSED = (
    (255, 255, 0),
    (0, 255, 255),
    (0, 255, 0),
    (255, 0, 255),
    (255, 128, 0),
    (255, 100, 100),
    (100, 100, 255),
    (255, 255, 100),
    (100, 255, 100),
    (255, 100, 255),
)
SPHERE_RINGS = ((120, 140, 255), (110, 230, 130), (255, 130, 120), (255, 225, 110))

CLASS_COLOURS = np.zeros((modes.N_CLASSES, 3), dtype=np.uint8)
CLASS_COLOURS[0:4] = RING_DOTS
CLASS_COLOURS[modes.FIVE] = (255, 255, 0)
CLASS_COLOURS[modes.THIRTY_SEVEN] = (255, 0, 255)
CLASS_COLOURS[modes.CRYSTAL_SMALL] = (150, 220, 255)
CLASS_COLOURS[modes.CRYSTAL_MID] = (150, 255, 200)
CLASS_COLOURS[modes.CRYSTAL_LARGE] = (255, 220, 150)
CLASS_COLOURS[modes.SPIRAL_PRIME] = (200, 230, 255)
CLASS_COLOURS[modes.POLY_PRIME] = (255, 80, 80)
CLASS_COLOURS[modes.POLY_COMPOSITE] = (120, 60, 60)
CLASS_COLOURS[modes.GUIDE] = (40, 40, 40)
CLASS_COLOURS[modes.GREY] = (60, 60, 60)
CLASS_COLOURS[modes.TRIANGLE] = (100, 100, 100)
CLASS_COLOURS[modes.CHECK] = (0, 255, 0)
CLASS_COLOURS[modes.CENTRE] = (255, 255, 255)
CLASS_COLOURS[modes.RING_CIRCLE : modes.RING_CIRCLE + 4] = RING_CIRCLES


@lru_cache(maxsize=1024)
def class_colour(index: int, brightness: float = 1.0) -> tuple[int, int, int]:
    r, g, b = (int(c * brightness) for c in CLASS_COLOURS[index])
    return (r, g, b)
