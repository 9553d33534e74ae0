"""Number places: each digit token's place inside its number, for the model's place embedding.

A small model copies a long number badly from position embeddings alone: in "1000000007" every
zero looks alike, so it loses count ("100000004"). Giving each digit its place in the number
(1 for the first digit, 2 for the second, ...) as a learned embedding added to the input, as the
"Abacus" embeddings of McLeish et al. (2024) do for arithmetic, lets attention match "the digit
at place k+1 of the number I am copying" directly. The token right after a number gets the next
place too, so copying also learns where the number ends. Every other token has place 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hyper_prime_spiral.model.tokenizer import Tokenizer

DIGITS = "0123456789"
#: Places of a new model: numbers up to 10^18 (19 digits) and the token after them fit.
DEFAULT_PLACES = 24


def digit_token_ids(tokenizer: Tokenizer) -> tuple[int, ...]:
    """Ids of the tokens that are exactly one decimal digit (none for a vocabulary without them)."""
    found = []
    for digit in DIGITS:
        ids = [int(i) for i in tokenizer.encode(digit)]
        if len(ids) == 1 and tokenizer.decode(ids) == digit:
            found.append(ids[0])
    return tuple(sorted(set(found)))


def digit_mask(digit_tokens: Sequence[int], vocab_size: int) -> np.ndarray:
    """Boolean lookup table over the vocabulary: True for digit tokens."""
    mask = np.zeros(vocab_size, dtype=bool)
    mask[list(digit_tokens)] = True
    return mask


def number_places(ids: np.ndarray, is_digit: np.ndarray, places: int) -> np.ndarray:
    """Place of every token of `ids` ([..., T]) along its last axis, clipped to `places` - 1.

    A digit's place counts the digits of its number up to and including it; the token after a
    number gets one more; everything else 0. A number cut by the start of `ids` counts from there.
    """
    digit = is_digit[ids]
    count = np.cumsum(digit, axis=-1, dtype=np.int64)
    # digits seen up to the last non-digit: subtracting it restarts the count at each number
    at_break = np.maximum.accumulate(np.where(digit, 0, count), axis=-1)
    run = count - at_break  # digits of the number ending here (0 on a non-digit)
    after = np.zeros_like(run)
    after[..., 1:] = np.where(run[..., :-1] > 0, run[..., :-1] + 1, 0)
    place = np.where(digit, run, after)
    return np.minimum(place, places - 1)


def next_places(previous: Sequence[int], ids: np.ndarray, is_digit: np.ndarray, places: int) -> np.ndarray:
    """Places of `ids` appended after the tokens `previous` (what a KV cache has seen)."""
    tail = np.asarray(list(previous[-places:]), dtype=np.int64)
    joined = np.concatenate([tail, np.asarray(ids, dtype=np.int64).reshape(-1)])
    return number_places(joined, is_digit, places)[tail.shape[0] :]
