"""Streaming generation time per token against the reply's length, as JSON lines.

A reply of n tokens used to cost n^2 (the whole reply was decoded again for every token:
2,000 / 8,000 / 32,000 tokens took 0.77 / 5.4 / 77 s); the time per token should now stay
flat as the reply grows. The model is a small random one whose output never ends a reply
early: its vocabulary has no newline, colon or '<' (no role line, no tool call) and
`<eot>` gets the lowest logit, so every reply runs to max_tokens.

    python bench/reply_length.py [--lengths 2000 8000 32000] [--tokenizer char|word]
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.sampling import stream
from hyper_prime_spiral.model.tokenizer import build_tokenizer

TEXT = "the quick brown fox jumps over the lazy dog, and then it rests. "


def endless_model(kind: str, seed: int = 0) -> ModelBundle:
    tokenizer = build_tokenizer(kind, TEXT)
    config = ModelConfig(tokenizer.vocab_size, context_length=64, dim=32, layers=2, heads=2, tied=False)
    layout = ParamLayout(config)
    params = np.random.default_rng(seed).standard_normal(layout.n_params, dtype=np.float32) * 0.5
    views = layout.views(params)
    views["head.out.weight"][:, tokenizer.eot_id] = -50.0 * np.sign(views["head.ln.bias"])
    views["head.out.weight"][:, tokenizer.unk_id] = -50.0 * np.sign(views["head.ln.bias"])
    views["head.ln.gain"][:] = 0.0  # logits = bias @ W: <eot> and <unk> are never drawn
    return ModelBundle(config, tokenizer, params)


def measure(model: ModelBundle, length: int) -> dict:
    started = time.perf_counter()
    chars = 0
    for piece in stream(model, "the", temperature=1.0, top_k=0, top_p=1.0, max_tokens=length, seed=1):
        chars += len(piece)
    elapsed = time.perf_counter() - started
    return {
        "bench": "reply_length",
        "tokenizer": model.tokenizer.kind,
        "tokens": length,
        "chars": chars,
        "seconds": round(elapsed, 3),
        "us_per_token": round(elapsed / length * 1e6, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[2000, 8000, 32000])
    parser.add_argument("--tokenizer", choices=("char", "word"), default="char")
    args = parser.parse_args()
    model = endless_model(args.tokenizer)
    for length in args.lengths:
        print(json.dumps(measure(model, length)), flush=True)


if __name__ == "__main__":
    main()
