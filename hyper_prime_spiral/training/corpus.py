"""Loading training text: UTF-8 files joined into one string, with one clear error type."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from hyper_prime_spiral.regular_files import read_regular_file

FILE_SEPARATOR = "\n\n"  # files are joined like conversations: separated by a blank line
BINARY_SNIFF_BYTES = 8192


class CorpusError(ValueError):
    """A corpus file cannot be used (the message names the file and the problem)."""


def read_text_file(path: str | os.PathLike[str]) -> str:
    """The text of one UTF-8 file (a BOM is dropped); CorpusError if unusable."""
    p = Path(path)
    if not p.exists():
        raise CorpusError(f"{p}: no such file")
    if p.is_dir():
        raise CorpusError(f"{p}: is a folder, not a text file")
    try:
        data = read_regular_file(p)  # never a pipe or a device: they block or never end
    except OSError as exc:
        raise CorpusError(f"{p}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise CorpusError(f"{p}: the file is empty")
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise CorpusError(f"{p}: looks like a binary file, not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{p}: not UTF-8 text (undecodable byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n")


def load_corpus(paths: Iterable[str | os.PathLike[str]]) -> str:
    """All files' text, in the given order, separated by a blank line."""
    paths = list(paths)
    if not paths:
        raise CorpusError("no corpus files given")
    return FILE_SEPARATOR.join(read_text_file(p).strip("\n") for p in paths)
