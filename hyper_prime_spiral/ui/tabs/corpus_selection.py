"""The Training tab's data: which .txt files are listed, which are ticked, and their size in tokens.

Why its own object: listing the corpus folders, adding a typed or browsed path, keeping ticks
across rescans and restarts, and counting tokens in the background are one concern, apart
from the parameters and from running a job. Files come from `training.corpus_files`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hyper_prime_spiral.formatting import format_count, format_size
from hyper_prime_spiral.training.corpus import CorpusError
from hyper_prime_spiral.training.corpus_files import (
    CorpusFile,
    TokenCounter,
    corpus_folders,
    discover_corpus_files,
    resolve_user_path,
)
from hyper_prime_spiral.ui.folder_paths import complete_field, expand_path
from hyper_prime_spiral.ui.tabs.base import TabHost
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.check_list import CheckList
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker
from hyper_prime_spiral.ui.widgets.text_input import TextInput


class CorpusSelection:
    """`corpus` (listed files), `file_list` (their ticks), `path_field` + Add / Browse..., and
    `selection_text` (files, bytes, tokens of the ticked ones; tokens as `tokenizer_kind()` counts)."""

    def __init__(self, host: TabHost, tokenizer_kind: Callable[[], str]) -> None:
        self.host = host
        self.tokenizer_kind = tokenizer_kind
        self.path_field = TextInput(
            label="Add a file or folder (Tab completes):",
            placeholder="path/to/file.txt or folder",
            max_length=1000,
            on_submit=lambda _field: self.add_path(),
            on_tab=lambda field: complete_field(field, files=True),
        )
        self.rescan_button = Button(label="Rescan", on_click=lambda: self.rescan(announce=True))
        self.all_button = Button(label="Select all", on_click=lambda: self.file_list.set_all(True))
        self.none_button = Button(label="None", on_click=lambda: self.file_list.set_all(False))
        self.add_button = Button(label="Add", on_click=self.add_path)
        self.browse_button = Button(label="Browse...", on_click=self.browse)
        self.file_list = CheckList(
            empty_text="No .txt files in the folders listed (see the status line after Rescan)",
            on_change=lambda _list: self.selection_changed(),
        )
        self.corpus: list[CorpusFile] = []
        self.added: list[CorpusFile] = []
        self.counter = TokenCounter()
        self.selection_text = ""
        self._count_generation = 0
        self._saved_selection: list[str] | None = None

    @property
    def buttons(self) -> list[Button]:
        return [self.rescan_button, self.all_button, self.none_button, self.add_button, self.browse_button]

    # --- settings file ---------------------------------------------------------------------
    def load(self, section: dict[str, Any]) -> None:
        """The ticks and the added paths of last time (an added file that is gone is dropped)."""
        if isinstance(section.get("selected"), list):
            self._saved_selection = [str(p) for p in section["selected"]]
        for text in section.get("added", []) if isinstance(section.get("added"), list) else []:
            try:
                self._remember_added(resolve_user_path(str(text)))
            except CorpusError:
                pass  # a file added last time is gone: drop it quietly

    def values(self) -> dict[str, Any]:
        return {
            "selected": [str(f.path) for f in self.selected_files()],
            "added": [str(f.path) for f in self.added],
        }

    # --- listing -----------------------------------------------------------------------------
    def _remember_added(self, items: list[CorpusFile]) -> list[CorpusFile]:
        known = {_key(f.path) for f in self.added}
        fresh = [f for f in items if _key(f.path) not in known]
        self.added.extend(fresh)
        return fresh

    def folders_text(self) -> str:
        """Which folders the list shows, for the status line (users' own files go in the last)."""
        return "; ".join(f"{folder} ({origin})" for folder, origin in corpus_folders())

    def rescan(self, announce: bool = False) -> None:
        """List the corpus folders again (and the added files), keeping ticks by path; `announce`
        says on the status line which folders were listed."""
        if self.corpus:
            checked = {_key(f.path) for f in self.selected_files()}
        elif self._saved_selection is not None:
            checked = {_key(Path(p)) for p in self._saved_selection}
        else:
            checked = None  # first start ever: tick everything found
        found = discover_corpus_files()
        seen = {_key(f.path) for f in found}
        found += [f for f in self.added if _key(f.path) not in seen and f.path.is_file()]
        self.corpus = found
        names = [f.name for f in found]
        labels = []
        for item in found:
            label = f"{item.name} · {format_size(item.size)}"
            if names.count(item.name) > 1 or item.origin == "added":
                label += f" · {item.origin}"
            labels.append(label)
        ticks = [i for i, f in enumerate(found) if checked is None or _key(f.path) in checked]
        self.file_list.set_items(labels, ticks)
        self.selection_changed()
        if announce:
            self.host.set_status(f"Listed {len(found)} .txt files from {self.folders_text()}.")

    def selected_files(self) -> list[CorpusFile]:
        return [self.corpus[i] for i in sorted(self.file_list.checked) if i < len(self.corpus)]

    # --- adding --------------------------------------------------------------------------------
    def browse(self) -> None:
        """The in-app folder picker; the chosen folder's .txt files are added, ticked."""
        typed = self.path_field.text.strip()
        start = expand_path(typed) if typed else Path.cwd() / "data" / "training"
        picker = FolderPicker(start, on_choose=self._folder_chosen, title="Choose a folder of .txt files")
        self.host.open_dialog(picker)

    def _folder_chosen(self, folder: Path) -> None:
        self.path_field.set_text(str(folder))
        self.add_path()

    def add_path(self) -> None:
        """Add the typed file (or a folder's .txt files) to the list, ticked."""
        try:
            items = resolve_user_path(self.path_field.text)
        except CorpusError as exc:
            self.host.set_status(f"Cannot add: {exc}", error=True)
            return
        self._remember_added(items)
        ticked = {_key(f.path) for f in self.selected_files()} | {_key(f.path) for f in items}
        self._saved_selection = None
        self.rescan()
        ticks = [i for i, f in enumerate(self.corpus) if _key(f.path) in ticked]
        self.file_list.set_items(self.file_list.items, ticks)
        self.selection_changed()
        self.path_field.clear()
        self.host.set_status(
            f"Added {len(items)} file{'s' if len(items) != 1 else ''} from {items[0].path.parent}."
        )

    # --- size ---------------------------------------------------------------------------------
    def selection_changed(self) -> None:
        """Update the size line at once and count tokens in the background."""
        self._count_generation += 1
        files = self.selected_files()
        if not files:
            self.selection_text = f"No files selected (of {len(self.corpus)})"
            return
        head = f"{len(files)} of {len(self.corpus)} files · {format_size(sum(f.size for f in files))}"
        self.selection_text = f"{head} · counting tokens..."
        generation, kind = self._count_generation, self.tokenizer_kind()

        def done(count: int) -> None:
            if generation == self._count_generation:
                about = "about " if kind == "bpe" else ""  # learnt from the selection at the start
                self.selection_text = f"{head} · {about}{format_count(count)} {kind} tokens"

        def failed(exc: BaseException) -> None:
            if generation == self._count_generation:
                self.selection_text = f"{head} · tokens: {exc}"

        self.host.run_in_background(
            self.counter.count, [f.path for f in files], kind, on_done=done, on_error=failed
        )


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))
