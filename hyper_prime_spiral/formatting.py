"""Sizes, counts, durations and rates as people read them: one set for the app and the CLI.

Neutral module (no numpy, no pygame), so every layer formats numbers the same way.
"""

from __future__ import annotations

import math


def format_size(n_bytes: int) -> str:
    """'512 B', '2.0 KB', '3.0 MB', '1.50 GB' (binary units, as file managers show them)."""
    if n_bytes < 1024:
        return f"{n_bytes} B"
    if n_bytes < 1024**2:
        return f"{n_bytes / 1024:.1f} KB"
    if n_bytes < 1024**3:
        return f"{n_bytes / 1024**2:.1f} MB"
    return f"{n_bytes / 1024**3:.2f} GB"


def format_count(n: int) -> str:
    """'4,560', '45.6k', '1.23M': token and parameter counts readable at a glance."""
    if n < 10_000:
        return f"{n:,}"
    if n < 1_000_000:
        return f"{n / 1e3:.1f}k"
    return f"{n / 1e6:.2f}M"


def format_duration(seconds: float) -> str:
    """'42 s', '3:07', '1:02:09' ('--' when unknown); no fractions: it is read at a glance."""
    if not math.isfinite(seconds) or seconds < 0:
        return "--"
    total = int(round(seconds))
    if total < 60:
        return f"{total} s"
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_rate(tokens_per_s: float) -> str:
    """'950 tok/s', '15.5k tok/s'."""
    if tokens_per_s >= 10_000:
        return f"{tokens_per_s / 1000:.1f}k tok/s"
    return f"{tokens_per_s:.0f} tok/s"
