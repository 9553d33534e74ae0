"""The in-process gradient engine: `training.gradient_engine.GradientEngine` in this process.

`training.pool_engine.PoolEngine` is the same contract on worker processes over shared memory.
"""

from __future__ import annotations

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.optim import AdamW, AdamWSettings, clip_grad_norm
from hyper_prime_spiral.training.gradient_model import TransformerGradients
from hyper_prime_spiral.training.gradient_sums import WeightedGradients


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
        model = TransformerGradients(config)
        self.layout = model.layout
        if params.shape != (self.layout.n_params,) or params.dtype != np.float32:
            raise ValueError(
                f"params must be float32 of shape ({self.layout.n_params},), "
                f"got {params.dtype} {params.shape}"
            )
        self.params = params
        self.settings = settings or AdamWSettings()
        self.grad_accum = grad_accum
        self.optimizer = AdamW(self.layout.n_params, self.layout.decay_mask(), self.settings, state)
        self._param_views = self.layout.views(params)
        self._grads = WeightedGradients(model, self.layout.new_buffer())

    def step(self, x: np.ndarray, y: np.ndarray, lr: float) -> tuple[float, float]:
        """One optimizer step on the batch; returns (mean loss, gradient norm before clipping)."""
        loss = self._grads.compute(self._param_views, x, y, self.grad_accum, y.size)
        norm = clip_grad_norm(self._grads.out, self.settings.clip)
        self.optimizer.step(self.params, self._grads.out, lr)
        return float(loss), norm

    def optimizer_state(self) -> OptimizerState:
        """A private copy of the AdamW moments and step count (as PoolEngine gives)."""
        s = self.optimizer.state
        return OptimizerState(s.m.copy(), s.v.copy(), s.step)

    def close(self) -> None:
        """Nothing to free in-process; present for the protocol."""
