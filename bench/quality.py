"""Does the model learn as well as nanoGPT? Its CPU config on tiny Shakespeare; JSON lines.

    python bench/quality.py [--recipe both|default|nanogpt] [--steps 2000] [--workers 1]

nanoGPT (shakespeare_char, CPU command: 4 layers, 4 heads, width 128, context 64, batch 12,
2000 steps, lr 1e-3 -> 1e-4 cosine, warmup 100, AdamW betas (0.9, 0.99), weight decay 0.1,
clip 1.0, no dropout) reports validation loss 1.88, estimated on 20 random batches of its
last-10 % validation split. Same model size, batch, context, steps and split here, trained
with two recipes (one line each, `--recipe` picks one):
- `default`: the optimizer recipe a user gets (`training/presets.py` CHAT_RECIPE, which
  `train` and the Training tab use: peak learning rate 4e-3, warmup 100, a cosine to a tenth,
  weight decay 0.1, betas and clip as nanoGPT's). Its bar is TARGET_VAL_LOSS.
- `nanogpt`: nanoGPT's own learning rates (1e-3 -> 1e-4), to compare with its 1.88.
Differences from nanoGPT: our vocabulary has `<unk>`/`<eot>` too (67 vs 65 tokens, never seen
in this text), our linears and LayerNorms have biases (nanoGPT's recipe turns them off). The
final validation loss is estimated on more batches (default 200), so it is less noisy than
nanoGPT's 20. Measured (seed 0): default 1.7768, nanogpt 1.8935; the nanogpt figure is the same
at the first commit that ran this bench, so nothing regressed. The Training tab's own split
(held-out blocks from all through the text) gives lower losses on this corpus (nanogpt
recipe: 1.793), because its validation text comes from the same plays as the training text.
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
TARGET_VAL_LOSS = 1.80  # the default recipe's bar at 2000 steps: speed work must not cost learning
RECIPES = ("default", "nanogpt")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--recipe", choices=[*RECIPES, "both"], default="both")
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
    from hyper_prime_spiral.threads import limit_loaded_libraries
    from hyper_prime_spiral.training.corpus import load_corpus

    limit_loaded_libraries(args.blas_threads)

    text = load_corpus([args.corpus])
    tokenizer = build_tokenizer("char", text)
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=64, dim=128, layers=4, heads=4, seed=args.seed
    )
    for recipe in RECIPES if args.recipe == "both" else (args.recipe,):
        run(recipe, args, config, tokenizer, text)
    return 0


def optimizer_recipe(recipe: str) -> dict[str, float]:
    """Learning rates and weight decay: the user's defaults, or nanoGPT's."""
    if recipe == "nanogpt":
        return {"lr": 1e-3, "min_lr": 1e-4, "warmup": 100, "weight_decay": 0.1}
    from hyper_prime_spiral.training.presets import CHAT_RECIPE

    r = CHAT_RECIPE
    return {"lr": r.lr, "min_lr": r.min_lr, "warmup": r.warmup, "weight_decay": r.weight_decay}


def run(recipe: str, args: argparse.Namespace, config, tokenizer, text: str) -> None:
    from hyper_prime_spiral.threads import blas_threads
    from hyper_prime_spiral.training.data import fixed_batches
    from hyper_prime_spiral.training.trainer import Trainer, TrainSettings

    optimizer = optimizer_recipe(recipe)
    settings = TrainSettings(
        steps=args.steps,
        batch_size=12,
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
        **optimizer,
    )

    def report(event) -> None:
        if event.val_loss is not None:
            line = {
                "bench": "quality",
                "recipe": recipe,
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
    line = {
        "bench": "quality",
        "event": "final",
        "recipe": recipe,
        **optimizer,
        "steps": result.steps,
        "val_loss": round(val_loss, 4),
        "val_batches": args.final_eval_batches,
        "train_loss": round(result.train_loss, 4),
        "nanogpt_val_loss": NANOGPT_VAL_LOSS,
    }
    if recipe == "default":
        line.update(target_val_loss=TARGET_VAL_LOSS, meets_target=bool(val_loss <= TARGET_VAL_LOSS))
    else:
        line["at_most_nanogpt"] = bool(val_loss <= NANOGPT_VAL_LOSS)
    line.update(
        wall_s=round(wall, 1),
        tokens_per_s=result.bundle.training.tokens_per_s,
        workers=args.workers,
        blas_threads=blas_threads(),
        seed=args.seed,
    )
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    sys.exit(main())
