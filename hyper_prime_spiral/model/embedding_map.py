"""A 2-D map of a model's token embeddings: PCA by SVD, cosine neighbours, word lookup.

Why PCA: it is exact, deterministic and needs only numpy; the two axes of largest variance
are enough to see groups (digits, number words, punctuation) form as a model trains.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hyper_prime_spiral.model.bundle import model_parts
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.threads import one_blas_thread

NEIGHBOURS = 8


@dataclass(frozen=True)
class EmbeddingMap:
    labels: tuple[str, ...]  # one per token id
    points: np.ndarray  # (V, 2) float64: the first two principal components
    explained: tuple[float, float]  # share of the total variance along each axis
    unit_vectors: np.ndarray  # (V, d) float32 embedding rows scaled to length 1 (cosine similarity)

    def neighbours(self, index: int, k: int = NEIGHBOURS) -> list[tuple[int, float]]:
        """The k other tokens most similar to `index` by cosine similarity, most similar first."""
        return nearest_by_cosine(self.unit_vectors, index, k)

    def find(self, word: str) -> list[int]:
        """Token ids whose label is `word` (case-insensitive); else those starting with it."""
        wanted = word.strip().lower()
        if not wanted:
            return []
        lowered = [label.lower() for label in self.labels]
        exact = [i for i, label in enumerate(lowered) if label.strip() == wanted]
        return exact or [i for i, label in enumerate(lowered) if label.strip().startswith(wanted)]


def principal_components(matrix: np.ndarray, count: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """(coordinates (n, count), share of variance per component) of the centred rows.

    Signs are fixed so each component's largest coordinate is positive (SVD leaves them free).
    """
    centred = np.asarray(matrix, dtype=np.float64)
    centred = centred - centred.mean(axis=0)
    with one_blas_thread():  # multi-threaded OpenBLAS collapses when the other core is busy (20x here)
        u, s, _ = np.linalg.svd(centred, full_matrices=False)
    coords = u[:, :count] * s[:count]
    for c in range(coords.shape[1]):
        if coords[np.argmax(np.abs(coords[:, c])), c] < 0:
            coords[:, c] = -coords[:, c]
    total = float(np.sum(s**2))
    shares = s[:count] ** 2 / total if total > 0 else np.zeros(min(count, s.shape[0]))
    return coords, shares


def nearest_by_cosine(unit_vectors: np.ndarray, index: int, k: int = NEIGHBOURS) -> list[tuple[int, float]]:
    similarity = unit_vectors @ unit_vectors[index]
    similarity[index] = -np.inf
    k = min(k, similarity.shape[0] - 1)
    if k <= 0:
        return []
    best = np.argpartition(-similarity, k - 1)[:k]
    best = best[np.argsort(-similarity[best], kind="stable")]
    return [(int(i), float(similarity[i])) for i in best]


def embedding_map(model: Any) -> EmbeddingMap:
    """The map of a ModelBundle's (or (config, tokenizer, params)'s) token embedding matrix."""
    config, tokenizer, flat = model_parts(model)
    embed = ParamLayout(config).views(np.asarray(flat, dtype=np.float32))["embed.token"]
    return map_of(embed, _labels(tokenizer, config.vocab_size))


def map_of(embed: np.ndarray, labels: Sequence[str]) -> EmbeddingMap:
    if embed.shape[0] != len(labels):
        raise ValueError(f"{embed.shape[0]} embedding rows but {len(labels)} labels")
    points, shares = principal_components(embed)
    norms = np.linalg.norm(embed, axis=1, keepdims=True)
    unit = (embed / np.maximum(norms, 1e-12)).astype(np.float32)
    explained = (float(shares[0]), float(shares[1]) if shares.shape[0] > 1 else 0.0)
    return EmbeddingMap(tuple(labels), points, explained, unit)


_SHOWN = {"\n": "↵", " ": "␣", "\t": "⇥"}


def _labels(tokenizer: Any, vocab_size: int) -> list[str]:
    """Each token's text as a label (whitespace tokens get a visible sign)."""
    tokens = getattr(tokenizer, "tokens", None)
    if tokens is None or len(tokens) != vocab_size:
        tokens = [tokenizer.decode([i]) for i in range(vocab_size)]
    labels = [_SHOWN.get(str(t), str(t).replace("\n", "↵")) for t in tokens]
    return [label or f"#{i}" for i, label in enumerate(labels)]  # e.g. a special token decodes to ""


NUMBER_WORDS = frozenset(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
    "hundred thousand million billion".split()
)


def token_group(label: str) -> str:
    """ "digits", "number word" or "other": the groups the map colours (and a trained model clusters)."""
    text = label.strip().lower()
    if text.isdigit():
        return "digits"
    if text in NUMBER_WORDS:
        return "number word"
    return "other"
