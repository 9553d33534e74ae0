"""Generation tokens/s with the lens off and on (in-process `sampling.stream`, one BLAS thread).

The lens adds per token: the model's temperature-1 probability, the top-5 candidates, a copy of
each layer's attention row and the record itself. Rounds alternate off/on (and which goes first) so a
busy machine hurts both alike; the median of the rounds is printed. Two shapes: the nanoGPT-small char
model of bench/llm_chat_fps.py and the "small" word-tokenizer chat model (vocabulary 4,000,
context 128). Prints one JSON object per line. `--no-lens` measures code without the lens
(run it with PYTHONPATH pointing at an older checkout for a before/after comparison).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from hyper_prime_spiral.model.bundle import ModelBundle  # noqa: E402
from hyper_prime_spiral.model.config import ModelConfig  # noqa: E402
from hyper_prime_spiral.model.init import init_params  # noqa: E402
from hyper_prime_spiral.model.sampling import stream  # noqa: E402
from hyper_prime_spiral.model.tokenizer import build_tokenizer  # noqa: E402

CHAR_TEXT = "User: is the sky blue\nAI: yes, the sky is blue.<eot>\n" + "abcdefghijklmnopqrstuvwxyz .,?!'\n"
TOKENS = 300
ROUNDS = 9


def _word_text(words: int = 3998) -> str:
    return " ".join(f"w{i}" for i in range(words)) + "\nUser: AI: <eot>"


def models() -> dict[str, ModelBundle]:
    char = build_tokenizer("char", CHAR_TEXT)
    word = build_tokenizer("word", _word_text(), max_words=4000)
    shapes = {
        "char_ctx64_d128_l4": (char, 64),
        "word4000_ctx128_d128_l4": (word, 128),
    }
    bundles = {}
    for name, (tokenizer, context) in shapes.items():
        config = ModelConfig(
            vocab_size=tokenizer.vocab_size, context_length=context, dim=128, layers=4, heads=4
        )
        bundles[name] = ModelBundle(config, tokenizer, init_params(config))
    return bundles


def tokens_per_s(bundle: ModelBundle, lens: bool) -> tuple[float, float]:
    """(wall-clock tokens/s, CPU-time tokens/s) of one reply of up to TOKENS tokens.

    CPU time (this process, one BLAS thread) is what the lens costs even on a busy machine,
    where wall-clock time mostly measures the other processes.
    """
    kwargs = dict(temperature=1.0, top_k=0, top_p=1.0, max_tokens=TOKENS, seed=1)
    if lens:
        kwargs["lens"] = True
    started, cpu_started = time.perf_counter(), time.process_time()
    pieces = list(stream(bundle, "User: hi\nAI:", **kwargs))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    text = "".join(p for p in pieces if isinstance(p, str))  # the same tokens either way (same seed)
    count = len(bundle.tokenizer.encode(text))
    return count / elapsed, count / cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-lens", action="store_true", help="only lens-off rounds (older code)")
    args = parser.parse_args()
    for name, bundle in models().items():
        tokens_per_s(bundle, False)  # warm-up
        off, on = [], []
        for round_number in range(ROUNDS):
            order = (False, True) if round_number % 2 == 0 else (True, False)  # neither always goes first
            for lens in order:
                if lens and args.no_lens:
                    continue
                (on if lens else off).append(tokens_per_s(bundle, lens))
        line: dict[str, object] = {"bench": "llm_lens_speed", "model": name}
        for kind, column in (("wall", 0), ("cpu", 1)):
            off_rate = statistics.median(r[column] for r in off)
            line[f"lens_off_tokens_per_s_{kind}"] = round(off_rate, 1)
            if on:
                on_rate = statistics.median(r[column] for r in on)
                line[f"lens_on_tokens_per_s_{kind}"] = round(on_rate, 1)
                line[f"lens_on_slowdown_{kind}"] = round(1 - on_rate / off_rate, 3)
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
