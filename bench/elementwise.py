"""numpy (as the model does it) vs numexpr for the elementwise hot spots; one JSON line each.

    python bench/elementwise.py [--repeats 200]

Why: the model uses numexpr only where it wins (docs/design.md, "Measured reasons"). Shapes
are those of nanoGPT's small config (N = 12 * 64 rows, width 128, MLP 512, 4 heads) and its ~0.8M parameters.
Times are CPU milliseconds per call (process time, less disturbed by other load), except the
layout rows (Sacks and polar placements of 10^5-10^7 points), which are wall-clock medians.
numexpr runs with the thread count it picks itself (NUMEXPR_NUM_THREADS to change it).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numexpr as ne
import numpy as np

from hyper_prime_spiral.model.optim import adamw_update

F = np.float32
C = F(math.sqrt(2 / math.pi))
A = F(0.044715)


def _cpu_ms(fn, repeats: int) -> float:
    fn()
    start = time.process_time()
    for _ in range(repeats):
        fn()
    return (time.process_time() - start) / repeats * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    rng = np.random.default_rng(0)

    u = rng.standard_normal((768, 512), dtype=F)
    s, g = np.empty_like(u), np.empty_like(u)

    def gelu_numpy():  # the transformer's in-place sequence
        np.multiply(u, u, out=s)
        np.multiply(s, A * C, out=s)
        np.add(s, C, out=s)
        np.multiply(s, u, out=s)
        np.tanh(s, out=s)
        np.multiply(s, F(0.5), out=s)
        np.add(s, F(0.5), out=s)
        np.multiply(u, s, out=g)

    gelu_names = dict(u=u, half=F(0.5), one=F(1.0), C=C, A=A)

    def gelu_numexpr():
        ne.evaluate(
            "half * u * (one + tanh(C * (u + A * u * u * u)))", gelu_names, out=g, casting="same_kind"
        )

    att = rng.standard_normal((12, 4, 64, 64), dtype=F)
    work = np.empty_like(att)
    row = np.empty((12, 4, 64, 1), dtype=F)

    def softmax_numpy():
        np.subtract(att, att.max(axis=(2, 3), keepdims=True), out=work)
        np.exp(work, out=work)
        np.sum(work, axis=-1, keepdims=True, out=row)
        np.divide(work, row, out=work)

    def softmax_numexpr():
        top = att.max(axis=(2, 3), keepdims=True)
        ne.evaluate("exp(att - top)", dict(att=att, top=top), out=work, casting="same_kind")
        np.sum(work, axis=-1, keepdims=True, out=row)
        ne.evaluate("work / row", dict(work=work, row=row), out=work, casting="same_kind")

    n = 800_000
    p, grad = rng.standard_normal(n, dtype=F), rng.standard_normal(n, dtype=F) * F(0.01)
    m1, v1, scratch = np.zeros(n, F), np.zeros(n, F), np.empty(n, F)
    mask = np.ones(n, F)
    step = [0]

    def adamw_numpy():
        step[0] += 1
        adamw_update(p, grad, m1, v1, mask, lr=1e-3, step=step[0], scratch=scratch)

    names = dict(p=p, grad=grad, m1=m1, v1=v1, mask=mask, one=F(1.0), b1=F(0.9), b2=F(0.99), c1=F(0.1))
    names.update(c2=F(0.01), lr_wd=F(1e-4), lr=F(1e-3), eps=F(1e-8))

    def adamw_numexpr():  # same three passes as a fused numexpr AdamW would do
        ne.evaluate("b1 * m1 + c1 * grad", names, out=m1, casting="same_kind")
        ne.evaluate("b2 * v1 + c2 * grad * grad", names, out=v1, casting="same_kind")
        ne.evaluate(
            "p * (one - lr_wd * mask) - lr * m1 / (sqrt(v1) + eps)", names, out=p, casting="same_kind"
        )

    cases = [
        ("gelu_forward", gelu_numpy, gelu_numexpr, u.size),
        ("softmax", softmax_numpy, softmax_numexpr, att.size),
        ("adamw_update", adamw_numpy, adamw_numexpr, n),
    ]
    for name, with_numpy, with_numexpr, size in cases:
        t_np = _cpu_ms(with_numpy, args.repeats)
        t_ne = _cpu_ms(with_numexpr, args.repeats)
        print(
            json.dumps(
                {
                    "bench": "elementwise",
                    "op": name,
                    "elements": size,
                    "numpy_ms": round(t_np, 3),
                    "numexpr_ms": round(t_ne, 3),
                    "numexpr_speedup": round(t_np / t_ne, 2),
                    "numexpr_threads": ne.get_num_threads(),
                }
            ),
            flush=True,
        )
    layout_cases(args.repeats)


def _wall_ms(fn, repeats: int) -> float:
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times)) * 1000


def layout_cases(repeats: int) -> None:
    """The spiral and clock layouts (primes/trig_layout.py): wall-clock medians, numpy and numexpr
    alternating, since numexpr's gain there comes from using the UI process's idle second core."""
    from hyper_prime_spiral.primes import trig_layout

    repeats = max(5, repeats // 20)
    rng = np.random.default_rng(0)
    cases = []
    for n in (100_000, 1_000_000, 10_000_000):
        values = np.arange(n, dtype=np.int64)
        cases.append((f"sacks_xy_{n}", lambda v=values: trig_layout.sacks(v), n))
    for n in (200_000, 1_000_000):
        radius, theta = rng.uniform(0, 500, n), rng.uniform(-7, 7, n)
        cases.append((f"polar_{n}", lambda r=radius, t=theta: trig_layout.polar(r, t), n))
    for name, fn, size in cases:
        t_np, t_ne = [], []
        for _ in range(3):
            with trig_layout.numexpr_from(None):
                t_np.append(_wall_ms(fn, repeats))
            with trig_layout.numexpr_from(0):
                t_ne.append(_wall_ms(fn, repeats))
        t_np_ms, t_ne_ms = float(np.median(t_np)), float(np.median(t_ne))
        line = {"bench": "elementwise", "op": name, "elements": size, "timing": "wall"}
        line.update(numpy_ms=round(t_np_ms, 2), numexpr_ms=round(t_ne_ms, 2))
        line.update(numexpr_speedup=round(t_np_ms / t_ne_ms, 2), numexpr_threads=ne.get_num_threads())
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
