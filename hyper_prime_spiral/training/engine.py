"""In-process gradient engine: the single-process implementation of the GradientEngine protocol.

Protocol (docs/interfaces.md): `params` (flat float32), `step(x, y, lr) -> (loss, grad_norm)`,
`optimizer_state()`, `close()`. `training.parallel.PoolEngine` implements the same protocol
with worker processes over shared memory.
"""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.optim import AdamW, AdamWSettings, clip_grad_norm
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.transformer import Transformer


def split_rows(batch: int, parts: int) -> list[tuple[int, int]]:
    """Contiguous (start, stop) row ranges of nearly equal size; never an empty range."""
    parts = max(1, min(parts, batch))
    bounds = np.linspace(0, batch, parts + 1).round().astype(int)
    return [(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]


class InProcessEngine:
    """Gradients of the whole batch in this process (optionally as `grad_accum` micro-batches).

    Micro-batch gradients are summed weighted by their token counts, so any `grad_accum`
    gives the gradient of the whole batch (up to float rounding); then global-norm clipping
    and AdamW in place on `params`.
    """

    def __init__(
        self,
        config: ModelConfig,
        params: np.ndarray,
        settings: AdamWSettings | None = None,
        grad_accum: int = 1,
        state: OptimizerState | None = None,
    ) -> None:
        if grad_accum < 1:
            raise ValueError(f"grad_accum must be at least 1, got {grad_accum}")
        self.config = config
        self.layout = ParamLayout(config)
        if params.shape != (self.layout.n_params,) or params.dtype != np.float32:
            raise ValueError(
                f"params must be float32 of shape ({self.layout.n_params},), "
                f"got {params.dtype} {params.shape}"
            )
        self.params = params
        self.settings = settings or AdamWSettings()
        self.grad_accum = grad_accum
        self.model = Transformer(config)
        self.optimizer = AdamW(self.layout.n_params, self.layout.decay_mask(), self.settings, state)
        self._param_views = self.layout.views(params)
        self._grads = self.layout.new_buffer()
        self._grad_views = self.layout.views(self._grads)
        self._micro = self.layout.new_buffer() if grad_accum > 1 else None
        self._micro_views = self.layout.views(self._micro) if self._micro is not None else None

    def step(self, x: np.ndarray, y: np.ndarray, lr: float) -> tuple[float, float]:
        """One optimizer step on the batch; returns (mean loss, gradient norm before clipping)."""
        ranges = split_rows(x.shape[0], self.grad_accum)
        if len(ranges) == 1:
            loss = self.model.loss_and_grads(self._param_views, x, y, self._grad_views)
        else:
            loss = 0.0
            total = x.shape[0]
            for i, (a, b) in enumerate(ranges):
                weight = (b - a) / total  # all rows have T tokens: token weight = row weight
                part = self.model.loss_and_grads(self._param_views, x[a:b], y[a:b], self._micro_views)
                loss += weight * part
                if i == 0:
                    np.multiply(self._micro, np.float32(weight), out=self._grads)
                else:
                    self._micro *= np.float32(weight)
                    self._grads += self._micro
        norm = clip_grad_norm(self._grads, self.settings.clip)
        self.optimizer.step(self.params, self._grads, lr)
        return float(loss), norm

    def optimizer_state(self) -> OptimizerState:
        return self.optimizer.state

    def close(self) -> None:
        """Nothing to free in-process; present for the protocol."""
