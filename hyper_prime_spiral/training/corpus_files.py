"""Finding corpus files and sizing a selection, for the Training tab's file list.

Searched folders, in order: `data/training/` of the working folder, the corpora shipped with
the package (`hyper_prime_spiral/corpora/` in a wheel; the repository's `data/training/` in an
editable install) and the user data folder's `data/`, where users drop their own `.txt` files.
Token counts are cheap but exact for the tokenizer kind (characters for
`char`, word/punctuation pieces for `word`) and cached per file version, so re-counting
after a click costs nothing. A BPE's vocabulary is learnt from the whole selection when
training starts, so its count is an estimate (characters / BPE_CHARS_PER_TOKEN).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import hyper_prime_spiral
from hyper_prime_spiral import user_folders
from hyper_prime_spiral.model.tokenizer import split_words
from hyper_prime_spiral.training.corpus import CorpusError, read_text_file

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


def shipped_corpus_folder() -> Path:
    """The corpora that come with the app: package data in a wheel, data/training in a checkout."""
    package = Path(hyper_prime_spiral.__file__).resolve().parent
    packaged = package / "corpora"
    return packaged if packaged.is_dir() else package.parent / "data" / "training"


def corpus_folders(cwd: Path | None = None) -> list[tuple[Path, str]]:
    """(folder, origin label) in search order, without duplicates; folders may not exist."""
    cwd = cwd or Path.cwd()
    candidates = [
        (cwd / "data" / "training", "working folder"),
        (shipped_corpus_folder(), "shipped"),
        (user_folders.user_corpus_folder(), "user data"),
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


def listed_corpus(name: str, cwd: Path | None = None) -> Path | None:
    """The corpus file called `name` in the search folders (a bare file name, as the Training tab
    lists it), or None; lets `train chat_corpus.txt` find a shipped corpus from any folder."""
    if Path(name).name != name:
        return None
    matches = [f.path for f in discover_corpus_files(cwd) if f.name == name]
    return matches[0] if matches else None


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
