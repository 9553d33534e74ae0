"""Every place gradients are summed: micro-batches within a process, worker rows across the pool.

Why one file: the pool gives exactly the one-process gradient only because both sums weight
each part by its share of the batch's tokens and add the parts in the same way; keeping them
side by side keeps that promise readable in one place.
"""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.training.gradient_model import GradientModel

_ALIGN = 16  # 64-byte cache lines of float32: workers never write the same line


def row_ranges(rows: int, parts: int) -> list[tuple[int, int]]:
    """`parts` contiguous ranges covering 0:rows, sizes differing by at most one (empty when rows < parts)."""
    base, extra = divmod(rows, parts)
    ranges, start = [], 0
    for i in range(parts):
        stop = start + base + (1 if i < extra else 0)
        ranges.append((start, stop))
        start = stop
    return ranges


def column_slices(n: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous, cache-line-aligned slices of a flat buffer of length n, one per worker."""
    bounds = [min(n, round(n * i / workers / _ALIGN) * _ALIGN) for i in range(workers)] + [n]
    return [(bounds[i], bounds[i + 1]) for i in range(workers)]


def sum_into_first_row(rows: np.ndarray) -> np.ndarray:
    """Add every row of `rows` into row 0 in place (no temporary) and return row 0.

    The pool's cross-worker sum: each worker calls it on its own column slice of the rows."""
    total = rows[0]
    for r in range(1, rows.shape[0]):
        total += rows[r]
    return total


class WeightedGradients:
    """The gradient of some rows of a batch, in up to `parts` micro-batches, into one flat buffer.

    Each micro-batch's gradient is weighted by its share of the whole batch's tokens, so the
    sum over micro-batches (and over the pool's shards) is exactly the whole-batch mean
    gradient even when they differ in size. Used by the in-process engine and by each worker.
    """

    def __init__(self, model: GradientModel, out: np.ndarray) -> None:
        self.model = model
        self.out = out
        self._out_views = model.views(out)
        self._scratch: np.ndarray | None = None  # micro-batch gradients, made on first use
        self._scratch_views: dict[str, np.ndarray] = {}

    def compute(
        self, params: dict[str, np.ndarray], x: np.ndarray, y: np.ndarray, parts: int, total_tokens: int
    ) -> float:
        """Fill `out` with the token-weighted gradient of rows (x, y); returns their weighted loss."""
        ranges = row_ranges(x.shape[0], max(1, min(parts, x.shape[0])))
        if len(ranges) == 1:
            weight = y.size / total_tokens
            loss = self.model.loss_and_grads(params, x, y, self._out_views)
            if weight != 1.0:
                self.out *= np.float32(weight)
            return weight * loss
        if self._scratch is None:
            self._scratch = np.empty_like(self.out)
            self._scratch_views = self.model.views(self._scratch)
        loss = 0.0
        for i, (a, b) in enumerate(ranges):
            weight = y[a:b].size / total_tokens
            loss += weight * self.model.loss_and_grads(params, x[a:b], y[a:b], self._scratch_views)
            if i == 0:
                np.multiply(self._scratch, np.float32(weight), out=self.out)
            else:
                self._scratch *= np.float32(weight)
                self.out += self._scratch
        return loss
