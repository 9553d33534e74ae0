"""Filesystem helpers for the LLM tab's path field and folder picker (no pygame, easy to test).

Why here: Tab completion and folder listing are UI conveniences, not storage rules; they only
look at directory names and never open a model.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


def expand_path(text: str) -> Path:
    """What the user typed, with `~` expanded (surrounding blanks and quotes ignored)."""
    return Path(os.path.expanduser(text.strip().strip("'\"")))


def complete_path(text: str, *, files: bool = False) -> str | None:
    """The path field's text completed to the longest unambiguous name, or None.

    Only folders are offered unless `files` (a model is a folder; the Training tab also adds
    text files). A unique folder gets a trailing "/" so the next Tab continues inside it.
    None means "nothing to add", so Tab can move focus instead.
    """
    if not text.strip():
        return None
    head, sep, partial = text.rpartition(os.sep)
    folder = expand_path(head + sep) if sep else Path(".")
    try:
        names = sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.startswith(partial)
            and (files or _is_dir(entry))
            and (partial or not entry.name.startswith("."))
        )
    except OSError:
        return None
    if not names:
        return None
    common = os.path.commonprefix(names)
    completed = head + sep + common
    if len(names) == 1 and (folder / names[0]).is_dir():
        completed += os.sep
    return completed if completed != text else None


class _PathField(Protocol):
    text: str

    def set_text(self, text: str) -> None: ...


def complete_field(field: _PathField, *, files: bool = False) -> bool:
    """Tab in a path field: complete its text; False when there is nothing to add (focus moves on)."""
    completed = complete_path(field.text, files=files)
    if completed is None:
        return False
    field.set_text(completed)
    return True


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def list_subfolders(folder: Path, *, show_hidden: bool = False) -> list[Path]:
    """Sub-folders of `folder`, sorted by name (case-insensitive); unreadable -> OSError."""
    found = [
        Path(entry.path)
        for entry in os.scandir(folder)
        if _is_dir(entry) and (show_hidden or not entry.name.startswith("."))
    ]
    return sorted(found, key=lambda p: p.name.lower())


def looks_like_model(folder: Path) -> bool:
    """A cheap hint for the picker (a model folder holds config.json); loading checks properly."""
    return (folder / "config.json").is_file()
