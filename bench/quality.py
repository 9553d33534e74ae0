"""Does the model learn as well as nanoGPT? Its CPU recipe on tiny Shakespeare; JSON lines.

    python bench/quality.py [--steps 2000] [--workers 1] [--corpus bench/data/tinyshakespeare.txt]

nanoGPT (shakespeare_char, CPU command: 4 layers, 4 heads, width 128, context 64, batch 12,
2000 steps, lr 1e-3 -> 1e-4 cosine, warmup 100, AdamW betas (0.9, 0.99), weight decay 0.1,
clip 1.0, no dropout) reports validation loss 1.88, estimated on 20 random batches of its
last-10 % validation split. Same split and recipe here; differences: our vocabulary has
`<unk>`/`<eot>` too (67 vs 65 tokens, never seen in this text), our linears and LayerNorms
have biases (nanoGPT's recipe turns them off). The final validation loss is estimated on
more batches (default 200) so it is less noisy than nanoGPT's 20.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT / "bench" / "data" / "tinyshakespeare.txt"  # nanoGPT's corpus, public domain
NANOGPT_VAL_LOSS = 1.88


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--grad-accum", type=int, default=1)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--final-eval-batches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=1,
        help="in-process BLAS threads (more collapses on a busy machine)",
    )
    args = parser.parse_args()

    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.tokenizer import build_tokenizer
    from hyper_prime_spiral.threads import blas_threads, limit_loaded_libraries
    from hyper_prime_spiral.training.corpus import load_corpus
    from hyper_prime_spiral.training.data import fixed_batches
    from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

    limit_loaded_libraries(args.blas_threads)

    text = load_corpus([args.corpus])
    tokenizer = build_tokenizer("char", text)
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=64, dim=128, layers=4, heads=4, seed=args.seed
    )
    settings = TrainSettings(
        steps=args.steps,
        batch_size=12,
        lr=1e-3,
        min_lr=1e-4,
        warmup=100,
        weight_decay=0.1,
        beta1=0.9,
        beta2=0.99,
        clip=1.0,
        eval_every=args.eval_every,
        eval_batches=20,
        val_spread=False,  # nanoGPT's split: the last 10% of the text
        keep_best=False,  # and its result: the final weights
        seed=args.seed,
        workers=args.workers,
        grad_accum=args.grad_accum,
    )

    def report(event) -> None:
        if event.val_loss is not None:
            line = {
                "bench": "quality",
                "step": event.step,
                "train_loss": round(event.train_loss, 4),
                "val_loss_20": round(event.val_loss, 4),
                "tokens_per_s": round(event.tokens_per_s, 1),
                "elapsed_s": round(event.elapsed_s, 1),
            }
            print(json.dumps(line), flush=True)

    started = time.perf_counter()
    trainer = Trainer(config, tokenizer, tokenizer.encode(text), settings, callback=report)
    result = trainer.run()
    wall = time.perf_counter() - started
    trainer.val_batches = fixed_batches(trainer.val_ids, 12, 64, args.final_eval_batches, seed=args.seed + 99)
    val_loss = trainer.evaluate(result.bundle.params)
    print(
        json.dumps(
            {
                "bench": "quality",
                "event": "final",
                "steps": result.steps,
                "val_loss": round(val_loss, 4),
                "val_batches": args.final_eval_batches,
                "train_loss": round(result.train_loss, 4),
                "nanogpt_val_loss": NANOGPT_VAL_LOSS,
                "meets_target": bool(val_loss <= NANOGPT_VAL_LOSS),
                "wall_s": round(wall, 1),
                "tokens_per_s": result.bundle.training.tokens_per_s,
                "workers": args.workers,
                "blas_threads": blas_threads(),
            }
        ),
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
