"""Research tab: a file browser (right) over `data/` or any typed folder, and a lazy text viewer (left).

Listing, filtering, sorting and lazy line reading are `ui/views/file_browser.py` (no pygame); this
tab lays out the controls (one rectangle each for drawing and hit-testing), scrolls and draws.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from hyper_prime_spiral.formatting import format_size
from hyper_prime_spiral.training.corpus_files import corpus_folders
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.base import Tab
from hyper_prime_spiral.ui.views.file_browser import (
    SORT_KEYS,
    BrowserError,
    Entry,
    LazyTextFile,
    list_folder,
)
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.text_input import TextInput

ROW_H = 18
LINE_H = 17
WHEEL_LINES = 3
INDEX_BYTES_PER_FRAME = 256 * 1024


def default_folder() -> Path:
    """The first `data/` that exists: the working folder's, then the one the Training tab takes its
    shipped corpora from (so `data/` also works when the app is started elsewhere); else the
    working folder."""
    for folder, _origin in corpus_folders():
        data = folder.parent if folder.name == "training" else folder
        if data.is_dir():
            return data
    return Path.cwd()


class ResearchTab(Tab):
    name = "Research"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.folder = default_folder()
        self.entries: list[Entry] = []
        self.sort_key = "name"
        self.descending = False
        self.list_scroll = 0
        self.selected: Path | None = None
        self.document: LazyTextFile | None = None
        self.view_line = 0
        self.error = ""
        self._mouse: tuple[int, int] | None = None
        self.path_field = TextInput(
            label="Folder:",
            text=str(self.folder),
            max_length=400,
            on_submit=lambda f: self.open_folder(Path(f.text.strip()).expanduser()),
        )
        self.search_field = TextInput(
            label="Search:",
            placeholder="file name contains...",
            max_length=120,
            on_change=lambda f: self.refresh(),
        )
        self.up_button = Button(label="Up", on_click=self.go_up)
        self.refresh_button = Button(label="Refresh", on_click=self.refresh)
        self.home_button = Button(label="data/", on_click=lambda: self.open_folder(default_folder()))
        self.sort_buttons = {
            key: Button(label=key.title(), on_click=lambda k=key: self.set_sort(k)) for key in SORT_KEYS
        }
        self.fields = [self.path_field, self.search_field]
        self.panel_widgets = [
            self.path_field,
            self.search_field,
            self.up_button,
            self.refresh_button,
            self.home_button,
            *self.sort_buttons.values(),
        ]
        self.list_rect = pygame.Rect(0, 0, 10, 10)
        self.refresh()

    # --- browsing ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the folder with the current filter and sort."""
        try:
            self.entries = list_folder(self.folder, self.search_field.text, self.sort_key, self.descending)
            self.error = ""
        except BrowserError as exc:
            self.entries = []
            self.error = str(exc)
            self.app.set_status(self.error, error=True)
        self.list_scroll = min(self.list_scroll, max(0, len(self.entries) - 1))

    def open_folder(self, folder: Path) -> None:
        folder = Path(folder)
        if not folder.is_dir():
            self.app.set_status(f"Not a folder: {folder}", error=True)
            self.path_field.set_text(str(self.folder))
            return
        self.folder = folder.resolve()
        self.path_field.set_text(str(self.folder))
        self.list_scroll = 0
        self.refresh()
        count = len(self.entries)
        self.app.set_status(f"Research folder: {self.folder} ({count} entr{'y' if count == 1 else 'ies'})")

    def go_up(self) -> None:
        parent = self.folder.parent
        if parent != self.folder:
            self.open_folder(parent)

    def set_sort(self, key: str) -> None:
        """Click the active key to flip the direction; another key sorts ascending by it."""
        if key == self.sort_key:
            self.descending = not self.descending
        else:
            self.sort_key, self.descending = key, False
        self.refresh()

    def open_file(self, path: Path) -> None:
        try:
            self.document = LazyTextFile(path)
        except OSError as exc:
            self.app.set_status(f"Cannot open {path.name}: {exc}", error=True)
            return
        self.selected = path
        self.view_line = 0
        note = " (binary: shown as text with replacements)" if self.document.binary else ""
        self.app.set_status(f"Viewing {path.name}, {format_size(self.document.size)}{note}")

    def activate(self, entry: Entry) -> None:
        if entry.is_dir:
            self.open_folder(entry.path)
        else:
            self.open_file(entry.path)

    # --- scrolling -----------------------------------------------------------------------
    @property
    def visible_rows(self) -> int:
        return max(1, (self.list_rect.height - ROW_H - 4) // ROW_H)

    @property
    def visible_lines(self) -> int:
        return max(1, (self.content_rect.height - 110) // LINE_H)

    def scroll_list(self, rows: int) -> None:
        top = max(0, len(self.entries) - self.visible_rows)
        self.list_scroll = max(0, min(top, self.list_scroll + rows))

    def scroll_view(self, lines: int) -> None:
        if self.document is None:
            return
        target = max(0, self.view_line + lines)
        self.document.ensure(target + self.visible_lines)
        top = max(0, self.document.known_lines - self.visible_lines) if self.document.complete else target
        self.view_line = min(target, top)

    # --- layout and input ----------------------------------------------------------------
    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        super().layout(content_rect, panel_rect)
        x, w = panel_rect.x + 10, panel_rect.width - 20
        y = panel_rect.y + 10
        self.path_field.rect = pygame.Rect(x, y + 46, w, 28)
        bw = (w - 16) // 3
        self.up_button.rect = pygame.Rect(x, y + 82, bw, 24)
        self.refresh_button.rect = pygame.Rect(x + bw + 8, y + 82, bw, 24)
        self.home_button.rect = pygame.Rect(x + 2 * (bw + 8), y + 82, bw, 24)
        self.search_field.rect = pygame.Rect(x, y + 134, w, 28)
        sw = (w - 9) // 4
        for i, button in enumerate(self.sort_buttons.values()):
            button.rect = pygame.Rect(x + i * (sw + 3), y + 190, sw, 22)
        self.list_rect = pygame.Rect(x, y + 240, w, max(60, panel_rect.bottom - (y + 240) - 10))

    def row_at(self, pos: tuple[int, int]) -> int:
        """Index into `entries` of the list row under `pos`, or -1."""
        first_row_y = self.list_rect.y + ROW_H + 2
        if not self.list_rect.collidepoint(pos) or pos[1] < first_row_y:
            return -1
        index = self.list_scroll + (pos[1] - first_row_y) // ROW_H
        return index if index < len(self.entries) else -1

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self._mouse = event.pos
        if super().handle_event(event):
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.row_at(event.pos)
            if index >= 0:
                self.activate(self.entries[index])
                return True
        if event.type == pygame.MOUSEWHEEL:
            pos = self._mouse or pygame.mouse.get_pos()
            if self.list_rect.collidepoint(pos):
                self.scroll_list(-event.y * WHEEL_LINES)
                return True
            if self.content_rect.collidepoint(pos):
                self.scroll_view(-event.y * WHEEL_LINES)
                return True
        return False

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        page = self.visible_lines - 1
        steps = {pygame.K_DOWN: 1, pygame.K_UP: -1, pygame.K_PAGEDOWN: page, pygame.K_PAGEUP: -page}
        if event.key in steps:
            self.scroll_view(steps[event.key])
        elif event.key == pygame.K_HOME:
            self.view_line = 0
        elif event.key == pygame.K_END and self.document is not None:
            self.document.ensure(10**12)
            self.scroll_view(10**12)
        elif event.key == pygame.K_BACKSPACE:
            self.go_up()
        else:
            return False
        return True

    def update(self, dt: float) -> None:
        if self.is_active and self.document is not None and not self.document.complete:
            self.document.index_more(INDEX_BYTES_PER_FRAME)  # count lines in the background, a bit per frame

    # --- drawing -------------------------------------------------------------------------
    def draw_content(self, surface: pygame.Surface) -> None:
        rect = self.content_rect
        pygame.draw.rect(surface, (20, 20, 30), rect)
        doc = self.document
        if doc is None or self.selected is None:
            theme.draw_text(
                surface, "Select a file to view its contents", rect.center, theme.TEXT_DIM, anchor="center"
            )
            theme.draw_text(
                surface,
                "Use the file list on the right ->",
                (rect.centerx, rect.centery + 24),
                theme.TEXT_DIM,
                anchor="center",
            )
            return
        x = rect.x + 20
        theme.draw_text(surface, self.selected.name, (x, rect.y + 10), theme.TEXT_BRIGHT, bold=True)
        try:
            modified = Entry(self.selected, "", False, 0, self.selected.stat().st_mtime, "").modified_text
        except OSError:
            modified = "?"
        kind = next((e.kind for e in self.entries if e.path == self.selected), "File")
        theme.draw_text(
            surface,
            f"{kind} | {format_size(doc.size)} | Modified: {modified}",
            (x, rect.y + 32),
            theme.TEXT_DIM,
        )
        pygame.draw.line(surface, (60, 60, 80), (rect.x + 10, rect.y + 54), (rect.right - 10, rect.y + 54))
        lines = doc.lines(self.view_line, self.visible_lines)
        top = rect.y + 62
        for i, line in enumerate(lines):
            number = self.view_line + i + 1
            theme.draw_text(
                surface, f"{number:>6}", (x, top + LINE_H * i), (100, 100, 120), size=theme.SMALL_FONT_SIZE
            )
            theme.draw_text(
                surface, line[:220], (x + 56, top + LINE_H * i), theme.TEXT, size=theme.SMALL_FONT_SIZE
            )
        total = f"{doc.known_lines:,}" + ("" if doc.complete else "+")
        shown = f"Lines {self.view_line + 1:,}-{self.view_line + len(lines):,} of {total}"
        theme.draw_text(
            surface, shown, (rect.right - 12, rect.bottom - 20), theme.TEXT_DIM, anchor="topright"
        )

    def draw_panel(self, surface: pygame.Surface) -> None:
        x, y = self.panel_rect.x + 10, self.panel_rect.y + 10
        theme.draw_text(surface, "RESEARCH BROWSER", (x, y), theme.GREEN, bold=True)
        theme.draw_text(surface, "Sort by:", (x, y + 172), theme.TEXT, size=theme.SMALL_FONT_SIZE)
        for key, button in self.sort_buttons.items():
            active = key == self.sort_key
            button.kind = "primary" if active else "normal"
            button.label = key.title() + ((" v" if self.descending else " ^") if active else "")
        super().draw_panel(surface)
        count = f"Entries: {len(self.entries)}" if not self.error else self.error[:40]
        theme.draw_text(
            surface, count, (x, y + 218), theme.RED if self.error else theme.TEXT, size=theme.SMALL_FONT_SIZE
        )
        self._draw_list(surface)

    def _draw_list(self, surface: pygame.Surface) -> None:
        rect = self.list_rect
        pygame.draw.rect(surface, theme.LIST_BG, rect)
        pygame.draw.rect(surface, theme.ACCENT, rect, 1)
        header = (180, 180, 200)
        theme.draw_text(surface, "Name", (rect.x + 5, rect.y + 2), header, size=theme.SMALL_FONT_SIZE)
        theme.draw_text(surface, "Size", (rect.right - 70, rect.y + 2), header, size=theme.SMALL_FONT_SIZE)
        rows = self.entries[self.list_scroll : self.list_scroll + self.visible_rows]
        old_clip = surface.get_clip()
        surface.set_clip(rect.clip(old_clip))
        for i, entry in enumerate(rows):
            y = rect.y + ROW_H + 2 + i * ROW_H
            colour = theme.LIST_SELECTED_TEXT if entry.path == self.selected else theme.TEXT
            name = entry.name + ("/" if entry.is_dir else "")
            if len(name) > 30:
                name = name[:28] + ".."
            theme.draw_text(
                surface,
                name,
                (rect.x + 5, y),
                theme.YELLOW if entry.is_dir else colour,
                size=theme.SMALL_FONT_SIZE,
            )
            if not entry.is_dir:
                theme.draw_text(
                    surface,
                    format_size(entry.size),
                    (rect.right - 12, y),
                    theme.TEXT_DIM,
                    size=theme.SMALL_FONT_SIZE,
                    anchor="topright",
                )
        surface.set_clip(old_clip)
        if len(self.entries) > self.visible_rows:
            track = rect.height - ROW_H - 4
            bar_h = max(12, track * self.visible_rows // len(self.entries))
            bar_y = (
                rect.y
                + ROW_H
                + 2
                + (track - bar_h) * self.list_scroll // max(1, len(self.entries) - self.visible_rows)
            )
            pygame.draw.rect(surface, theme.ACCENT, (rect.right - 6, bar_y, 4, bar_h))
