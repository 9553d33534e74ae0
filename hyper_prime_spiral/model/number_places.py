"""Number places: each digit token's place inside its number, and the digit before it.

A small model copies a long number badly from position embeddings alone: in "1000000007" every
zero looks alike, so it loses count ("100000004"). Giving each digit its place in the number
(1 for the first digit, 2 for the second, ...) as a learned embedding added to the input, as the
"Abacus" embeddings of McLeish et al. (2024) do for arithmetic, lets attention match "the digit
at place k+1 of the number I am copying" directly. The token right after a number gets the next
place too, so copying also learns where the number ends. Every other token has place 0.

Place alone picks the wrong number when several are in view (copying "600851475143 = 71 x ..."
out of a result, a model with places only took place 3 of the last factor): each token also
gets an embedding of the digit just before it (10 for "not a digit"), so a key says "I am the
digit at place k+1 after a 0" and the copy attends to the number it is actually copying.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hyper_prime_spiral.model.tokenizer import Tokenizer

DIGITS = "0123456789"
#: Places of a new model: numbers up to 10^18 (19 digits) and the token after them fit.
DEFAULT_PLACES = 24
#: Rows of the previous-digit embedding: the digits 0-9, then "the token before is no digit".
NOT_A_DIGIT = 10


def digit_token_ids(tokenizer: Tokenizer) -> tuple[int, ...]:
    """Ids of the tokens "0" to "9" in that order; () unless all ten are single tokens and a
    number is spelled digit by digit (a word vocabulary keeps "1009" whole: nothing to count)."""
    if len(tokenizer.encode("12")) != 2:
        return ()
    found = []
    for digit in DIGITS:
        ids = [int(i) for i in tokenizer.encode(digit)]
        if len(ids) != 1 or tokenizer.decode(ids) != digit:
            return ()
        found.append(ids[0])
    return tuple(found) if len(set(found)) == len(DIGITS) else ()


def digit_values(digit_tokens: Sequence[int], vocab_size: int) -> np.ndarray:
    """Lookup table over the vocabulary: the digit a token stands for, NOT_A_DIGIT for the rest."""
    values = np.full(vocab_size, NOT_A_DIGIT, dtype=np.int64)
    values[list(digit_tokens)] = np.arange(len(digit_tokens))
    return values


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


def previous_digits(ids: np.ndarray, values: np.ndarray, before: int | None = None) -> np.ndarray:
    """The digit just before each token of `ids` ([..., T]) along its last axis (NOT_A_DIGIT if
    none); `before` is the token preceding ids[..., 0], if known."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.full(ids.shape, NOT_A_DIGIT, dtype=np.int64)
    out[..., 1:] = values[ids[..., :-1]]
    if before is not None:
        out[..., 0] = values[before]
    return out


def next_places(previous: Sequence[int], ids: np.ndarray, is_digit: np.ndarray, places: int) -> np.ndarray:
    """Places of `ids` appended after the tokens `previous` (what a KV cache has seen)."""
    tail = np.asarray(list(previous[-places:]), dtype=np.int64)
    joined = np.concatenate([tail, np.asarray(ids, dtype=np.int64).reshape(-1)])
    return number_places(joined, is_digit, places)[tail.shape[0] :]
