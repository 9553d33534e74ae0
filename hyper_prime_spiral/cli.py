"""Command-line entry point: no sub-command opens the app; train / generate / chat / models run headless."""

from __future__ import annotations

import argparse
import importlib
import sys

from hyper_prime_spiral import APP_NAME, __version__
from hyper_prime_spiral.commands import UsageError

SUBCOMMANDS = ("train", "generate", "chat", "models")


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Appends "(default: X)" to an option's help unless the help already names its default,
    or there is nothing to name (a flag, an option that is off unless given)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        nothing = default is None or default is False or default is argparse.SUPPRESS
        if "default" in text or nothing or action.nargs == 0:
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and one line (no usage dump) on bad input."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=APP_NAME,
        description="Prime clock-abacus visualization and a NumPy transformer you can train and chat with.",
        epilog="Without a command the app opens. A prompt that starts with '-' goes after '--': "
        "hyper-prime-spiral generate -- '-hello'.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--model",
        metavar="MODEL",
        help="model to load at start-up: a directory or a name `models` lists (default: the newest found)",
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        help="window size, at least 640x400 (default: the last size, else 1600x900, fitted to the screen)",
    )
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"hyper_prime_spiral.commands.{name}")
        module.add_parser(sub)
    return parser


def _parse_size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--size must look like 1600x900, got {text!r}") from None
    if w < 640 or h < 400:
        raise UsageError(f"--size {text} is too small (minimum 640x400)")
    return w, h


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from hyper_prime_spiral.ui.app import run_app

            size = _parse_size(args.size) if args.size else None
            return run_app(size=size, model_path=args.model)
        module = importlib.import_module(f"hyper_prime_spiral.commands.{args.command}")
        return int(module.run(args) or 0)
    except UsageError as exc:
        sys.stderr.write(f"hyper-prime-spiral: error: {exc}\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("hyper-prime-spiral: interrupted\n")
        return 130
