"""`hyper-prime-spiral models` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("models", help="not implemented yet")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("hyper-prime-spiral models: not implemented yet")
