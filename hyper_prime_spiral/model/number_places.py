"""Number places: each digit token's place inside its number, the digit before it, its number's order.

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

Place and previous digit still match several numbers that begin alike (in "... 283 x 3851"
both have an 8 at place 2, and a copy of 3851 went on with the 3 of 283). A third embedding
tells each token which number of its stretch it belongs to (its "order", row k-1 for the k-th
number since the last line break or tool tag; the token right after a number keeps it, as it
gets the number's next place), and a token further on which number would come next: an answer
restating "N = a x b" from the engine's result copies its k-th number from the result's k-th
number, where its number starts and where it ends, by matching equal rows. Measured on
10-minute models: with the count so far on every token between numbers, a first digit had to
match the next row and first digits were miscopied; with the next order on the token right
after a number too, a number's end was ("ring 3," became "ring 37").

A power sign between digits joins a base and its exponent into one number ("3^2": places 1, 2,
3, one order): the exponent's first digit then follows the "^" like any next digit, where as a
number of its own it had to be found from the "^" one order ahead and was copied from the base
instead ("3^2" became "3^3").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from hyper_prime_spiral.model.tokenizer import Tokenizer

DIGITS = "0123456789"
#: Places of a new model: numbers up to 10^18 (19 digits) and the token after them fit.
DEFAULT_PLACES = 24
#: Rows of the previous-digit embedding: the digits 0-9, then "the token before is no digit".
NOT_A_DIGIT = 10
#: Rows of the number-order embedding of a new model: the first 15 numbers of a stretch, then the rest.
DEFAULT_ORDERS = 16
#: A token whose text holds one of these starts a new stretch (the numbers count from 1 again):
#: a new line starts a turn, ">" ends a tool tag (a call, a result and the answer are stretches).
BREAK_TEXT = ("\n", ">")
#: The text of a power sign token: between digits it joins a base and its exponent.
POWER_TEXT = "^"


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


def break_token_ids(tokenizer: Tokenizer) -> tuple[int, ...]:
    """Ids of the tokens after which the numbers of a stretch count from 1 again (BREAK_TEXT)."""
    return tuple(
        i for i in range(tokenizer.vocab_size) if any(text in tokenizer.decode([i]) for text in BREAK_TEXT)
    )


def power_token_ids(tokenizer: Tokenizer) -> tuple[int, ...]:
    """Ids of the tokens that are a power sign alone (POWER_TEXT)."""
    return tuple(i for i in range(tokenizer.vocab_size) if tokenizer.decode([i]) == POWER_TEXT)


def digit_values(digit_tokens: Sequence[int], vocab_size: int) -> np.ndarray:
    """Lookup table over the vocabulary: the digit a token stands for, NOT_A_DIGIT for the rest."""
    values = np.full(vocab_size, NOT_A_DIGIT, dtype=np.int64)
    values[list(digit_tokens)] = np.arange(len(digit_tokens))
    return values


def in_numbers(ids: np.ndarray, is_digit: np.ndarray, is_power: np.ndarray | None = None) -> np.ndarray:
    """Which tokens of `ids` are part of a number: the digits, and a power sign right after one."""
    part = is_digit[ids]
    if is_power is not None:
        part[..., 1:] |= is_power[ids[..., 1:]] & part[..., :-1]
    return part


def number_places(part: np.ndarray, places: int) -> np.ndarray:
    """Place of every token ([..., T], `part` = `in_numbers` of the ids) along the last axis,
    clipped to `places` - 1.

    A digit's place counts the tokens of its number up to and including it (a power sign joins
    the exponent to the base); the token after a number gets one more; everything else 0. A
    number cut by the start of the ids counts from there.
    """
    count = np.cumsum(part, axis=-1, dtype=np.int64)
    # digits seen up to the last non-digit: subtracting it restarts the count at each number
    at_break = np.maximum.accumulate(np.where(part, 0, count), axis=-1)
    run = count - at_break  # digits of the number ending here (0 on a non-digit)
    after = np.zeros_like(run)
    after[..., 1:] = np.where(run[..., :-1] > 0, run[..., :-1] + 1, 0)
    place = np.where(part, run, after)
    return np.minimum(place, places - 1)


def previous_digits(ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The digit just before each token of `ids` ([..., T]) along its last axis (NOT_A_DIGIT if none)."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.full(ids.shape, NOT_A_DIGIT, dtype=np.int64)
    out[..., 1:] = values[ids[..., :-1]]
    return out


def number_orders(part: np.ndarray, breaks: np.ndarray, orders: int) -> np.ndarray:
    """The order of every token ([..., T], `part` = `in_numbers` of the ids, `breaks` = which
    are break tokens) along the last axis, clipped to `orders` - 1: a digit of the k-th number
    since the last break token, and the token right after that number, have k - 1; any other
    token the order of the number that would start after it (the numbers so far); a break
    token has 0."""
    starts = part.copy()
    starts[..., 1:] &= ~part[..., :-1]
    count = np.cumsum(starts, axis=-1, dtype=np.int64)
    at_break = np.maximum.accumulate(np.where(breaks, count, 0), axis=-1)
    in_or_after = part.copy()
    in_or_after[..., 1:] |= part[..., :-1]
    return np.clip(count - at_break - in_or_after, 0, orders - 1)


@dataclass(frozen=True)
class NumberFeatures:
    """Rows of the number embeddings of each token: place, previous digit and order (or None).

    Every feature depends only on the tokens before it in the window, so the features of tokens
    appended to a KV cache are those of the whole window, cut to the new part.
    """

    places: np.ndarray
    previous: np.ndarray
    orders: np.ndarray | None


class NumberReader:
    """Reads the number features of token ids for one model config (tables built once)."""

    def __init__(
        self,
        digit_tokens: Sequence[int],
        break_tokens: Sequence[int],
        vocab_size: int,
        *,
        places: int,
        orders: int,
        power_tokens: Sequence[int] = (),
    ) -> None:
        self.values = digit_values(digit_tokens, vocab_size)
        self.is_digit = self.values != NOT_A_DIGIT
        self.is_break = np.zeros(vocab_size, dtype=bool)
        self.is_break[list(break_tokens)] = True
        self.is_power = np.zeros(vocab_size, dtype=bool)
        self.is_power[list(power_tokens)] = True
        self.places, self.orders = places, orders

    def features(self, ids: np.ndarray) -> NumberFeatures:
        ids = np.asarray(ids, dtype=np.int64)
        part = in_numbers(ids, self.is_digit, self.is_power)
        orders = number_orders(part, self.is_break[ids], self.orders) if self.orders else None
        return NumberFeatures(number_places(part, self.places), previous_digits(ids, self.values), orders)

    def appended(self, previous: Sequence[int], ids: np.ndarray) -> NumberFeatures:
        """Features of `ids` appended after the tokens `previous` (what a KV cache has seen)."""
        new = np.asarray(ids, dtype=np.int64).reshape(-1)
        whole = self.features(np.concatenate([np.asarray(list(previous), dtype=np.int64), new]))
        cut = slice(whole.places.shape[0] - new.shape[0], None)
        orders = None if whole.orders is None else whole.orders[cut]
        return NumberFeatures(whole.places[cut], whole.previous[cut], orders)
