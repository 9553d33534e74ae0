"""An in-app modal folder picker (no external program): browse folders, choose one.

Used like a Dialog (`app.open_dialog(picker)`): it takes every event while open.
Mouse: click selects a row, double-click opens it (or chooses a model folder).
Keys: Up/Down/PageUp/PageDown/Home/End move, Right opens, Left/Backspace go up,
Enter opens the selected folder or chooses it when it holds a model, Escape cancels.
Buttons: Open, Choose (the selected folder, else the one shown), Cancel.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.folder_paths import list_subfolders, looks_like_model
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.modal import ModalBackdrop, mark_closed
from hyper_prime_spiral.ui.widgets.pick_list import PickList

_WIDTH, _HEIGHT = 620, 480
_DOUBLE_CLICK_S = 0.4
_UP_LABEL = ".. (parent folder)"


def _existing_folder(start: Path) -> Path:
    """`start`, or its nearest existing parent, or the home folder."""
    path = start.expanduser()
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return candidate.absolute()
    return Path.home()


class FolderPicker:
    """Modal folder browser; `on_choose(path)` runs when a folder is chosen."""

    text_field = None  # (Modal protocol) no text field to focus

    def __init__(
        self,
        start: Path,
        *,
        on_choose: Callable[[Path], None],
        title: str = "Choose a model folder",
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        self.title = title
        self.on_choose = on_choose
        self.on_cancel = on_cancel
        self.closed = False
        self.result: Path | None = None
        self.error = ""
        start = start.expanduser()
        inside_model = looks_like_model(start)
        self.folder = start.parent.absolute() if inside_model else _existing_folder(start)
        self.entries: list[Path] = []
        self.list = PickList(on_pick=self._clicked, empty_text="(no sub-folders)")
        self.open_button = Button(label="Open", on_click=self.open_selected)
        self.choose_button = Button(label="Choose", on_click=self.choose_selected, kind="primary")
        self.cancel_button = Button(label="Cancel", on_click=self.cancel, kind="danger")
        self.buttons = [self.open_button, self.choose_button, self.cancel_button]
        self.rect = pygame.Rect(0, 0, _WIDTH, _HEIGHT)
        self._screen = pygame.Rect(0, 0, 1600, 900)
        self.close_hook: Callable[[FolderPicker], None] | None = None  # set by the app (Modal protocol)
        self._backdrop = ModalBackdrop()
        self._last_click: tuple[int, float] | None = None
        self.show(self.folder)
        if inside_model and start.absolute() in self.entries:
            self.list.select(self.entries.index(start.absolute()))  # the model shown in the path field

    # --- navigation ---------------------------------------------------------------------
    def show(self, folder: Path) -> bool:
        """List `folder`; an unreadable folder leaves the current listing and shows why."""
        try:
            subfolders = list_subfolders(folder)
        except OSError as exc:
            self.error = f"cannot open {folder}: {exc.strerror or exc}"
            return False
        self.error = ""
        came_from = self.folder
        self.folder = folder
        parent = [folder.parent] if folder.parent != folder else []
        self.entries = parent + subfolders
        labels = [_UP_LABEL] if parent else []
        labels += [f"{p.name}/   [model]" if looks_like_model(p) else f"{p.name}/" for p in subfolders]
        self.list.set_items(labels)
        if came_from in subfolders:  # going up keeps the folder just left selected
            self.list.select(len(parent) + subfolders.index(came_from))
        else:
            self.list.select(0 if self.entries else None)
        return True

    def _is_parent_row(self, index: int) -> bool:
        return index == 0 and self.folder.parent != self.folder

    def go_up(self) -> None:
        if self.folder.parent != self.folder:
            self.show(self.folder.parent)

    def open_selected(self) -> None:
        index = self.list.selected
        if index is not None:
            self.show(self.entries[index])

    def choose_selected(self) -> None:
        """Choose the selected folder (or the folder shown when the parent row / nothing is selected)."""
        index = self.list.selected
        if index is None or self._is_parent_row(index):
            self.choose(self.folder)
        else:
            self.choose(self.entries[index])

    def activate_selected(self) -> None:
        """Enter / double-click: a model folder is chosen, any other folder is opened."""
        index = self.list.selected
        if index is None:
            self.choose(self.folder)
        elif not self._is_parent_row(index) and looks_like_model(self.entries[index]):
            self.choose(self.entries[index])
        else:
            self.show(self.entries[index])

    # --- results ------------------------------------------------------------------------
    def _close(self) -> None:
        mark_closed(self)

    def choose(self, folder: Path) -> None:
        self.result = folder
        self._close()
        self.on_choose(folder)

    def cancel(self) -> None:
        self._close()
        if self.on_cancel is not None:
            self.on_cancel()

    # --- events -------------------------------------------------------------------------
    def _clicked(self, index: int) -> None:
        now = time.monotonic()
        double = self._last_click is not None and self._last_click[0] == index
        double = double and now - self._last_click[1] < _DOUBLE_CLICK_S  # type: ignore[index]
        self._last_click = None if double else (index, now)
        if double:
            self.activate_selected()

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Takes every event (modal)."""
        if event.type == pygame.KEYDOWN:
            self._key(event.key)
            return True
        if event.type in (
            pygame.MOUSEBUTTONDOWN,
            pygame.MOUSEBUTTONUP,
            pygame.MOUSEMOTION,
            pygame.MOUSEWHEEL,
        ):
            if not self.list.handle_event(event):
                for button in self.buttons:
                    button.handle_event(event)
        return True

    def _key(self, key: int) -> None:
        selected = self.list.selected if self.list.selected is not None else -1
        moves = {
            pygame.K_UP: selected - 1,
            pygame.K_DOWN: selected + 1,
            pygame.K_PAGEUP: selected - self.list.visible_rows,
            pygame.K_PAGEDOWN: selected + self.list.visible_rows,
            pygame.K_HOME: 0,
            pygame.K_END: len(self.entries) - 1,
        }
        if key in moves:
            self.list.select(moves[key])
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.activate_selected()
        elif key == pygame.K_RIGHT:
            self.open_selected()
        elif key in (pygame.K_LEFT, pygame.K_BACKSPACE):
            self.go_up()
        elif key == pygame.K_ESCAPE:
            self.cancel()

    # --- layout and drawing -------------------------------------------------------------
    def layout(self, screen: pygame.Rect) -> None:
        self._screen = pygame.Rect(screen)
        width, height = min(_WIDTH, screen.width - 40), min(_HEIGHT, screen.height - 40)
        self.rect = pygame.Rect(0, 0, width, height)
        self.rect.center = screen.center
        self.list.rect = pygame.Rect(self.rect.x + 20, self.rect.y + 70, width - 40, height - 70 - 80)
        button_w = min(150, (width - 60) // 3)
        x = self.rect.centerx - (3 * button_w + 20) // 2
        for button in self.buttons:
            button.rect = pygame.Rect(x, self.rect.bottom - 54, button_w, 34)
            x += button_w + 10

    def draw(self, surface: pygame.Surface) -> None:
        if surface.get_rect() != self._screen:
            self.layout(surface.get_rect())
        self._backdrop.draw(surface, self.rect)
        x = self.rect.x + 20
        theme.draw_dialog_title(surface, self.title, (x, self.rect.y + 12))
        theme.draw_text(
            surface, _fit_left(str(self.folder), self.rect.width - 40), (x, self.rect.y + 42), theme.CYAN
        )
        self.list.draw(surface)
        hint = "Enter/double-click: open (or choose a [model])  ·  ←/Backspace: up  ·  Esc: cancel"
        message, colour = (self.error, theme.RED) if self.error else (hint, theme.TEXT_DIM)
        theme.draw_text(
            surface,
            _fit_left(message, self.rect.width - 40),
            (x, self.list.rect.bottom + 6),
            colour,
            size=theme.SMALL_FONT_SIZE,
        )
        for button in self.buttons:
            button.draw(surface)


def _fit_left(text: str, width: int, size: int = theme.FONT_SIZE) -> str:
    """`text`, cut at the front with "…" so it fits `width` pixels (paths keep their useful end)."""
    if theme.text_width(text, size) <= width:
        return text
    while text and theme.text_width("…" + text, size) > width:
        text = text[1:]
    return "…" + text
