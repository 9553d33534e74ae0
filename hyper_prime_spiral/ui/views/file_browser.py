"""The Research tab's model (no pygame): folder listings with filter and sort, and a lazy text reader.

``list_folder`` returns sub-folders first, then files, filtered by a case-insensitive substring and
sorted by name / size / date / type in either direction. ``LazyTextFile`` never reads a whole file:
it indexes line starts chunk by chunk only as far as the viewer has scrolled (plus a little work per
frame), so a multi-gigabyte log opens instantly.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

SORT_KEYS = ("name", "size", "date", "type")
_TYPES = {
    ".txt": "Text",
    ".md": "Markdown",
    ".json": "JSON",
    ".jsonl": "JSON lines",
    ".csv": "CSV",
    ".log": "Log",
    ".c": "C Code",
    ".h": "C Code",
    ".py": "Python",
    ".sh": "Shell",
    ".toml": "TOML",
    ".safetensors": "Tensors",
}
_CHUNK = 1 << 20
MAX_LINE_CHARS = 400


def file_type(path: Path) -> str:
    """Human name of a file's type from its suffix ('Other' when unknown, 'Folder' for folders)."""
    if path.is_dir():
        return "Folder"
    return _TYPES.get(path.suffix.lower(), "Other")


@dataclass(frozen=True)
class Entry:
    path: Path
    name: str
    is_dir: bool
    size: int
    modified: float
    kind: str

    @property
    def modified_text(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(self.modified))


class BrowserError(OSError):
    """A folder that cannot be listed; the message is for the user."""


def list_folder(
    folder: Path, query: str = "", sort_key: str = "name", descending: bool = False
) -> list[Entry]:
    """Entries of ``folder`` (hidden names skipped), folders first, filtered and sorted."""
    if sort_key not in SORT_KEYS:
        raise ValueError(f"sort key must be one of {SORT_KEYS}, got {sort_key!r}")
    folder = Path(folder)
    if not folder.exists():
        raise BrowserError(f"No such folder: {folder}")
    if not folder.is_dir():
        raise BrowserError(f"Not a folder: {folder}")
    entries: list[Entry] = []
    needle = query.strip().lower()
    try:
        with os.scandir(folder) as scan:
            for item in scan:
                if item.name.startswith(".") or (needle and needle not in item.name.lower()):
                    continue
                try:
                    stat = item.stat()
                    is_dir = item.is_dir()
                except OSError:
                    continue
                path = Path(item.path)
                kind = "Folder" if is_dir else _TYPES.get(path.suffix.lower(), "Other")
                entries.append(
                    Entry(path, item.name, is_dir, 0 if is_dir else stat.st_size, stat.st_mtime, kind)
                )
    except PermissionError as exc:
        raise BrowserError(f"No permission to read {folder}") from exc
    keys = {
        "name": lambda e: e.name.lower(),
        "size": lambda e: (e.size, e.name.lower()),
        "date": lambda e: (e.modified, e.name.lower()),
        "type": lambda e: (e.kind, e.name.lower()),
    }
    entries.sort(key=keys[sort_key], reverse=descending)
    return [e for e in entries if e.is_dir] + [e for e in entries if not e.is_dir]


class LazyTextFile:
    """Line access to a text file without reading it whole: line offsets are indexed on demand."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self._starts = [0]  # byte offset of each known line start
        self._scanned = 0  # bytes indexed so far
        self.complete = self.size == 0
        with open(self.path, "rb") as handle:
            self.binary = b"\0" in handle.read(4096)

    @property
    def known_lines(self) -> int:
        """Lines indexed so far (the total once ``complete``)."""
        if self.complete:
            last_empty = self.size > 0 and self._starts[-1] == self.size
            return len(self._starts) - (1 if last_empty else 0)
        return len(self._starts) - 1

    def index_more(self, max_bytes: int = _CHUNK) -> bool:
        """Index up to ``max_bytes`` more; returns True when the whole file is indexed."""
        if self.complete:
            return True
        with open(self.path, "rb") as handle:
            handle.seek(self._scanned)
            chunk = handle.read(max_bytes)
        base = self._scanned
        pos = chunk.find(b"\n")
        while pos != -1:
            self._starts.append(base + pos + 1)
            pos = chunk.find(b"\n", pos + 1)
        self._scanned += len(chunk)
        if not chunk or self._scanned >= self.size:
            self.complete = True
        return self.complete

    def ensure(self, line_count: int) -> None:
        """Index until at least ``line_count`` lines are known (or the file ends)."""
        while not self.complete and self.known_lines < line_count:
            self.index_more()

    def lines(self, first: int, count: int) -> list[str]:
        """Lines first..first+count-1 (0-based), decoded as UTF-8 with replacement, cut to 400 chars."""
        if count <= 0:
            return []
        self.ensure(first + count + 1)
        last = min(first + count, self.known_lines)
        if first >= last:
            return []
        start = self._starts[first]
        end = self._starts[last] if last < len(self._starts) else self.size
        with open(self.path, "rb") as handle:
            handle.seek(start)
            raw = handle.read(min(end - start, 16 << 20))
        text = raw.decode("utf-8", errors="replace").replace("\t", "    ")
        out = text.split("\n")[: last - first]
        return [line.rstrip("\r")[:MAX_LINE_CHARS] for line in out]
