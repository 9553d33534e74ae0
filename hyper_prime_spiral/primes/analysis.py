"""Number analysis for the prime input field, the calculator and the hover readout.

``analyze(n)`` answers everything the panel shows for any integer 1..10^12: prime or composite,
factorisation, divisor count, the prime index (exact up to 10^8), and where the number sits on the
clock: a prime at its own index, a composite between the primes around it (index pi(n) + 0.5), so
it can be marked and joined to its prime factors.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyper_prime_spiral.primes import abacus
from hyper_prime_spiral.primes.factorize import (
    MAX_FACTOR_N,
    divisor_count,
    divisors,
    factorize,
    format_factors,
)
from hyper_prime_spiral.primes.sieve import COUNT_LIMIT, prime_count

#: Largest number ``analyze`` accepts.
MAX_ANALYZE = MAX_FACTOR_N


class AnalysisError(ValueError):
    """Input that cannot be analysed; the message is meant for the user."""


@dataclass(frozen=True)
class NumberAnalysis:
    """Everything known about one integer (angles in screen degrees, clockwise from 3 o'clock)."""

    n: int
    is_prime: bool
    factors: list[tuple[int, int]]
    divisor_count: int
    small_divisors: list[int]  # the first 12 divisors, for the panel
    prime_index: int | None  # 1-based index when n is prime and n <= COUNT_LIMIT
    primes_below: int | None  # pi(n) when n <= COUNT_LIMIT
    ring: int | None
    position: int | None  # position on the ring (primes only)
    angle_deg: float | None
    radius: float | None  # base units
    quadrant: int | None
    clock_hour: int | None
    ring_distance: int | None
    note: str  # why some fields are missing, or ""

    @property
    def factor_text(self) -> str:
        return format_factors(self.factors)

    @property
    def clock_index(self) -> float | None:
        """Where the number sits on the clock: its index for a prime, pi(n) + 0.5 for a composite."""
        if self.prime_index is not None:
            return float(self.prime_index)
        if self.primes_below is not None and self.n > 1:
            return self.primes_below + 0.5
        return None

    def summary_lines(self) -> list[str]:
        """Short ASCII lines for a panel or tooltip."""
        kind = "prime" if self.is_prime else ("unit" if self.n == 1 else "composite")
        lines = [f"{self.n:,}: {kind}"]
        if not self.is_prime and self.n > 1:
            lines.append(f"= {self.factor_text}")
        lines.append(f"divisors: {self.divisor_count:,}")
        if self.prime_index is not None:
            lines.append(f"prime #{self.prime_index:,}")
        elif self.primes_below is not None:
            lines.append(f"primes below: {self.primes_below:,}")
        if self.ring is not None and self.angle_deg is not None:
            where = f"ring {self.ring}"
            if self.position is not None:
                where += f", position {self.position}"
            if self.ring_distance is not None:
                where += f", ring distance {self.ring_distance}"
            lines.append(where)
            lines.append(
                f"angle {self.angle_deg % 360.0:.2f} deg, quadrant {self.quadrant}, {self.clock_hour} o'clock"
            )
        if self.note:
            lines.append(self.note)
        return lines


def parse_number(text: str) -> int:
    """The integer in ``text`` ('1,000', ' 97 ', '1_000' accepted); AnalysisError with a reason otherwise."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned:
        raise AnalysisError("Type a number first")
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        raise AnalysisError("Only positive integers can be analysed")
    if not cleaned.isdigit():
        raise AnalysisError(f"Not a whole number: {text.strip()[:30]!r}")
    value = int(cleaned)
    if value < 1:
        raise AnalysisError("Only positive integers can be analysed")
    if value > MAX_ANALYZE:
        raise AnalysisError(f"Too large: the limit is {MAX_ANALYZE:,}")
    return value


def analyze(n: int) -> NumberAnalysis:
    """Analyse a positive integer up to MAX_ANALYZE (AnalysisError otherwise)."""
    n = int(n)
    if n < 1:
        raise AnalysisError("Only positive integers can be analysed")
    if n > MAX_ANALYZE:
        raise AnalysisError(f"Too large: the limit is {MAX_ANALYZE:,}")
    factors = factorize(n)
    prime = factors == [(n, 1)]
    note = ""
    primes_below = prime_count(n) if n <= COUNT_LIMIT else None
    if primes_below is None:
        note = f"index and clock place are computed up to {COUNT_LIMIT:,}"
    index = primes_below if prime and primes_below is not None else None

    ring = position = quad = hour = dist = None
    angle = radius = None
    if index is not None:
        placed = abacus.clock_placement(index)
        ring, position = int(placed.ring[0]), int(placed.position[0])
        angle, radius = float(placed.angle_deg[0]), float(placed.radius[0])
        dist = abacus.ring_distance(index)
    elif primes_below is not None and n > 1:
        ring, angle, radius = abacus.fractional_angle(primes_below + 0.5)
    if angle is not None:
        quad, hour = abacus.quadrant(angle), abacus.clock_hour(angle)

    return NumberAnalysis(
        n=n,
        is_prime=prime,
        factors=factors,
        divisor_count=divisor_count(factors),
        small_divisors=divisors(factors, limit=12),
        prime_index=index,
        primes_below=primes_below,
        ring=ring,
        position=position,
        angle_deg=angle,
        radius=radius,
        quadrant=quad,
        clock_hour=hour,
        ring_distance=dist,
        note=note,
    )
