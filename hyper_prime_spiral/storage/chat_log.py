"""Conversations on disk: exports (Markdown and JSON, named by date) and the autosave of the last chat.

Exports go to the user's documents folder (platformdirs), in a `hyper-prime-spiral` folder,
so a person finds them where their other documents are. The autosave lives beside the
settings file and is replaced after every reply, so a chat survives a crash or a hasty quit;
the LLM tab offers it back at the next start. Every write goes through a temporary file and a rename,
so a failed write never leaves half a file, and every error names its file.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs

from hyper_prime_spiral.model.chat_format import AI_ROLE, USER_ROLE, Turn
from hyper_prime_spiral.settings import config_dir

APP_NAME = "hyper-prime-spiral"
FORMAT_NAME = "hyper-prime-spiral-chat"
FORMAT_VERSION = 1
AUTOSAVE_FILE = "last-chat.json"
MAX_CHAT_BYTES = 16 * 1024 * 1024  # a chat file larger than this is not one of ours


class ChatFileError(ValueError):
    """A conversation file cannot be written or read; the message names the file."""


@dataclass(frozen=True)
class Conversation:
    """The turns of a chat plus what a reader wants to know about them."""

    turns: tuple[Turn, ...]
    model: str | None = None
    saved: str | None = None  # ISO time of the save
    settings: dict[str, Any] | None = None  # the sampling values in use


def documents_folder() -> Path:
    return platformdirs.user_documents_path() / APP_NAME


def autosave_path() -> Path:
    """Beside the settings file (so `$HYPER_PRIME_SPIRAL_CONFIG_DIR` moves both, as tests need)."""
    return config_dir() / AUTOSAVE_FILE


def to_markdown(chat: Conversation) -> str:
    lines = ["# Chat with " + (chat.model or "the model"), ""]
    if chat.saved:
        lines += [f"Saved {chat.saved}.", ""]
    for turn in chat.turns:
        lines += [f"**{turn.role}:** {turn.text}", ""]  # **User:** / **AI:**
    return "\n".join(lines)


def to_json(chat: Conversation) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "model": chat.model,
        "saved": chat.saved,
        "settings": chat.settings or {},
        "turns": [{"role": t.role, "text": t.text} for t in chat.turns],
    }


def from_json(doc: Any, source: Path) -> Conversation:
    """Check and read a document written by `to_json`; ChatFileError naming `source` if it is not one."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise ChatFileError(f"{source}: not a hyper-prime-spiral chat file")
    if doc.get("version") != FORMAT_VERSION:
        raise ChatFileError(f"{source}: unknown chat format version {doc.get('version')!r}")
    turns = doc.get("turns")
    if not isinstance(turns, list):
        raise ChatFileError(f"{source}: 'turns' is missing or not a list")
    read = []
    for index, item in enumerate(turns):
        role = item.get("role") if isinstance(item, dict) else None
        text = item.get("text") if isinstance(item, dict) else None
        if role not in (USER_ROLE, AI_ROLE) or not isinstance(text, str):
            raise ChatFileError(f"{source}: turn {index + 1} is not a {{role, text}} pair")
        read.append(Turn(role, text))
    model = doc.get("model") if isinstance(doc.get("model"), str) else None
    saved = doc.get("saved") if isinstance(doc.get("saved"), str) else None
    settings = doc.get("settings") if isinstance(doc.get("settings"), dict) else None
    return Conversation(tuple(read), model, saved, settings)


def _write_atomic(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise ChatFileError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _free_stem(folder: Path, stem: str) -> str:
    """`stem`, or `stem-2`, `stem-3`...: neither the .md nor the .json of an earlier save is replaced."""
    candidate, n = stem, 1
    while (folder / f"{candidate}.md").exists() or (folder / f"{candidate}.json").exists():
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def export_conversation(chat: Conversation, folder: Path | None = None, when: datetime | None = None) -> Path:
    """Write `chat-YYYY-MM-DD-HHMMSS.md` and `.json` into `folder`; returns the Markdown path."""
    if not chat.turns:
        raise ChatFileError("the chat is empty: nothing to save")
    folder = folder if folder is not None else documents_folder()
    when = when or datetime.now()
    stamped = Conversation(chat.turns, chat.model, when.isoformat(timespec="seconds"), chat.settings)
    stem = _free_stem(folder, when.strftime("chat-%Y-%m-%d-%H%M%S"))
    _write_atomic(folder / f"{stem}.json", json.dumps(to_json(stamped), indent=2, ensure_ascii=False) + "\n")
    _write_atomic(folder / f"{stem}.md", to_markdown(stamped))
    return folder / f"{stem}.md"


def read_conversation(path: Path) -> Conversation:
    """Read a chat JSON file (an export or the autosave)."""
    try:
        if path.stat().st_size > MAX_CHAT_BYTES:
            raise ChatFileError(f"{path}: too large for a chat file")
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChatFileError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ChatFileError(f"{path}: cannot read: {exc}") from exc
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ChatFileError(f"{path}: not valid JSON (line {exc.lineno})") from None
    return from_json(doc, path)


def autosave(chat: Conversation, path: Path | None = None) -> Path:
    """Replace the autosave with `chat` (an empty chat is not saved: the last real one stays)."""
    path = path or autosave_path()
    if chat.turns:
        saved = Conversation(
            chat.turns, chat.model, datetime.now().isoformat(timespec="seconds"), chat.settings
        )
        _write_atomic(path, json.dumps(to_json(saved), ensure_ascii=False))
    return path


def load_autosave(path: Path | None = None) -> Conversation | None:
    """The autosaved chat, or None when there is none; ChatFileError when it is damaged."""
    path = path or autosave_path()
    if not path.exists():
        return None
    chat = read_conversation(path)
    return chat if chat.turns else None
