"""Chat quality of the default recipe: train with the `train` command, then ask held-out questions.

    python bench/chat_quality.py [--tokenizer bpe|word|char] [--minutes 10] [--workers N] [--keep DIR]
    python bench/chat_quality.py --model DIR     # a model trained before (e.g. the built-in one)

Trains exactly as a user's `hyper-prime-spiral train` does (training/presets.py's CHAT_RECIPE:
the "small" size, context 192, batch 16, peak learning rate 4e-3, keep-best weights) on the
built-in model's corpora (tools/build_builtin_model.py's CORPORA) for `--minutes`; only the
tokenizer may change, so `--tokenizer word` and the default `bpe` on the same budget compare.
They compare by validation bits per character: the kept weights' validation loss (nats per
token, on the trainer's held-out blocks) times the corpus's tokens per character, over ln 2.
A word model's figure flatters it slightly: characters behind `<unk>` are never spelled.

Then the 33 held-out questions (bench/heldout_questions.json) go through the `chat --json`
command in fresh conversations (bench/chat_heldout.py): 20 topic questions (on topic when a key
word starts a word of the answer) and 13 number questions judged exactly against the prime
engine (bench/number_answers.py). Prints JSON lines: the train command's evaluations, one line
per question, then a summary. `load_avg` says how busy the machine was.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO / "tools"))

from build_builtin_model import CORPORA  # noqa: E402
from chat_heldout import ask_heldout  # noqa: E402

DATA = REPO / "data" / "training"


def emit(record: dict) -> None:
    print(json.dumps(record), flush=True)


def unigram_entropy(ids: np.ndarray) -> float:
    """Entropy (nats) of the token frequencies of `ids`: the loss of the best context-free guess."""
    counts = np.bincount(np.asarray(ids, dtype=np.int64))
    p = counts[counts > 0] / counts.sum()
    return float(-(p * np.log(p)).sum())


def train(args: argparse.Namespace, out: Path) -> None:
    """Run the train command as a user would; its evaluation lines are passed through."""
    command = [sys.executable, "-m", "hyper_prime_spiral", "train", *map(str, corpus_paths(args))]
    command += ["--out", str(out), "--json", "--minutes", str(args.minutes), "--tokenizer", args.tokenizer]
    command += ["--seed", str(args.seed)] + (["--workers", str(args.workers)] if args.workers else [])
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            event = json.loads(line)
            if event.get("event") in ("eval", "done", "error"):
                emit(event)
    if process.returncode != 0:
        raise SystemExit(f"chat_quality: training failed with status {process.returncode}")


def corpus_paths(args: argparse.Namespace) -> list[Path]:
    return [DATA / name for name in args.corpora]


def measure(model: Path, args: argparse.Namespace) -> dict:
    """Validation loss per character (comparable across tokenizers) and the held-out answers."""
    from hyper_prime_spiral.storage import load_model
    from hyper_prime_spiral.training.corpus import load_corpus

    bundle = load_model(model)
    record = bundle.training
    text = load_corpus(corpus_paths(args))
    ids = bundle.tokenizer.encode(text)
    tokens_per_char = len(ids) / len(text)
    records, counts = ask_heldout(model, args.temperature, args.seed)
    for item in records:
        emit(item)
    val = record.val_loss if record.val_loss is not None else float("nan")
    return {
        "summary": "chat_quality",
        "model": str(model),
        "tokenizer": bundle.tokenizer.kind,
        "vocab_size": bundle.config.vocab_size,
        "parameters": bundle.n_params,
        "number_places": bundle.config.number_places,
        "corpora": record.corpus_files,
        "val_loss_nats_per_token": round(val, 4),
        "val_bits_per_char": round(val * tokens_per_char / math.log(2), 4),
        "unigram_bits_per_char": round(unigram_entropy(ids) * tokens_per_char / math.log(2), 4),
        "chars_per_token": round(1 / tokens_per_char, 3),
        **counts,
        "steps": record.steps,
        "kept_step": record.kept_step,
        "tokens_per_s": record.tokens_per_s,
        "temperature": args.temperature,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="measure this trained model instead of training one")
    parser.add_argument("--tokenizer", choices=("bpe", "word", "char"), default="bpe")
    parser.add_argument("--minutes", type=float, default=10.0, help="training budget")
    parser.add_argument("--workers", type=int, default=0, help="training processes (0: every core)")
    parser.add_argument("--corpora", nargs="+", default=list(CORPORA), help="files in data/training")
    parser.add_argument("--keep", type=Path, help="keep the trained model in this directory")
    parser.add_argument("--temperature", type=float, default=None, help="default: the chat command's")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.model is not None and not args.model.is_dir():
        parser.error(f"--model: no model directory at {args.model}")
    missing = [p for p in corpus_paths(args) if not p.is_file()]
    if missing:
        parser.error(f"no such corpus: {', '.join(map(str, missing))}")
    if args.model is not None:
        emit(measure(args.model, args))
        return 0
    with tempfile.TemporaryDirectory(prefix="chat-quality-") as scratch:
        out = args.keep or Path(scratch) / f"chat-quality-{args.tokenizer}"
        train(args, out)
        emit(measure(out, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
