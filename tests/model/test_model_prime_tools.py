"""Each call to the prime engine against known values; bad calls end with a readable reason."""

import pytest

from hyper_prime_spiral.model.prime_tools import TOOLS, run_call


@pytest.mark.parametrize(
    ("call", "result"),
    [
        ("factor 600851475143", "600851475143 = 71 x 839 x 1471 x 6857"),
        ("factor 360", "360 = 2^3 x 3^2 x 5"),
        ("factor 97", "97 is prime: its only prime factor is itself"),
        ("factor 1", "1 has no prime factors"),
        ("isprime 91", "91 is not prime: 91 = 7 x 13"),
        ("isprime 1000000000039", "1000000000039 is prime"),
        ("isprime 999999999999999989", "999999999999999989 is prime"),
        ("isprime 1", "1 is not prime"),
        ("next 100", "the next prime after 100 is 101"),
        ("next 1000000000000000", "the next prime after 1000000000000000 is 1000000000000037"),
        ("prev 100", "the previous prime before 100 is 97"),
        ("count 100", "there are 25 primes below 100"),
        ("count 101", "there are 25 primes below 101"),
        ("count 3", "there is 1 prime below 3"),
        ("nth 25", "the 25th prime is 97"),
        ("nth 1000000", "the 1000000th prime is 15485863"),
        ("nth 22", "the 22nd prime is 79"),
        ("ring 97", "97 is prime number 25: ring 1, position 13, 3 o'clock"),
        ("ring 2", "2 is prime number 1: ring 0, position 1, 1 o'clock"),
        ("ring 91", "91 lies between prime number 24 and 25: ring 1, 2 o'clock"),
        ("  factor   91 ", "91 = 7 x 13"),  # spaces a word tokenizer may add are not an error
    ],
)
def test_calls_answer_exactly(call, result):
    assert run_call(call) == result


def test_every_verb_is_listed_with_its_limits():
    assert [t.verb for t in TOOLS] == ["isprime", "factor", "next", "prev", "count", "nth", "ring"]
    assert all(t.to_dict()["max_n"] >= 10**8 for t in TOOLS if t.verb != "nth")
    assert all(
        t.to_dict()["max_n"] >= 10**15 for t in TOOLS if t.verb in ("isprime", "factor", "next", "prev")
    )


@pytest.mark.parametrize(
    ("call", "reason"),
    [
        ("factor 1" + "0" * 40, "cannot factor 10^40: it is above the limit 10^18"),
        ("factor 123" + "4" * 40, "cannot factor a 43-digit number: it is above the limit 10^18"),
        ("count 1000000000", "cannot count the primes below 1000000000: it is above the limit 10^8"),
        ("nth 0", "cannot find the prime number 0: it is below 1"),
        ("prev 2", "cannot find the previous prime before 2: it is below 3"),
        ("ring 1000000000000", "cannot place 1000000000000: it is above the limit 10^8"),
        ("divide 91", "unknown call 'divide'"),
        ("factor -91", "cannot read the call 'factor -91'"),
        ("factor 2**64", "cannot read the call"),
        ("factor __import__('os')", "cannot read the call"),
        ("factor 9.5", "cannot read the call"),
        ("factor", "cannot read the call"),
        ("FACTOR 91", "cannot read the call"),
        ("factor " + "9" * 70, "cannot read the call: it is longer than 60 characters"),
    ],
)
def test_bad_calls_get_a_short_reason(call, reason):
    assert run_call(call).startswith(reason)
