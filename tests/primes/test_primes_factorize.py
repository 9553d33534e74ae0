"""Factorisation and number analysis up to 10^12."""

import pytest

from hyper_prime_spiral.primes import analysis, factorize


def _product(factors):
    out = 1
    for p, e in factors:
        out *= p**e
    return out


@pytest.mark.parametrize("n", [1, 2, 12, 360, 1001, 999_983, 2**39, 600_851_475_143, 999_999_999_989, 10**12])
def test_factorisation_multiplies_back_to_n(n):
    factors = factorize.factorize(n)
    assert _product(factors) == n
    assert all(factorize.is_prime(p) for p, _ in factors)
    assert [p for p, _ in factors] == sorted({p for p, _ in factors})


def test_known_factorisations():
    assert factorize.factorize(360) == [(2, 3), (3, 2), (5, 1)]
    assert factorize.factorize(600_851_475_143) == [(71, 1), (839, 1), (1471, 1), (6857, 1)]
    assert factorize.factorize(999_983 * 999_979) == [(999_979, 1), (999_983, 1)]
    assert factorize.format_factors([(2, 3), (3, 2), (5, 1)]) == "2^3 x 3^2 x 5"
    assert factorize.divisor_count(factorize.factorize(360)) == 24
    assert factorize.divisors(factorize.factorize(12)) == [1, 2, 3, 4, 6, 12]


def test_factorize_rejects_out_of_range():
    with pytest.raises(ValueError):
        factorize.factorize(0)
    with pytest.raises(ValueError):
        factorize.factorize(factorize.MAX_FACTOR_N + 1)


def test_analysis_of_primes_on_the_clock():
    five = analysis.analyze(5)
    assert five.is_prime and five.prime_index == 3 and five.ring == 0 and five.position == 3
    assert five.angle_deg == pytest.approx(0.0) and five.clock_hour == 3 and five.quadrant == 0
    top = analysis.analyze(37)
    assert top.prime_index == 12 and top.angle_deg == pytest.approx(270.0) and top.clock_hour == 12
    last = analysis.analyze(1459)
    assert (last.prime_index, last.ring, last.position) == (232, 3, 100)


def test_analysis_of_composites_and_big_numbers():
    a = analysis.analyze(360)
    assert not a.is_prime and a.prime_index is None and a.primes_below == 72
    assert a.divisor_count == 24 and a.small_divisors[:4] == [1, 2, 3, 4]
    assert a.clock_index == 72.5 and a.ring == 1
    big = analysis.analyze(999_999_999_989)
    assert big.is_prime and big.prime_index is None and "100,000,000" in big.note
    mid = analysis.analyze(10_000_019)
    assert mid.is_prime and mid.prime_index == 664_580


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Type a number"),
        ("abc", "Not a whole number"),
        ("12.5", "Not a whole number"),
        ("-7", "positive"),
        ("0", "positive"),
        ("1000000000001", "Too large"),
    ],
)
def test_bad_input_gets_a_message(text, message):
    with pytest.raises(analysis.AnalysisError, match=message):
        analysis.parse_number(text)


def test_parse_accepts_separators():
    assert analysis.parse_number(" 1,000_003 ") == 1_000_003
