"""Spiral maps, the ten mode layouts and the pick helper."""

import numpy as np
import pytest

from hyper_prime_spiral.primes import modes, pick, spirals


def _walk_spiral(count):
    """Reference: walk the square spiral step by step (right, up, left, down; y down)."""
    x = y = 0
    out = [(0, 0)]
    step, direction = 1, 0
    moves = [(1, 0), (0, -1), (-1, 0), (0, 1)]
    while len(out) < count:
        for _ in range(2):
            dx, dy = moves[direction]
            for _ in range(step):
                x, y = x + dx, y + dy
                out.append((x, y))
            direction = (direction + 1) % 4
        step += 1
    return np.array(out[:count])


def test_square_spiral_matches_a_walk_and_inverts():
    k = np.arange(5000)
    assert (spirals.ulam_xy(k) == _walk_spiral(5000)).all()
    big = np.arange(10**6)
    xy = spirals.ulam_xy(big)
    assert (spirals.ulam_offset_at(xy[:, 0], xy[:, 1]) == big).all()


def test_sacks_squares_on_the_three_oclock_ray():
    pts = spirals.sacks_xy(np.array([1, 4, 9, 100]))
    assert pts[:, 1] == pytest.approx(np.zeros(4), abs=1e-9)
    assert pts[:, 0] == pytest.approx([1, 2, 3, 10])
    assert spirals.sacks_value_near(*spirals.sacks_xy(np.array([1234]))[0], limit=5000) == 1234


def test_polynomial_values():
    assert spirals.polynomial_values(1, 1, 41, 41, 200).tolist() == [
        41,
        43,
        47,
        53,
        61,
        71,
        83,
        97,
        113,
        131,
        151,
        173,
        197,
    ]
    with pytest.raises(ValueError, match="increase"):
        spirals.polynomial_values(-1, 0, 5, 0, 100)


@pytest.mark.parametrize("mode", range(len(modes.MODE_NAMES)))
def test_every_mode_lays_out_finite_points(mode):
    params = modes.ModeParams(count=500, phase=2.5, spiral_count=20_000)
    lay = modes.layout(mode, params)
    assert len(lay.xy) > 0 and np.isfinite(lay.xy).all()
    assert len(lay.values) == len(lay.xy) == len(lay.color) == len(lay.size)


def test_clock_sudoku_colours_and_marks_match_dots():
    params = modes.ModeParams(count=300)
    lay = modes.layout(modes.SUDOKU, params)
    assert lay.color[2] == modes.FIVE and lay.color[11] == modes.THIRTY_SEVEN
    assert lay.xy[2] == pytest.approx([87.5, 0.0], abs=1e-3)
    for mode in (modes.ULAM_CLOCK, modes.HARMONIC, modes.HYPERDIM, modes.ORIGAMI, modes.SUDOKU):
        lay = modes.layout(mode, modes.ModeParams(count=300, phase=1.7))
        mark = modes.points(mode, lay.values[40:41], np.array([41.0]), modes.ModeParams(count=300, phase=1.7))
        assert mark[0] == pytest.approx(lay.xy[40], abs=1e-3)


def test_crystalline_layout():
    lay = modes.layout(modes.SUDOKU, modes.ModeParams(count=50, crystalline=True))
    radius = np.hypot(lay.xy[:, 0], lay.xy[:, 1])
    assert radius == pytest.approx(100 * np.log10(lay.values.astype(float)), rel=1e-5)
    assert "CRYSTALLINE" in lay.caption


def test_square_spiral_start_and_polynomial_highlight():
    params = modes.ModeParams(spiral_count=400, spiral_start=41, polynomial=(1, 1, 41))
    lay = modes.layout(modes.SQUARE, params)
    assert 41 in lay.values.tolist() and lay.color[lay.values.tolist().index(41)] == modes.POLY_PRIME
    # the start value sits in the centre cell; hover finds it back
    assert modes.spiral_value_at(modes.SQUARE, 0.0, 0.0, params) == 41
    i = lay.values.tolist().index(43)
    assert modes.spiral_value_at(modes.SQUARE, *lay.xy[i], params) == 43


def test_self_similar_grows_ring_by_ring():
    counts = [
        len(modes.layout(modes.SELF_SIMILAR, modes.ModeParams(count=232, phase=p)).values) for p in (0, 3, 6)
    ]
    assert counts[0] == 232 and counts[1] < counts[2] <= 232


def test_pick_nearest_point():
    pts = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    assert pick.nearest_point(pts, 9.0, 1.0) == 1
    assert pick.nearest_point(pts, 50.0, 50.0, max_distance=5) == -1
    assert pick.nearest_point(np.zeros((0, 2)), 0, 0) == -1


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        modes.layout(10, modes.ModeParams())


def test_spiral_far_from_zero_sieves_only_its_window():
    params = modes.ModeParams(spiral_count=1_000, spiral_start=10**9)
    lay = modes.layout(modes.SACKS, params)
    assert lay.values.min() >= 10**9 and 1_000_000_007 in lay.values.tolist()
