"""Finding corpus files and sizing a selection, for the Training tab's file list.

Searched folders, in order: `data/training/` of the working folder, the repository's own
`data/training/` (present when the package is installed in editable mode) and the user-data
folder's `data/`. Token counts are cheap but exact for the tokenizer kind (characters for
`char`, word/punctuation pieces for `word`) and cached per file version, so re-counting
after a click costs nothing. A BPE's vocabulary is learnt from the whole selection when
training starts, so its count is an estimate (characters / BPE_CHARS_PER_TOKEN).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import platformdirs

import hyper_prime_spiral
from hyper_prime_spiral.model.tokenizer import split_words
from hyper_prime_spiral.training.corpus import CorpusError, read_text_file

APP_NAME = "hyper-prime-spiral"
CORPUS_SUFFIX = ".txt"
#: Characters per token of the default 1,024-token BPE on the shipped corpora (measured: 2.78).
BPE_CHARS_PER_TOKEN = 2.8


@dataclass(frozen=True)
class CorpusFile:
    """One candidate training file: where it is, how big, and which search folder found it."""

    path: Path
    size: int
    origin: str

    @property
    def name(self) -> str:
        return self.path.name


def corpus_folders(cwd: Path | None = None) -> list[tuple[Path, str]]:
    """(folder, origin label) in search order, without duplicates; folders may not exist."""
    cwd = cwd or Path.cwd()
    candidates = [
        (cwd / "data" / "training", "working folder"),
        (Path(hyper_prime_spiral.__file__).resolve().parents[1] / "data" / "training", "shipped"),
        (platformdirs.user_data_path(APP_NAME, appauthor=False) / "data", "user data"),
    ]
    unique, seen = [], set()
    for folder, origin in candidates:
        key = os.path.normcase(os.path.realpath(folder))
        if key not in seen:
            seen.add(key)
            unique.append((folder, origin))
    return unique


def files_in(folder: Path, origin: str = "") -> list[CorpusFile]:
    """Regular `*.txt` files directly in `folder`, sorted by name (none if it does not exist)."""
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name.lower())
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.suffix.lower() != CORPUS_SUFFIX or entry.name.startswith("."):
            continue
        try:
            if entry.is_file():
                found.append(CorpusFile(entry, entry.stat().st_size, origin))
        except OSError:
            continue
    return found


def discover_corpus_files(cwd: Path | None = None) -> list[CorpusFile]:
    """Every `*.txt` of the search folders; the same file (by real path) listed once."""
    found, seen = [], set()
    for folder, origin in corpus_folders(cwd):
        for item in files_in(folder, origin):
            key = os.path.normcase(os.path.realpath(item.path))
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def resolve_user_path(text: str) -> list[CorpusFile]:
    """Files named by a typed path: the file itself, or a folder's `*.txt` files.

    Raises CorpusError with a readable reason (missing, unreadable, empty folder).
    """
    text = text.strip()
    if not text:
        raise CorpusError("type a file or folder path first")
    path = Path(text).expanduser()
    if not path.exists():
        raise CorpusError(f"{path}: no such file or folder")
    if path.is_dir():
        if not os.access(path, os.R_OK | os.X_OK):
            raise CorpusError(f"{path}: the folder cannot be read (permission denied)")
        items = files_in(path, "added")
        if not items:
            raise CorpusError(f"{path}: the folder holds no {CORPUS_SUFFIX} files")
        return items
    if not path.is_file():
        raise CorpusError(f"{path}: not a regular file")
    if not os.access(path, os.R_OK):
        raise CorpusError(f"{path}: the file cannot be read (permission denied)")
    return [CorpusFile(path, path.stat().st_size, "added")]


class TokenCounter:
    """Token counts per (file version, tokenizer kind), cached; safe to call from any thread."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, int, int, str], int] = {}
        self._lock = threading.Lock()

    def count_file(self, path: Path, kind: str) -> int:
        stat = path.stat()
        key = (os.path.realpath(path), stat.st_size, stat.st_mtime_ns, kind)
        with self._lock:
            if key in self._cache:
                return self._cache[key]
        text = read_text_file(path)
        if kind == "bpe":
            count = round(len(text) / BPE_CHARS_PER_TOKEN)
        else:
            count = len(text) if kind == "char" else len(split_words(text))
        with self._lock:
            self._cache[key] = count
        return count

    def count(self, paths: list[Path], kind: str) -> int:
        """Total tokens of the files joined as training joins them (separators ignored)."""
        return sum(self.count_file(p, kind) for p in paths)


def human_size(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def human_count(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1e6:.2f}M"
    if n >= 10_000:
        return f"{n / 1e3:.0f}k"
    return str(n)
