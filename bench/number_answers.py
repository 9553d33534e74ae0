"""Exact judging of answers to number questions (bench/heldout_questions.json items with "check").

A number answer is right only if what it states is true, checked against the prime engine: a
factorisation must multiply to N and use only primes; "N is prime" must be true, "not prime"
must be true; a next/previous/n-th prime, a prime count or a clock ring must be the exact value.
Every answer must name N (or, for the n-th prime, n): "541." alone is not an answer.
The judge reads the answer text the user sees (the tool call and its result are not part of it),
so a model that calls the engine but then miscopies the result is judged wrong. An answer about
whether N is prime, or about its factors, must name N: a bare "yes." is a guess. A right claim
beside a wrong number ("7919 is prime: only 1 and 9919 divide it") is wrong: every number the
answer states must be N, 1, or a number of the engine's own result.
"""

from __future__ import annotations

import re

from hyper_prime_spiral.model.prime_tools import run_call
from hyper_prime_spiral.primes.large import is_prime, next_prime, previous_prime
from hyper_prime_spiral.primes.sieve import nth_prime, prime_count

_FACTORS = r"(\d+(?:\^\d+)?(?: x \d+(?:\^\d+)?)*)(?![\d^])"
# "n = a^k x b x ..." and "the (prime) factorisation of n is a^k x b x ..."
_PRODUCTS = (
    re.compile(r"\b(\d+) = " + _FACTORS),
    re.compile(r"\bfactori[sz]ation of (\d+) is " + _FACTORS),
)


def stated_products(answer: str, n: int) -> list[list[tuple[int, int]]]:
    """Every factorisation of n the answer states ("n = a^k x b", "the factorisation of n is
    a^k x b"), as [(base, power), ...]."""
    found = []
    for total, product in (m for pattern in _PRODUCTS for m in pattern.findall(answer)):
        if int(total) == n:
            found.append(
                [(int(b), int(p or 1)) for b, _, p in (f.partition("^") for f in product.split(" x "))]
            )
    return found


def _product_is_right(factors: list[tuple[int, int]], n: int) -> bool:
    value = 1
    for base, power in factors:
        value *= base**power
    return value == n and all(is_prime(base) for base, _ in factors)


def _says_not_prime(text: str, n: int) -> bool:
    return re.search(rf"\b{n} is not (?:a )?prime", text) is not None or text.startswith("no")


def _says_prime(text: str, n: int) -> bool:
    stated = re.search(rf"\b{n} is (?:a )?prime", text) is not None or text.startswith("yes")
    return stated and not _says_not_prime(text, n)


def _numbers(text: str) -> set[int]:
    return {int(d) for d in re.findall(r"\d+", text)}


def judge(answer: str, call: str, n: int) -> tuple[bool, str]:
    """(right?, the expected fact) for the answer to a question that `call N` answers."""
    right, fact = _judge_claim(answer, call, n)
    stray = _numbers(answer) - _numbers(fact) - {n, 1}
    return right and not stray, fact


def _judge_claim(answer: str, call: str, n: int) -> tuple[bool, str]:
    """(right?, the expected fact) for the claim the answer makes, ignoring stray numbers."""
    text = " ".join(answer.lower().split())
    products = stated_products(text, n)
    if n not in _numbers(text):  # "yes.", "541." or "169 is on ring 3" name nothing: a guess
        return False, run_call(f"{call} {n}")
    if call in ("isprime", "factor"):
        if any(not _product_is_right(p, n) for p in products if p != [(n, 1)]):
            return False, run_call(f"factor {n}")
        if is_prime(n):
            ok = _says_prime(text, n) or [(n, 1)] in products
            return ok, f"{n} is prime"
        if call == "isprime":
            return _says_not_prime(text, n), run_call(f"isprime {n}")
        stated = [p for p in products if p != [(n, 1)]]  # "factorisation of n is n = ..." restates n
        return bool(stated) and all(_product_is_right(p, n) for p in stated), run_call(f"factor {n}")
    expected = {
        "next": lambda: next_prime(n),
        "prev": lambda: previous_prime(n),
        "nth": lambda: nth_prime(n),
        "count": lambda: prime_count(n - 1),
    }
    if call in expected:
        value = expected[call]()
        return value in _numbers(text), run_call(f"{call} {n}")
    if call == "ring":
        fact = run_call(f"ring {n}")
        ring = re.search(r"ring (\d+)", fact)
        assert ring is not None, fact
        # "as the 1009th prime" beside the right ring is still wrong: an ordinal must be n's index
        # (for a composite n, the indices of the primes around it)
        below = prime_count(n - 1)
        allowed = {below + 1} if is_prime(n) else {below, below + 1}
        ordinals = {int(k) for k in re.findall(r"\b(\d+)(?:st|nd|rd|th)(?: and the \d+\w\w)? prime", text)}
        ordinals |= {int(k) for k in re.findall(r"\band the (\d+)(?:st|nd|rd|th) prime", text)}
        right_ordinals = ordinals <= allowed
        return right_ordinals and re.search(rf"\bring {ring[1]}\b", text) is not None, fact
    raise ValueError(f"unknown check {call!r}")
