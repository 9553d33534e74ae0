"""Run pool training until interrupted (the Ctrl+C test drives this in a subprocess).

Prints one line with the pool's segment names once training runs, then steps forever;
Ctrl+C must leave no segment and no resource-tracker warning behind.
"""

from __future__ import annotations

import json
import sys

from parallel_helpers import TINY, batch

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.training.pool_engine import PoolEngine


def main() -> int:
    x, y = batch(4, TINY.context_length, TINY.vocab_size)
    engine = PoolEngine(TINY, init_params(TINY), workers=2)
    try:
        engine.step(x, y, 1e-3)
        print(json.dumps({"segments": engine.segment_names}), flush=True)
        while True:
            engine.step(x, y, 1e-3)
    except KeyboardInterrupt:
        return 130
    finally:
        engine.close()


if __name__ == "__main__":
    sys.exit(main())
