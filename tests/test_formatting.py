"""The one set of number formatters the app and the CLI share."""

from __future__ import annotations

from hyper_prime_spiral.formatting import format_count, format_duration, format_rate, format_size


def test_sizes_use_binary_units():
    assert format_size(512) == "512 B"
    assert format_size(2048) == "2.0 KB"
    assert format_size(3 * 1024**2) == "3.0 MB"
    assert format_size(3 * 1024**3 // 2) == "1.50 GB"


def test_counts_read_at_a_glance():
    assert format_count(4_560) == "4,560"
    assert format_count(45_600) == "45.6k"
    assert format_count(1_234_567) == "1.23M"


def test_durations_and_rates_read_at_a_glance():
    assert format_duration(42.4) == "42 s"
    assert format_duration(187) == "3:07"
    assert format_duration(3729) == "1:02:09"
    assert format_duration(float("inf")) == "--"
    assert format_duration(-1) == "--"
    assert format_rate(950.2) == "950 tok/s" and format_rate(15_500) == "15.5k tok/s"
