"""argparse value types with one-line errors (argparse turns them into exit status 2)."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def _number(text: str, kind: type) -> float:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a valid {'integer' if kind is int else 'number'}"
        ) from None
    if kind is float and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def positive_int(text: str) -> int:
    value = int(_number(text, int))
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def non_negative_int(text: str) -> int:
    value = int(_number(text, int))
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def positive_float(text: str) -> float:
    value = _number(text, float)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def non_negative_float(text: str) -> float:
    value = _number(text, float)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text}")
    return value


def probability(text: str) -> float:
    """A value in (0, 1] (top-p)."""
    value = _number(text, float)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"must be in (0, 1], got {text}")
    return value


def add_sampling_arguments(
    parser: argparse.ArgumentParser, seed_help: str, max_tokens_type: Callable[[str], int] = non_negative_int
) -> None:
    """--temperature/--top-k/--top-p/--max-tokens/--seed/--no-number-guard with the one set of defaults
    (model.sampling.SamplingSettings), shared by `generate` and `chat`."""
    from hyper_prime_spiral.model.sampling import SamplingSettings

    defaults = SamplingSettings()
    parser.add_argument(
        "--temperature",
        type=non_negative_float,
        default=defaults.temperature,
        help="0 = always the most likely token",
    )
    parser.add_argument(
        "--top-k",
        type=non_negative_int,
        default=defaults.top_k,
        help="keep the k most probable tokens (0 = all)",
    )
    parser.add_argument(
        "--top-p",
        type=probability,
        default=defaults.top_p,
        help="nucleus: smallest set with this probability",
    )
    parser.add_argument(
        "--max-tokens", type=max_tokens_type, default=defaults.max_tokens, help="stop after this many tokens"
    )
    parser.add_argument("--seed", type=non_negative_int, default=None, help=seed_help)
    parser.add_argument(
        "--no-number-guard",
        dest="guard_numbers",
        action="store_false",
        help="let the model write numbers that are not in the conversation into prime-engine "
        "calls and after a result (default: a number of 3 or more digits there must be copied from it)",
    )
