"""The pool's reduced gradient equals the single-process gradient of the whole batch.

Tolerance: float32 sums in a different order differ by a few ulps; we allow
|pool - ref| <= 1e-5 * max|ref| + 1e-7 elementwise, far below any real bug (a missing or
mis-weighted shard changes the gradient by O(1) relative).
"""

from __future__ import annotations

import numpy as np
import pytest
from parallel_helpers import TINY, TOY, TOY_VOCAB, batch, toy_params
from parallel_toy_model import SoftmaxRegression

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.transformer import Transformer
from hyper_prime_spiral.training.gradient_sums import column_slices, row_ranges
from hyper_prime_spiral.training.pool_engine import PoolEngine


def assert_same_gradient(pool: np.ndarray, ref: np.ndarray) -> None:
    tol = 1e-5 * float(np.abs(ref).max()) + 1e-7
    np.testing.assert_allclose(pool, ref, rtol=0, atol=tol)


def toy_reference(params: np.ndarray, x, y) -> tuple[float, np.ndarray]:
    model = SoftmaxRegression(TOY_VOCAB)
    grads = np.zeros_like(params)
    loss = model.loss_and_grads(model.views(params), x, y, model.views(grads))
    return loss, grads


def transformer_reference(params: np.ndarray, x, y) -> tuple[float, np.ndarray]:
    layout = ParamLayout(TINY)
    grads = layout.new_buffer()
    loss = Transformer(TINY).loss_and_grads(layout.views(params), x, y, layout.views(grads))
    return loss, grads


def test_shards_cover_the_batch_with_sizes_differing_by_at_most_one():
    assert row_ranges(5, 2) == [(0, 3), (3, 5)]
    assert row_ranges(5, 3) == [(0, 2), (2, 4), (4, 5)]
    assert row_ranges(1, 3) == [(0, 1), (1, 1), (1, 1)]
    slices = column_slices(1000, 3)
    assert slices[0][0] == 0 and slices[-1][1] == 1000
    assert all(a % 16 == 0 and a <= b for a, b in slices)
    assert all(slices[i][1] == slices[i + 1][0] for i in range(2))


@pytest.mark.parametrize(("workers", "accum"), [(2, 1), (3, 1), (3, 2)])
def test_toy_pool_gradient_equals_whole_batch_gradient(workers, accum):
    params = toy_params()
    with PoolEngine(None, params, workers=workers, grad_accum=accum, model=TOY) as engine:
        # unequal shards (5, 7 rows), fewer rows than workers (2), and growing buffers (7 after 5)
        for rows in (5, 2, 7):
            x, y = batch(rows, 6, TOY_VOCAB, seed=rows)
            ref_loss, ref_grad = toy_reference(params, x, y)
            loss, grad = engine.gradient(x, y)
            assert loss == pytest.approx(ref_loss, rel=1e-5)
            assert_same_gradient(grad, ref_grad)


@pytest.mark.parametrize("workers", [2, 3])
def test_transformer_pool_gradient_equals_whole_batch_gradient(workers):
    params = init_params(TINY)
    x, y = batch(5, TINY.context_length, TINY.vocab_size)  # 5 rows: unequal shards
    ref_loss, ref_grad = transformer_reference(params, x, y)
    with PoolEngine(TINY, params, workers=workers) as engine:
        loss, grad = engine.gradient(x, y)
        loss2, grad2 = engine.gradient(x[:2], y[:2])  # a smaller batch reuses the buffers
    assert loss == pytest.approx(ref_loss, rel=1e-5)
    assert_same_gradient(grad, ref_grad)
    ref_loss2, ref_grad2 = transformer_reference(params, x[:2], y[:2])
    assert loss2 == pytest.approx(ref_loss2, rel=1e-5)
    assert_same_gradient(grad2, ref_grad2)
