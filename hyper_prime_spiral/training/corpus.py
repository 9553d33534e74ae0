"""Loading training text: UTF-8 files joined into one string, with one clear error type."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from hyper_prime_spiral.model.tokenizer import line_chunks
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
    if not data or data.isspace():  # (not strip(): that copies the whole file)
        raise CorpusError(f"{p}: the file is empty")
    if b"\x00" in data[:BINARY_SNIFF_BYTES]:
        raise CorpusError(f"{p}: looks like a binary file, not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{p}: not UTF-8 text (undecodable byte at offset {exc.start})") from None
    return text.replace("\r\n", "\n")


def id_dtype(vocab_size: int) -> np.dtype:
    """The smallest unsigned type that holds every id (2 bytes per token below 65,536 tokens)."""
    return np.dtype(np.uint16 if vocab_size <= 1 << 16 else np.uint32)


def encode_corpus(tokenizer: Any, text: str) -> np.ndarray:
    """Token ids of a whole corpus in the smallest id type, tokenized chunk by chunk.

    Tokenizing megabytes at once costs several times the text in temporaries (UTF-32 code points,
    int64 indices); chunks keep that bounded, and each chunk's ids go straight into one output
    reserved for a token per character (pages never written are never resident, and it grows if
    a tokenizer gives more), so a corpus costs its text plus a few bytes per token.
    """
    dtype = id_dtype(tokenizer.vocab_size)
    out = np.empty(max(1, len(text)), dtype)
    filled = 0
    for chunk in line_chunks(text):
        ids = np.asarray(tokenizer.encode(chunk))
        if filled + len(ids) > len(out):
            out = np.resize(out, max(2 * len(out), filled + len(ids)))
        out[filled : filled + len(ids)] = ids
        filled += len(ids)
    return out[:filled]


def load_corpus(paths: Iterable[str | os.PathLike[str]]) -> str:
    """All files' text, in the given order, separated by a blank line."""
    paths = list(paths)
    if not paths:
        raise CorpusError("no corpus files given")
    return FILE_SEPARATOR.join(read_text_file(p).strip("\n") for p in paths)
