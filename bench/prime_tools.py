"""Milliseconds per prime-engine call (what a chat reply waits for), as JSON lines.

Each call runs --repeat times in a fresh process state (the first run of a count or n-th prime
sieves, later ones reuse cached segment counts, so both are reported: `first_ms` and
`median_ms`). The factor cases include the hardest inputs below each limit: semiprimes whose
two factors are as large as possible.

    python bench/prime_tools.py [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from hyper_prime_spiral.model.prime_tools import run_call

CALLS = (
    "isprime 1000000000000037",  # 10^15 + 37, a prime
    "isprime 999999999999999989",  # the largest prime below 10^18
    "factor 600851475143",
    "factor 999999999999999",  # 10^15 - 1
    "factor 999997811598563",  # 31622741 x 31622743: the hardest kind of case below 10^15
    "factor 999962000357",  # 999979 x 999983: largest semiprime of trial division's range
    "factor 1000000016000000063",  # 1000000007 x 1000000009 is above 10^18: refused at once
    "factor 999999866000004473",  # 999999929 x 999999937: the hardest case below 10^18
    "factor 999999980000000099",
    "factor 1000000000000000",
    "next 1000000000000000",
    "prev 1000000000000000",
    "count 100000000",
    "nth 5761455",
    "ring 99999989",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for call in CALLS:
        times = []
        result = ""
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run_call(call)
            times.append((time.perf_counter() - start) * 1000)
        line = {
            "call": call,
            "result": result,
            "first_ms": round(times[0], 3),
            "median_ms": round(statistics.median(times), 3),
            "max_ms": round(max(times), 3),
        }
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
