"""`hyper-prime-spiral models [--json]`: every model found in the search order, and the folders searched."""

from __future__ import annotations

import argparse
import json
import sys

from hyper_prime_spiral.commands import UsageError
from hyper_prime_spiral.formatting import format_count
from hyper_prime_spiral.storage.search import ModelInfo, models_in_folders, search_folders


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list the saved models found and the folders searched")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    # SUPPRESS keeps `hyper-prime-spiral --model X models` working as well as `models --model X`.
    parser.add_argument("--model", metavar="PATH", default=argparse.SUPPRESS, help="also search this path")


def _format_params(n: int | None) -> str:
    return "-" if n is None else format_count(n)


def _format_loss(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _table(models: list[ModelInfo]) -> list[str]:
    """Aligned rows of valid models (the path last, unpadded)."""
    header = ("NAME", "PARAMS", "TOKENIZER", "STEPS", "VAL LOSS", "UPDATED", "PATH")
    rows = [header]
    for m in models:
        steps = "-" if m.steps is None else str(m.steps)
        rows.append(
            (
                m.name,
                _format_params(m.n_params),
                m.tokenizer_kind or "-",
                steps,
                _format_loss(m.val_loss),
                m.updated or "-",
                str(m.path),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1])
    return lines


def run(args: argparse.Namespace) -> int:
    explicit = getattr(args, "model", None)
    folders = search_folders(explicit)
    models = models_in_folders(folders)
    if explicit:
        named = [m for m in models if m.origin == "--model"]
        if not any(m.valid for m in named) and named:
            raise UsageError(named[0].error)  # one line, exit status 2: the named model is unusable
    valid = [m for m in models if m.valid]
    invalid = [m for m in models if not m.valid]
    if args.json:
        document = {
            "folders": [f.to_json() for f in folders],
            "models": [m.to_json() for m in valid],
            "invalid": [m.to_json() for m in invalid],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        out = ["Folders searched (in order):"]
        out += [f"  {f.path}  [{f.origin}{'' if f.path.exists() else ', missing'}]" for f in folders]
        out.append("")
        out += _table(valid) if valid else ["No models found."]
        if invalid:
            out += ["", "Invalid (skipped):"] + [f"  {m.name}: {m.error}" for m in invalid]
        sys.stdout.write("\n".join(out) + "\n")
    return 0
