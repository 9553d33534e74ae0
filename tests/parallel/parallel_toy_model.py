"""A tiny stand-in model for the pool tests: softmax regression from the current token.

Importable by name from spawned workers (pytest puts this folder on sys.path, and spawn
passes the parent's sys.path to its children). `broken`, `fragile` and `dying` fail on
purpose in a worker.
"""

from __future__ import annotations

import os

import numpy as np


class SoftmaxRegression:
    """logits[b, t] = W[x[b, t]] + bias; mean cross-entropy over all targets."""

    def __init__(self, vocab: int) -> None:
        self.vocab = vocab
        self.n_params = vocab * vocab + vocab

    def views(self, flat: np.ndarray) -> dict[str, np.ndarray]:
        v = self.vocab
        return {"W": flat[: v * v].reshape(v, v), "bias": flat[v * v :]}

    def decay_mask(self) -> np.ndarray:
        mask = np.zeros(self.n_params, np.float32)
        mask[: self.vocab * self.vocab] = 1
        return mask

    def loss_and_grads(self, params, x, y, grads) -> float:
        xs, ys = x.reshape(-1), y.reshape(-1)
        logits = params["W"][xs] + params["bias"]
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        loss = float(-np.mean(np.log(probs[np.arange(xs.size), ys])))
        dlogits = probs
        dlogits[np.arange(xs.size), ys] -= 1
        dlogits /= xs.size
        grads["W"][...] = 0
        np.add.at(grads["W"], xs, dlogits)
        grads["bias"][...] = dlogits.sum(axis=0)
        return loss


def make(vocab: int) -> SoftmaxRegression:
    return SoftmaxRegression(vocab)


def broken(vocab: int) -> SoftmaxRegression:
    raise RuntimeError("this stand-in model refuses to be built")


class FragileRegression(SoftmaxRegression):
    """Fails on a shard whose tokens are all 0, to test a failure in the middle of a step."""

    def loss_and_grads(self, params, x, y, grads) -> float:
        if (x == 0).all():
            raise ValueError("poisoned shard")
        return super().loss_and_grads(params, x, y, grads)


def fragile(vocab: int) -> FragileRegression:
    return FragileRegression(vocab)


class DyingRegression(SoftmaxRegression):
    """Its process dies on a shard whose tokens are all 0: a crash in the middle of a step."""

    def loss_and_grads(self, params, x, y, grads) -> float:
        if (x == 0).all():
            os._exit(3)
        return super().loss_and_grads(params, x, y, grads)


def dying(vocab: int) -> DyingRegression:
    return DyingRegression(vocab)
