"""bench/number_answers.py judges number answers exactly: true statements pass, wrong ones fail."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture(scope="module")
def judge():
    sys.path.insert(0, str(BENCH))
    try:
        import number_answers

        yield number_answers.judge
    finally:
        sys.path.remove(str(BENCH))


@pytest.mark.parametrize(
    ("answer", "call", "n", "right"),
    [
        ("600851475143 = 71 x 839 x 1471 x 6857.", "factor", 600851475143, True),
        ("The prime factorisation of 5040 is 5040 = 2^4 x 3^2 x 5 x 7.", "factor", 5040, True),
        ("5040 = 2^4 x 3^2 x 35.", "factor", 5040, False),  # multiplies to N, 35 is not prime
        ("5040 = 2^4 x 3 x 5 x 7.", "factor", 5040, False),  # wrong product
        ("5040 is a big number.", "factor", 5040, False),  # no factorisation stated
        ("The prime factorisation of 5040 is 2^4 x 3^2 x 5 x 7.", "factor", 5040, True),
        ("The prime factorisation of 5040 is 2^4 x 3 x 7.", "factor", 5040, False),
        ("2147483647 is prime, so its only prime factor is 2147483647 itself.", "factor", 2147483647, True),
        ("Yes, 7919 is prime.", "isprime", 7919, True),
        ("No, 7919 is not prime.", "isprime", 7919, False),
        ("No, 561 is not prime: 561 = 3 x 11 x 17.", "isprime", 561, True),
        ("No, 561 is not prime: 561 = 3 x 187.", "isprime", 561, False),  # a wrong reason is wrong
        ("561 is prime.", "isprime", 561, False),
        ("Yes.", "isprime", 7919, False),  # true by luck, but it names nothing
        ("No.", "isprime", 561, False),
        ("The next prime after 1000000 is 1000003.", "next", 1000000, True),
        ("The next prime after 1000000 is 1000001.", "next", 1000000, False),
        ("The largest prime below 10000 is 9973.", "prev", 10000, True),
        ("There are 78498 primes below 1000000.", "count", 1000000, True),
        ("There are 78499 primes below 1000000.", "count", 1000000, False),
        ("The 100th prime is 541.", "nth", 100, True),
        ("1009 is the 169th prime, so it sits on ring 3 at position 37.", "ring", 1009, True),
        ("1009 is on ring 2.", "ring", 1009, False),
        ("As the 1009th prime, 1009 is on ring 3, position 37.", "ring", 1009, False),  # it is the 169th
        ("1000 is not prime: it lies between the 168th and the 169th prime, on ring 3.", "ring", 1000, True),
        # a right claim beside a wrong number is wrong (answers a real model gave)
        ("Yes. 7919 is a prime number: only 1 and 9919 divide it.", "isprime", 7919, False),
        ("As the 109th prime, 169 is on ring 3, position 35.", "ring", 1009, False),
        ("As the 169th prime, 169 is on ring 3, position 37.", "ring", 1009, False),  # names 169, not 1009
        ("541.", "nth", 100, False),
    ],
)
def test_judge(judge, answer, call, n, right):
    assert judge(answer, call, n)[0] is right
