"""`hyper-prime-spiral generate` (placeholder until its issue lands)."""

from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("generate", help="not implemented yet")


def run(args: argparse.Namespace) -> int:
    raise SystemExit("hyper-prime-spiral generate: not implemented yet")
