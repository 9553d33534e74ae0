"""Modal windows: the contract the app routes to (`Modal`), and the shaded backdrop they draw first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import pygame

from hyper_prime_spiral.ui import theme


class Modal(Protocol):
    """A window that takes all input while open (routing step 2): Dialog, FolderPicker, ...

    `app.open_dialog(modal)` sets `close_hook` and focuses `text_field` (if any); the modal calls
    `close_hook(self)` once when it closes (and sets `closed`), so the app forgets it.
    """

    text_field: Any  # the TextInput the app focuses, or None
    closed: bool
    close_hook: Callable[[Any], None] | None

    def handle_event(self, event: pygame.event.Event) -> bool: ...

    def layout(self, screen: pygame.Rect) -> None: ...

    def draw(self, surface: pygame.Surface) -> None: ...


def mark_closed(modal: Modal) -> None:
    """Close `modal` as the contract says: set `closed`, then tell the app (`close_hook`)."""
    modal.closed = True
    if modal.close_hook is not None:
        modal.close_hook(modal)


class ModalBackdrop:
    """Keeps one translucent shade surface per window size (filling a new one every frame is slow)."""

    def __init__(self) -> None:
        self._shade: pygame.Surface | None = None

    def draw(self, surface: pygame.Surface, box: pygame.Rect) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill(theme.DIALOG_SHADE)
        surface.blit(self._shade, (0, 0))
        pygame.draw.rect(surface, theme.DIALOG_BG, box, border_radius=8)
        pygame.draw.rect(surface, theme.DIALOG_BORDER, box, 2, border_radius=8)
