"""The number guard: a prime-engine call and the answer after its result copy numbers, never invent them.

A small model restating `<result>5040 = 2^4 x 3^2 x 5 x 7</result>` now and then drops or
changes a digit ("3^4"; the built-in model copied 95 of 100 long factor lists exactly), and
now and then runs on when copying the question's number into a call (`factor 50401` for
"factorise 5040"). Inside a call, and anywhere in a reply once it holds a result, every number
the model writes that is long enough to matter (PROTECTED_DIGITS digits or more, or a power)
must be one of the numbers of the conversation so far (the prompt and the results; every call
of the 12,000-conversation corpus takes its number from the question): the next token is masked
where it would leave no known number starting with the digits written, or end a number that is
not a whole known one. Short numbers ("ring 3, position 37", "differ by 2") stay free. This is
constrained decoding, a mask over the model's own choices: it picks which known number and
where; the guard only keeps the digits true. It needs digits as single tokens (BPE, char); a
word tokenizer's model is left alone.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable

import numpy as np

from hyper_prime_spiral.model.chat_format import CALL_CLOSE, CALL_OPEN, RESULT_OPEN, open_ai_turn
from hyper_prime_spiral.model.number_places import digit_token_ids, power_token_ids
from hyper_prime_spiral.model.tokenizer import Tokenizer

PROTECTED_DIGITS = 3  # a number of this many digits (or a power) must be copied from the conversation
POWER = "^"
WRITTEN_TAIL = 200  # characters searched for the number being written (the engine's are far shorter)
_NUMBER = re.compile(r"\d+(?:\^\d+)?")
_TRAILING = re.compile(r"\d+(?:\^\d*)?$")
_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")


def numbers_in(texts: Iterable[str]) -> frozenset[str]:
    """Every number written in `texts` ("5040", "2^4", ...), as text; one written with thousands
    separators ("1,000,003") also as the digits a call needs ("1000003")."""
    found = set()
    for text in texts:
        found.update(match.group() for match in _NUMBER.finditer(text))
        found.update(match.group().replace(",", "") for match in _GROUPED.finditer(text))
    return frozenset(found)


def trailing_number(text: str) -> str:
    """The number `text` ends in, as written so far ("" if it does not end in one)."""
    match = _TRAILING.search(text.rstrip("\ufffd"))
    return match.group() if match else ""


def is_protected(number: str) -> bool:
    return POWER in number or len(number) >= PROTECTED_DIGITS


class NumberGuard:
    """Masks for one tokenizer (which ids are digits and power signs, found once)."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.vocab_size = tokenizer.vocab_size
        self.digit_ids = digit_token_ids(tokenizer)  # index = the digit
        self.power_ids = power_token_ids(tokenizer)
        self.enabled = bool(self.digit_ids)

    def allowed(self, written: str, known: frozenset[str]) -> np.ndarray | None:
        """Which tokens may follow `written`, the number the reply ends in ("" if none), so that
        every protected number is a known one; None when every token may (or, should no token
        fit, when the guard cannot help and lets the model go on)."""
        if not self.enabled or not written:
            return None
        mask = np.full(self.vocab_size, not is_protected(written) or written in known)
        for digit, token in enumerate(self.digit_ids):
            mask[token] = self._fits(written + str(digit), known)
        if self.power_ids and written[-1].isdigit() and POWER not in written:
            mask[list(self.power_ids)] = self._fits(written + POWER, known)
        if mask.all() or not mask.any():
            return None
        return mask

    @staticmethod
    def _fits(number: str, known: frozenset[str]) -> bool:
        return not is_protected(number) or any(k.startswith(number) for k in known)


_GUARDS: dict[int, tuple[weakref.ref, NumberGuard]] = {}  # id(tokenizer) -> (the tokenizer, its guard)


def guard_for(tokenizer: Tokenizer) -> NumberGuard:
    """The guard of `tokenizer`, built once per tokenizer object (finding its digit tokens decodes
    the whole vocabulary, a few ms a reply otherwise). Tokenizers are unhashable dataclasses, so
    the cache is by identity, and an entry goes when its tokenizer does."""
    key = id(tokenizer)
    entry = _GUARDS.get(key)
    if entry is not None and entry[0]() is tokenizer:
        return entry[1]
    guard = NumberGuard(tokenizer)
    _GUARDS[key] = (weakref.ref(tokenizer, lambda _: _GUARDS.pop(key, None)), guard)
    return guard


class ReplyGuard:
    """The guard over one reply: the numbers known so far, and where they must be copied (inside
    a call; anywhere once the engine has answered, in this reply or in the prompt's open AI turn)."""

    def __init__(self, guard: NumberGuard, prompt: str) -> None:
        self._guard = guard
        self._known = numbers_in([prompt])
        self._answered = RESULT_OPEN in open_ai_turn(prompt)

    def result_added(self, result: str) -> None:
        self._known |= numbers_in([result])
        self._answered = True

    def allowed(self, text: str) -> np.ndarray | None:
        """The mask for the token after the reply's `text` (None: any token)."""
        if not text or not (text[-1].isdigit() or text[-1] == POWER):
            return None  # no number being written
        tail = text[-WRITTEN_TAIL:]
        if not self._answered and tail.rfind(CALL_OPEN) <= tail.rfind(CALL_CLOSE):
            return None  # free text before any result: the model may write any number
        return self._guard.allowed(trailing_number(tail), self._known)
