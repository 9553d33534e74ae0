"""What the number guard costs: reply tokens/s with it on and off, in one run, same replies.

    python bench/number_guard_speed.py [--model DIR] [--repeats 5]

Asks number questions whose answers restate long results (in-process `sampling.stream`, greedy,
one BLAS thread, as the generation process runs), alternating guard on and off so both see the
same machine. Prints one JSON line per setting (median tokens/s over the repeats) and one with
the ratio on/off. Default model: the built-in one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hyper_prime_spiral.model.chat_format import build_prompt  # noqa: E402
from hyper_prime_spiral.model.sampling import stream  # noqa: E402
from hyper_prime_spiral.storage import load_model  # noqa: E402
from hyper_prime_spiral.storage.search import BUILTIN_FOLDER  # noqa: E402
from hyper_prime_spiral.threads import one_blas_thread  # noqa: E402

QUESTIONS = (
    "factor 600851475143",
    "what is the prime factorisation of 123456789012345",
    "is 999999999989 prime",
    "factor 5040",
    "how many primes are below 1000000",
)


def replies_per_second(bundle, guard: bool) -> tuple[float, int]:
    """(tokens/s, tokens) over all QUESTIONS, counting each reply piece's tokens once."""
    tokens = 0
    start = time.perf_counter()
    for question in QUESTIONS:
        reply = "".join(stream(bundle, build_prompt([], question), temperature=0, guard_numbers=guard))
        tokens += len(bundle.tokenizer.encode(reply))
    return tokens / (time.perf_counter() - start), tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=BUILTIN_FOLDER / "prime-chat")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    bundle = load_model(args.model)
    rates: dict[bool, list[float]] = {True: [], False: []}
    counts: dict[bool, int] = {}
    with one_blas_thread():
        replies_per_second(bundle, True)  # warm-up
        for repeat in range(args.repeats):
            for guard in (True, False) if repeat % 2 else (False, True):  # neither always goes first
                rate, counts[guard] = replies_per_second(bundle, guard)
                rates[guard].append(rate)
    medians = {guard: statistics.median(values) for guard, values in rates.items()}
    for guard in (True, False):
        print(
            json.dumps(
                {
                    "bench": "number_guard_speed",
                    "guard": guard,
                    "tokens": counts[guard],
                    "tokens_per_s_median": round(medians[guard], 1),
                    "repeats": args.repeats,
                }
            )
        )
    print(
        json.dumps(
            {"bench": "number_guard_speed", "ratio_on_over_off": round(medians[True] / medians[False], 3)}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
