"""Clock-abacus geometry against the numbers of the original, and its extension beyond 232."""

import numpy as np
import pytest

from hyper_prime_spiral.primes import abacus


def test_prime_3_at_three_oclock_and_12_at_the_top():
    placed = abacus.clock_placement(np.array([3, 12]))
    x, y = placed.xy.T
    assert placed.ring.tolist() == [0, 0]
    assert (x[0], y[0]) == pytest.approx((0.25 * 350, 0.0))
    assert (x[1], y[1]) == pytest.approx((0.0, -0.25 * 350), abs=1e-9)  # y down: negative is up


@pytest.mark.parametrize(
    ("index", "ring", "position", "angle", "radius"),
    [
        (1, 0, 1, -60.0, 87.5),
        (6, 0, 6, 90.0, 87.5),  # 6 o'clock is straight down
        (13, 1, 1, -84.0, 175.0),
        (27, 1, 15, 0.0, 175.0),
        (72, 1, 60, 270.0, 175.0),
        (73, 2, 1, -84.0, 262.5),
        (132, 2, 60, 270.0, 262.5),
        (157, 3, 25, 0.0, 350.0),
        (232, 3, 100, 270.0, 350.0),
    ],
)
def test_original_rings(index, ring, position, angle, radius):
    placed = abacus.clock_placement(index)
    assert (int(placed.ring[0]), int(placed.position[0])) == (ring, position)
    assert placed.angle_deg[0] == pytest.approx(angle)
    assert placed.radius[0] == pytest.approx(radius)


def test_primes_beyond_232_continue_on_new_rings():
    idx = np.arange(233, 2000)
    placed = abacus.clock_placement(idx)
    assert placed.ring.min() == 4
    # no two primes share a point (the original piled them all at the top)
    points = np.round(placed.xy, 6)
    assert len(np.unique(points, axis=0)) == len(idx)
    # every new ring puts position P/4 at 3 o'clock and its last position at the top
    starts = abacus.ring_starts(2000)
    for ring in range(4, 8):
        size = abacus.ring_size(ring)
        last = abacus.clock_placement(starts[ring + 1])
        assert last.angle_deg[0] == pytest.approx(270.0) and last.position[0] == size
        quarter = abacus.clock_placement(starts[ring] + size // 4)
        assert quarter.angle_deg[0] == pytest.approx(0.0)
    # spacing between neighbours stays within 20 % of the original outer ring's
    spacing = 2 * np.pi * placed.radius / [abacus.ring_size(r) for r in placed.ring]
    assert spacing.max() < 1.2 * 2 * np.pi * 350 / 100


def test_quadrant_hour_and_ring_distance():
    assert abacus.quadrant(0.0) == 0 and abacus.quadrant(95.0) == 1 and abacus.quadrant(-60.0) == 3
    assert abacus.clock_hour(-90.0) == 12 and abacus.clock_hour(90.0) == 6 and abacus.clock_hour(-60.0) == 1
    assert abacus.ring_distance(5) == 5 and abacus.ring_distance(12) == 0 and abacus.ring_distance(13) == 1


def test_bad_index():
    with pytest.raises(ValueError, match="1-based"):
        abacus.clock_placement(0)
