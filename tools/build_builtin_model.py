"""Rebuild the built-in chat model that ships inside the package (hyper_prime_spiral/builtin/).

    python tools/build_builtin_model.py [--minutes 10] [--workers N] [--seed 0]
    python tools/build_builtin_model.py --from DIR    # package a model already trained this way

It runs `hyper-prime-spiral train` with the default recipe (training/presets.py's CHAT_RECIPE:
its tokenizer, the "small" size, context, batch, learning rate and a time budget of
`--minutes`, 10 by default) on the shipped corpora, then writes the kept weights without the
optimizer state (the app never needs it: continuing the built-in model starts a fresh optimizer
in a copy) to hyper_prime_spiral/builtin/prime-chat/, replacing the previous one atomically.
Training takes the budget (10 minutes) plus about half a minute of start-up and saving; the
weights saved are those of the lowest validation loss of the run. Progress: the train
command's JSON lines; then one JSON line describing the result. Fails (status 1) when the
model is larger than MAX_BYTES (the package must stay small). `--from DIR` skips training and
packages DIR, a model `hyper-prime-spiral train` made on CORPORA (checked), so the best of
several runs can ship; the README says which runs there were.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# number_facts.txt is left out: memorised number facts teach guessing where a tool call answers exactly.
CORPORA = ("large_corpus.txt", "chat_corpus.txt")
NAME = "prime-chat"
MAX_BYTES = 16 * 1024 * 1024


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(REPO))
    from hyper_prime_spiral.cli import main as cli_main
    from hyper_prime_spiral.storage import load_model, save_model
    from hyper_prime_spiral.storage.search import BUILTIN_FOLDER
    from hyper_prime_spiral.training.presets import CHAT_RECIPE

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=CHAT_RECIPE.minutes, help="training budget")
    parser.add_argument("--workers", type=int, default=None, help="training processes (default: all cores)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=BUILTIN_FOLDER / NAME, help="where to write the model")
    parser.add_argument("--from", dest="source", type=Path, help="package this trained model instead")
    args = parser.parse_args(argv)
    corpora = [REPO / "data" / "training" / name for name in CORPORA]

    if args.source is not None:
        bundle = load_model(args.source)
        trained_on = [Path(name).name for name in bundle.training.corpus_files]
        if trained_on != list(CORPORA):
            print(
                f"build_builtin_model: {args.source} was trained on {trained_on}, not {list(CORPORA)}",
                file=sys.stderr,
            )
            return 2
        built_by = "tools/build_builtin_model.py --from (a `train` run of the default recipe)"
    else:
        with tempfile.TemporaryDirectory(prefix="builtin-model-") as scratch:
            trained = Path(scratch) / NAME
            command = ["train", *map(str, corpora), "--out", str(trained), "--json"]
            command += ["--minutes", str(args.minutes), "--seed", str(args.seed)]
            if args.workers:
                command += ["--workers", str(args.workers)]
            status = cli_main(command)
            if status != 0:
                return status
            bundle = load_model(trained)
        built_by = "tools/build_builtin_model.py"
    record = dataclasses.replace(bundle.training, built_by=built_by, corpus_files=list(CORPORA))
    bundle = dataclasses.replace(bundle, optimizer=None, training=record, path=None)
    path = save_model(args.out, bundle, overwrite=True)
    size = sum(f.stat().st_size for f in path.iterdir())
    print(
        json.dumps(
            {
                "event": "built-in model",
                "path": str(path),
                "bytes": size,
                "parameters": bundle.n_params,
                "tokenizer": bundle.tokenizer.kind,
                "vocab_size": bundle.config.vocab_size,
                "steps": record.steps,
                "kept_step": record.kept_step,
                "val_loss": record.val_loss,
            }
        )
    )
    if size > MAX_BYTES:
        print(f"build_builtin_model: {path} is {size:,} bytes, over {MAX_BYTES:,}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
