"""Write data/training/number_facts.txt: sentences about whole numbers that are true by construction.

Every fact is computed (sieve, trial division), never typed by hand, so a model trained on it
sees only correct arithmetic. The chat corpus generator reuses the helpers below for its
"is N prime?" style questions, so both files agree.

    python tools/make_number_facts.py [--out PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO_ROOT / "data" / "training" / "number_facts.txt"
DEFAULT_LIMIT = 1200

#: The app's classic clock: the first 12 primes on an hour ring, then 60, 60 and 100 positions.
CLOCK_RINGS = (("hour", 12), ("minute", 60), ("second", 60), ("hundredths", 100))
CLOCK_PRIMES = sum(size for _, size in CLOCK_RINGS)


def primes_up_to(limit: int) -> list[int]:
    """All primes <= limit (sieve of Eratosthenes)."""
    if limit < 2:
        return []
    is_prime = bytearray([1]) * (limit + 1)
    is_prime[0] = is_prime[1] = 0
    for p in range(2, int(limit**0.5) + 1):
        if is_prime[p]:
            is_prime[p * p :: p] = bytearray(len(range(p * p, limit + 1, p)))
    return [n for n in range(limit + 1) if is_prime[n]]


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True


def factorise(n: int) -> list[int]:
    """Prime factors of n >= 2 in ascending order, with repetition."""
    if n < 2:
        raise ValueError(f"only whole numbers >= 2 have a prime factorisation, got {n}")
    factors: list[int] = []
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors.append(d)
            n //= d
        d += 1 if d == 2 else 2
    if n > 1:
        factors.append(n)
    return factors


def product_text(factors: list[int]) -> str:
    return " x ".join(str(f) for f in factors)


def ordinal(k: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ..."""
    if 10 <= k % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def clock_place(index: int) -> tuple[str, int] | None:
    """(ring name, position) of the index-th prime on the classic rings, None beyond them."""
    for name, size in CLOCK_RINGS:
        if index <= size:
            return name, index
        index -= size
    return None


def number_facts(limit: int) -> list[str]:
    """One or two sentences for each whole number 2..limit, plus prime counts and clock places."""
    primes = primes_up_to(limit)
    prime_set = set(primes)
    index_of = {p: i for i, p in enumerate(primes, start=1)}
    lines: list[str] = []
    for n in range(2, limit + 1):
        if n in prime_set:
            k = index_of[n]
            text = f"{n} is prime. It is the {ordinal(k)} prime."
            if n + 2 in prime_set:
                text += f" {n} and {n + 2} are twin primes."
            place = clock_place(k)
            if place is not None:
                text += f" On the clock it sits on the {place[0]} ring at position {place[1]}."
        else:
            factors = factorise(n)
            text = f"{n} is not prime: {n} = {product_text(factors)}."
            if len(factors) > 2:
                text += f" Its smallest prime factor is {factors[0]}."
        lines.append(text)
    for bound in (10, 20, 30, 50, 100, 200, 500, 1000):
        if bound <= limit:
            count = sum(1 for p in primes if p < bound)
            lines.append(f"There are {count} primes below {bound}.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="file to write")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="largest number described")
    args = parser.parse_args(argv)
    if args.limit < 2:
        parser.error(f"--limit must be at least 2, got {args.limit}")
    text = "\n".join(number_facts(args.limit)) + "\n"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {len(text.split())} words to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
