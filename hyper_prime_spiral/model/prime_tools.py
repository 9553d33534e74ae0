"""The calls a chat model may make to the prime engine, parsed strictly and answered exactly.

A call is the text between `<calc>` and `</calc>` (model.chat_format): one verb from a fixed
list, one space, one decimal integer, e.g. `factor 91`. Nothing is ever evaluated; anything
else gets a short readable result instead of an answer, so generation can go on. Every verb is
bounded: numbers above its limit are refused before any work, and factorisation has a
deadline, so a call costs at most about a second even on a busy machine (typically well under
a millisecond; bench/prime_tools.py measures it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from hyper_prime_spiral.primes import abacus
from hyper_prime_spiral.primes.factorize import format_factors
from hyper_prime_spiral.primes.large import (
    MAX_LARGE_N,
    TooSlowError,
    factor,
    is_prime,
    next_prime,
    previous_prime,
)
from hyper_prime_spiral.primes.sieve import COUNT_LIMIT, NTH_LIMIT, nth_prime, prime_count

FACTOR_SECONDS = 1.0  # deadline of one factorisation (10^18 semiprimes take ~20 ms)
_MAX_CALL_CHARS = 60
_CALL_SYNTAX = re.compile(r"([a-z]+) ([0-9]+)")


class ToolRunner(Protocol):
    """Answers one call's text with one line of result text; never raises."""

    def __call__(self, call: str) -> str: ...


@dataclass(frozen=True)
class Tool:
    verb: str
    action: str  # "cannot <action> N: ..." when the call cannot be answered
    description: str
    low: int  # smallest N accepted
    high: int  # largest N accepted
    answer: Callable[[int], str]

    def to_dict(self) -> dict[str, object]:
        return {
            "call": f"{self.verb} N",
            "description": self.description,
            "min_n": self.low,
            "max_n": self.high,
        }


def _is_prime(n: int) -> str:
    if is_prime(n):
        return f"{n} is prime"
    if n < 2:
        return f"{n} is not prime"
    return f"{n} is not prime: {n} = {format_factors(factor(n, FACTOR_SECONDS))}"


def _factor(n: int) -> str:
    if n == 1:
        return "1 has no prime factors"
    factors = factor(n, FACTOR_SECONDS)
    if factors == [(n, 1)]:
        return f"{n} is prime: its only prime factor is itself"
    return f"{n} = {format_factors(factors)}"


def _next(n: int) -> str:
    return f"the next prime after {n} is {next_prime(n)}"


def _previous(n: int) -> str:
    return f"the previous prime before {n} is {previous_prime(n)}"


def _count(n: int) -> str:
    count = prime_count(n - 1)
    return f"there {'is' if count == 1 else 'are'} {count} prime{'' if count == 1 else 's'} below {n}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _nth(n: int) -> str:
    return f"the {_ordinal(n)} prime is {nth_prime(n)}"


def _ring(n: int) -> str:
    """Where the Visualization tab puts n: a prime at its index, a composite between its neighbours."""
    below = prime_count(n)
    if is_prime(n):
        placed = abacus.clock_placement(below)
        ring, position = int(placed.ring[0]), int(placed.position[0])
        hour = abacus.clock_hour(float(placed.angle_deg[0]))
        return f"{n} is prime number {below}: ring {ring}, position {position}, {hour} o'clock"
    ring, angle, _ = abacus.fractional_angle(below + 0.5)
    hour = abacus.clock_hour(angle)
    return f"{n} lies between prime number {below} and {below + 1}: ring {ring}, {hour} o'clock"


TOOLS = (
    Tool(
        "isprime",
        "test",
        "whether N is prime (a composite comes with its factors)",
        0,
        MAX_LARGE_N,
        _is_prime,
    ),
    Tool("factor", "factor", "the prime factorisation of N", 1, MAX_LARGE_N, _factor),
    Tool("next", "find the next prime after", "the smallest prime above N", 0, MAX_LARGE_N, _next),
    Tool("prev", "find the previous prime before", "the largest prime below N", 3, MAX_LARGE_N, _previous),
    Tool("count", "count the primes below", "how many primes are below N", 0, COUNT_LIMIT, _count),
    Tool("nth", "find the prime number", "the N-th prime (N = 1 is 2)", 1, NTH_LIMIT, _nth),
    Tool("ring", "place", "the clock-abacus ring and position of N", 2, COUNT_LIMIT, _ring),
)
TOOLS_BY_VERB = {tool.verb: tool for tool in TOOLS}


def describe_number(text: str) -> str:
    """A number as a result may show it: digits, or '10^40' / 'a 41-digit number' when huge."""
    digits = text.lstrip("0") or "0"
    if len(digits) <= 24:
        return digits
    if digits == "1" + "0" * (len(digits) - 1):
        return f"10^{len(digits) - 1}"
    return f"a {len(digits)}-digit number"


def _limit(value: int) -> str:
    """10^18 rather than 1000000000000000000; other limits as digits."""
    text = str(value)
    return f"10^{len(text) - 1}" if text.rstrip("0") == "1" and value >= 1000 else text


def run_call(call: str) -> str:
    """The engine's answer to one call's text, or a short reason why there is none."""
    text = " ".join(call.split())
    if len(text) > _MAX_CALL_CHARS:
        return f"cannot read the call: it is longer than {_MAX_CALL_CHARS} characters"
    match = _CALL_SYNTAX.fullmatch(text)
    if match is None:
        verbs = ", ".join(TOOLS_BY_VERB)
        return f"cannot read the call {text!r}: write one of {verbs} and a whole number"
    verb, digits = match.groups()
    tool = TOOLS_BY_VERB.get(verb)
    if tool is None:
        return f"unknown call {verb!r}: the calls are {', '.join(TOOLS_BY_VERB)}"
    number = describe_number(digits)
    if int(digits) > tool.high:  # at most _MAX_CALL_CHARS digits, so int() is cheap
        return f"cannot {tool.action} {number}: it is above the limit {_limit(tool.high)}"
    n = int(digits)
    if n < tool.low:
        return f"cannot {tool.action} {n}: it is below {tool.low}"
    try:
        return tool.answer(n)
    except TooSlowError:
        return f"cannot {tool.action} {n}: it took longer than {FACTOR_SECONDS:g} s"
    except (ValueError, ArithmeticError) as exc:  # a limit of the engine, said plainly
        return f"cannot {tool.action} {n}: {exc}"
