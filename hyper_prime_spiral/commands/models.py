"""`hyper-prime-spiral models`: list the models found in the search order (and the folders searched);
`models show|rm|cp|import` inspect, remove, copy and import one model."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hyper_prime_spiral.commands import UsageError
from hyper_prime_spiral.formatting import format_count
from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.search import (
    ModelInfo,
    is_builtin,
    model_path_for_name,
    models_in_folders,
    planned_save_folder,
    resolve_model_reference,
    search_folders,
    user_models_folder,
)


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("models", help="list the saved models found and the folders searched")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead of a table")
    # SUPPRESS keeps `hyper-prime-spiral --model X models` working as well as `models --model X`.
    parser.add_argument(
        "--model", metavar="MODEL", default=argparse.SUPPRESS, help="also search this path (or model name)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    show = actions.add_parser("show", help="config, size, training record and a full check of one model")
    show.add_argument("model_ref", metavar="MODEL", help="a model directory, or the name of a model listed")
    # SUPPRESS: `models --json show X` and `models show X --json` both work.
    show.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print JSON")
    rm = actions.add_parser("rm", help="delete a model directory (asks first)")
    rm.add_argument("model_ref", metavar="MODEL", help="a model directory, or the name of a model listed")
    rm.add_argument("--yes", "-y", action="store_true", help="delete without asking")
    cp = actions.add_parser("cp", help="copy a model under a new name into the default models folder")
    cp.add_argument("model_ref", metavar="SRC", help="a model directory, or the name of a model listed")
    cp.add_argument("new_name", metavar="NAME", help="name of the copy")
    imp = actions.add_parser("import", help="check a model directory and copy it into the user models folder")
    imp.add_argument("model_ref", metavar="DIR", help="the model directory to import")
    imp.add_argument("--name", dest="new_name", metavar="NAME", help="name of the copy (default: DIR's name)")


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
                f"{m.name} (built-in)" if m.builtin else m.name,
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
    action = getattr(args, "action", None)
    try:
        if action == "show":
            return _show(args)
        if action == "rm":
            return _remove(args)
        if action in ("cp", "import"):
            return _copy(args)
    except ModelFileError as exc:
        raise UsageError(str(exc)) from None
    return _list(args)


def _show(args: argparse.Namespace) -> int:
    from hyper_prime_spiral.storage.model_ops import inspect_model

    report = inspect_model(resolve_model_reference(args.model_ref, getattr(args, "model", None)))
    if getattr(args, "json", False):
        sys.stdout.write(json.dumps(report.to_json(), indent=2, default=str) + "\n")
        return 0 if report.problem is None else 1
    out = [f"Model:      {report.path}"]
    out.append("Config:     " + ", ".join(f"{k}={v}" for k, v in report.config.items()))
    out.append("Tokenizer:  " + ", ".join(f"{k}={v}" for k, v in report.tokenizer.items()))
    out.append(f"Parameters: {_format_params(report.n_params)}")
    out.append(f"Size:       {report.total_bytes:,} bytes in {len(report.files)} files")
    out.append("Training:" + ("" if report.training else "   (no record)"))
    for key, value in report.training.items():
        shown = json.dumps(value) if isinstance(value, dict | list) else value
        out.append(f"  {key}: {shown}")
    if report.problem is None:
        out.append("Checks:     ok (every checksum and tensor shape)")
    else:
        out.append(f"Checks:     FAILED: {report.problem}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0 if report.problem is None else 1


def _confirm(question: str) -> bool:
    sys.stderr.write(question + " [y/N] ")
    sys.stderr.flush()
    try:
        answer = input()
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes")


def _remove(args: argparse.Namespace) -> int:
    from hyper_prime_spiral.storage.model_ops import remove_model

    path = resolve_model_reference(args.model_ref, getattr(args, "model", None))
    if is_builtin(path):
        raise UsageError(f"{path}: the built-in model comes with the app and is read-only; nothing removed")
    if not args.yes and not _confirm(f"Delete the model {path.name} at {path}?"):
        sys.stderr.write("not removed\n")
        return 1
    remove_model(path)
    sys.stdout.write(f"removed {path}\n")
    return 0


def _copy(args: argparse.Namespace) -> int:
    from hyper_prime_spiral.storage.model_ops import copy_model

    if args.action == "import":
        source = Path(args.model_ref).expanduser().absolute()
        name = args.new_name or source.name
        target = model_path_for_name(name, user_models_folder())
    else:
        source = resolve_model_reference(args.model_ref, getattr(args, "model", None))
        target = model_path_for_name(args.new_name)
    sys.stdout.write(f"copied {source} to {copy_model(source, target)}\n")
    return 0


def _list(args: argparse.Namespace) -> int:
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
            "save_folder": str(planned_save_folder()),
            "folders": [f.to_json() for f in folders],
            "models": [m.to_json() for m in valid],
            "invalid": [m.to_json() for m in invalid],
        }
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
    else:
        out = ["Folders searched (in order):"]
        out += [f"  {f.path}  [{f.origin}{'' if f.path.exists() else ', missing'}]" for f in folders]
        out.append(f"New models are saved in: {planned_save_folder()}")
        out.append("")
        out += _table(valid) if valid else ["No models found."]
        if invalid:
            out += ["", "Invalid (skipped):"] + [f"  {m.name}: {m.error}" for m in invalid]
        sys.stdout.write("\n".join(out) + "\n")
    return 0
