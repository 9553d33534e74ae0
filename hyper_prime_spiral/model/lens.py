"""The lens: what the model saw and weighed for each generated token, as plain data.

The generator fills a `LensStep` per token only when asked (lens off costs nothing): the
sampler's full distribution, the model's own probability of the token (temperature 1, no
top-k/top-p) and, per layer and head, the attention row of the position that predicted the
token. `describe_step` turns it into a `TokenInsight` for display: the top candidates with
their text, small enough to send from the generation process to the UI for every token.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

TOP_CANDIDATES = 5
NEWLINE_SHOWN = "↵"
TOOL_TAGS = (("call", "<calc>", "</calc>"), ("result", "<result>", "</result>"))


class Decoder(Protocol):
    """What the lens needs of a tokenizer."""

    def decode(self, ids: Sequence[int]) -> str: ...


@dataclass
class LensStep:
    """One sampling step seen from inside (ids and arrays only, no text)."""

    token_id: int
    distribution: np.ndarray  # (V,) float64: the sampler's distribution (temperature, top-k, top-p)
    model_probability: float  # softmax of the logits at temperature 1, before top-k/top-p
    attention: np.ndarray  # (layers, heads, n) float32: rows of the predicting position
    context_ids: np.ndarray  # (n,) int32: the tokens those rows refer to, oldest first


@dataclass(frozen=True)
class Candidate:
    token_id: int
    text: str
    probability: float  # in the sampler's distribution


@dataclass
class TokenInsight:
    """What the lens shows for one generated token (picklable; sent by the generation process)."""

    token_id: int
    text: str  # the token's piece of the reply text
    probability: float  # the sampler's probability of the token
    model_probability: float  # the model's probability at temperature 1
    candidates: tuple[Candidate, ...]  # the sampler's most probable tokens, most probable first
    attention: np.ndarray  # (layers, heads, n)
    context_ids: np.ndarray  # (n,)
    inserted: bool = False  # text the tool engine put in (a <result>), not sampled

    @property
    def sampled_rank(self) -> int | None:
        """0-based rank of the sampled token among the candidates (None: not among them)."""
        for rank, candidate in enumerate(self.candidates):
            if candidate.token_id == self.token_id:
                return rank
        return None


def lens_step(
    token: int,
    logits: np.ndarray,
    distribution: np.ndarray,
    attention_rows: list[np.ndarray],
    context_ids: Sequence[int],
) -> LensStep:
    """Collect a step from the sampler's arrays (attention rows: one (H, n) array per layer)."""
    z = np.asarray(logits, dtype=np.float64).reshape(-1)
    z = z - z.max()
    weights = np.exp(z)
    return LensStep(
        token_id=int(token),
        distribution=distribution,
        model_probability=float(weights[token] / weights.sum()),
        attention=np.stack(attention_rows).astype(np.float32, copy=False),
        context_ids=np.asarray(context_ids, dtype=np.int32),
    )


def top_candidates(distribution: np.ndarray, k: int = TOP_CANDIDATES) -> list[tuple[int, float]]:
    """(token id, probability) of the k most probable tokens with probability > 0, highest first."""
    k = min(k, distribution.shape[0])
    best = np.argpartition(-distribution, k - 1)[:k]
    best = best[np.argsort(-distribution[best], kind="stable")]
    return [(int(i), float(distribution[i])) for i in best if distribution[i] > 0]


def describe_step(
    step: LensStep, tokenizer: Decoder, text: str, pieces: dict[int, str] | None = None
) -> TokenInsight:
    """The display record of a step; `text` is the token's piece of the reply.

    `pieces` caches each candidate's decoded text across the steps of one reply.
    """
    pieces = {} if pieces is None else pieces
    candidates = []
    for token_id, p in top_candidates(step.distribution):
        piece = pieces.get(token_id)
        if piece is None:
            piece = pieces[token_id] = tokenizer.decode([token_id])
        candidates.append(Candidate(token_id, piece, p))
    return TokenInsight(
        token_id=step.token_id,
        text=text,
        probability=float(step.distribution[step.token_id]),
        model_probability=step.model_probability,
        candidates=tuple(candidates),
        attention=step.attention,
        context_ids=step.context_ids,
    )


def inserted_text(text: str, ids: Sequence[int]) -> TokenInsight:
    """The record of tokens the generator did not sample (a tool result fed back into the context)."""
    return TokenInsight(
        token_id=int(ids[0]) if len(ids) else -1,
        text=text,
        probability=float("nan"),
        model_probability=float("nan"),
        candidates=(),
        attention=np.zeros((0, 0, 0), np.float32),
        context_ids=np.zeros(0, np.int32),
        inserted=True,
    )


def token_pieces(tokenizer: Decoder, ids: Sequence[int]) -> list[str]:
    """Each token's own text (a newline shown as ↵), for labelling context positions."""
    return [tokenizer.decode([int(i)]).replace("\n", NEWLINE_SHOWN) or " " for i in ids]


def context_pieces(tokenizer: Decoder, ids: Sequence[int]) -> list[str]:
    """Each context token's text as it reads in the running text (a word tokenizer's spaces
    included), decoded after its predecessor; a line break shows as ↵ and still breaks the line."""
    pieces: list[str] = []
    previous: list[int] = []
    for token in (int(i) for i in ids):
        pair = tokenizer.decode([*previous, token])
        piece = pair[len(tokenizer.decode(previous)) :] if previous else pair
        pieces.append(piece.replace("\n", NEWLINE_SHOWN + "\n") or " ")
        previous = [token]
    return pieces


def tool_marks(pieces: Sequence[str]) -> list[str | None]:
    """Per piece: "call" inside <calc>...</calc>, "result" inside <result>...</result>, else None.

    The tags themselves count as part of their span, so a tool call is marked whole.
    """
    text = "".join(pieces)
    owner: list[str | None] = [None] * len(text)
    for kind, opening, closing in TOOL_TAGS:
        start = text.find(opening)
        while start != -1:
            end = text.find(closing, start + len(opening))
            stop = len(text) if end == -1 else end + len(closing)
            owner[start:stop] = [kind] * (stop - start)
            start = text.find(opening, stop)
    marks: list[str | None] = []
    offset = 0
    for piece in pieces:
        span = owner[offset : offset + len(piece)]
        marks.append(next((kind for kind in span if kind is not None), None))
        offset += len(piece)
    return marks


def align_to_reply(insights: Sequence[Any], reply: str) -> list[tuple[int, str]]:
    """(insight index, text shown) for the tokens that make up `reply` (the cleaned reply).

    The reply is the generated text with leading space removed and cut at the end of the
    turn; token pieces are matched in order, the first trimmed and the last clipped to fit.
    Tokens after the reply's end (a role line the model began) are left out.
    """
    shown: list[tuple[int, str]] = []
    position = 0
    started = False
    for index, insight in enumerate(insights):
        piece = insight.text
        if not started:
            piece = piece.lstrip()
            if not piece:
                continue
            started = True
        left = len(reply) - position
        if left <= 0:
            break
        piece = piece[:left]
        shown.append((index, piece))
        position += len(piece)
    return shown


def strongest_head(attention: np.ndarray) -> tuple[int, int]:
    """(layer, head) of the last layer's most focused head (highest single weight): shown first."""
    if attention.size == 0:
        return 0, 0
    layer = attention.shape[0] - 1
    return layer, int(np.argmax(attention[layer].max(axis=-1)))
