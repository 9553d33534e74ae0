"""AdamW on flat buffers, global-norm clipping and the warmup + cosine learning-rate schedule.

Everything works in place on (slices of) flat arrays aligned with the parameter layout, so
a worker process can update just its own slice of shared memory.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from hyper_prime_spiral.model.bundle import OptimizerState

ADAMW_CHUNK = 32768  # elements per pass: four float32 arrays of this size stay in L2


@dataclass(frozen=True)
class AdamWSettings:
    """Optimizer hyper-parameters (nanoGPT's small-model recipe by default)."""

    beta1: float = 0.9
    beta2: float = 0.99
    eps: float = 1e-8
    weight_decay: float = 0.1
    clip: float = 1.0  # global gradient-norm limit; 0 or less disables clipping

    def __post_init__(self) -> None:
        if not (0.0 <= self.beta1 < 1.0 and 0.0 <= self.beta2 < 1.0):
            raise ValueError(f"betas must be in [0, 1), got ({self.beta1}, {self.beta2})")
        if self.eps <= 0 or self.weight_decay < 0:
            raise ValueError("eps must be positive and weight_decay non-negative")

    def update_kwargs(self) -> dict[str, float]:
        """The keyword arguments of `adamw_update` that these settings fix."""
        return {"beta1": self.beta1, "beta2": self.beta2, "eps": self.eps, "weight_decay": self.weight_decay}


@dataclass(frozen=True)
class DecayRuns:
    """The stretches [start, stop) of a flat buffer that weight decay applies to, in order.

    Why runs and not a 0/1 mask: parameters are laid out tensor by tensor, so decay covers a
    few long stretches (the matrices), and scaling those in place is one pass over the decayed
    values, where a mask costs three over everything (factor from the mask, plus one, times p).
    """

    runs: tuple[tuple[int, int], ...]

    @classmethod
    def from_mask(cls, mask: np.ndarray) -> DecayRuns:
        """Runs of the non-zero entries of a mask (1 where decay applies, 0 elsewhere)."""
        on = np.concatenate(([False], np.asarray(mask) != 0, [False]))
        edges = np.flatnonzero(on[1:] != on[:-1]).tolist()
        return cls(tuple(zip(edges[::2], edges[1::2], strict=True)))

    def within(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The parts of the runs inside [lo, hi), relative to lo."""
        return [(max(a, lo) - lo, min(b, hi) - lo) for a, b in self.runs if a < hi and b > lo]


def adamw_update(
    params: np.ndarray,
    grads: np.ndarray,
    m: np.ndarray,
    v: np.ndarray,
    decay_mask: np.ndarray | DecayRuns,
    *,
    lr: float,
    step: int,
    beta1: float = 0.9,
    beta2: float = 0.99,
    eps: float = 1e-8,
    weight_decay: float = 0.1,
    scratch: np.ndarray | None = None,
    grad_scale: float = 1.0,
) -> None:
    """One AdamW step in place (PyTorch's formula). `step` counts from 1 (bias correction).

    p *= 1 - lr * weight_decay  where decay applies (decoupled decay), then
    p -= lr / (1 - beta1^t) * m / (sqrt(v / (1 - beta2^t)) + eps).
    `grad_scale` (the clip factor) first multiplies `grads` in place. Works through the arrays
    in L2-sized chunks (measured 1.6x faster than whole-array passes: the update is
    memory-bound). `scratch` (like params) avoids allocating in the hot loop; pass `DecayRuns`
    made once rather than a mask to skip converting it every step.
    """
    if step < 1:
        raise ValueError(f"step counts from 1, got {step}")
    f = params.dtype.type
    if scratch is None:
        scratch = np.empty_like(params)
    runs = decay_mask if isinstance(decay_mask, DecayRuns) else DecayRuns.from_mask(decay_mask)
    sqrt_bias2 = math.sqrt(1.0 - beta2**step)
    # m / (sqrt(v) / sqrt_bias2 + eps) == sqrt_bias2 * m / (sqrt(v) + eps * sqrt_bias2)
    step_size = f(lr / (1.0 - beta1**step) * sqrt_bias2)
    eps_scaled = f(eps * sqrt_bias2)
    b1, b2, keep = f(beta1), f(beta2), f(1.0 - lr * weight_decay)
    for lo in range(0, params.shape[0], ADAMW_CHUNK):
        hi = min(lo + ADAMW_CHUNK, params.shape[0])
        p, g, mc, vc, s = params[lo:hi], grads[lo:hi], m[lo:hi], v[lo:hi], scratch[lo:hi]
        if grad_scale != 1.0:
            g *= f(grad_scale)
        if weight_decay:
            for a, b in runs.within(lo, hi):
                p[a:b] *= keep
        mc -= g  # m = beta1 m + (1 - beta1) g = beta1 (m - g) + g
        mc *= b1
        mc += g
        np.multiply(g, g, out=s)  # v = beta2 (v - g^2) + g^2
        vc -= s
        vc *= b2
        vc += s
        np.sqrt(vc, out=s)
        s += eps_scaled
        np.divide(mc, s, out=s)
        s *= step_size
        p -= s


def clip_scale(norm: float, max_norm: float) -> float:
    """The factor that brings a gradient of L2 norm `norm` down to max_norm (1.0: no clipping)."""
    if max_norm > 0 and norm > max_norm:
        return max_norm / (norm + 1e-6)
    return 1.0


def clip_grad_norm(flat: np.ndarray, max_norm: float) -> float:
    """Scale `flat` in place so its L2 norm is at most max_norm; returns the norm before clipping."""
    norm = math.sqrt(float(np.dot(flat, flat)))
    scale = clip_scale(norm, max_norm)
    if scale != 1.0:
        flat *= flat.dtype.type(scale)
    return norm


def lr_at(step: int, max_lr: float, min_lr: float, warmup: int, total: int) -> float:
    """Learning rate for 0-based `step`: linear warmup to max_lr, then cosine decay to min_lr.

    nanoGPT's schedule: warmup gives max_lr * (step + 1) / (warmup + 1); after `total`
    steps the rate stays at min_lr.
    """
    if step < warmup:
        return max_lr * (step + 1) / (warmup + 1)
    if step >= total or total <= warmup:
        return min_lr
    ratio = (step - warmup) / (total - warmup)
    return min_lr + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (max_lr - min_lr)


class AdamW:
    """AdamW state (moments and step count) for one flat parameter buffer."""

    def __init__(
        self,
        n_params: int,
        decay_mask: np.ndarray,
        settings: AdamWSettings | None = None,
        state: OptimizerState | None = None,
        dtype: np.dtype | type = np.float32,
    ) -> None:
        self.settings = settings or AdamWSettings()
        self.decay = DecayRuns.from_mask(decay_mask)
        if state is None:
            state = OptimizerState(np.zeros(n_params, dtype), np.zeros(n_params, dtype), 0)
        elif state.m.shape != (n_params,) or state.v.shape != (n_params,):
            raise ValueError(
                f"optimizer state has {state.m.shape[0]} moments, the model has {n_params} parameters"
            )
        self.state = state
        self._scratch = np.empty(n_params, dtype)

    def step(self, params: np.ndarray, grads: np.ndarray, lr: float) -> None:
        """Advance the step count and update `params` in place."""
        self.state.step += 1
        adamw_update(
            params,
            grads,
            self.state.m,
            self.state.v,
            self.decay,
            lr=lr,
            step=self.state.step,
            scratch=self._scratch,
            **self.settings.update_kwargs(),
        )
