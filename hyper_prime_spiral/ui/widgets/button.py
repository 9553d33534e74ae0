"""A push button: fires `on_click` on mouse release inside its rectangle."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from hyper_prime_spiral.ui import theme

_FLASH_MS = 200


class Button:
    """Clickable rectangle with a label. `kind` is "normal", "primary" (green) or "danger" (red).

    A disabled button draws greyed out and ignores the mouse. The click fires on release
    inside the rectangle after a press inside it (so dragging away cancels, as usual).
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 120, 28),
        label: str = "",
        on_click: Callable[[], None] | None = None,
        *,
        enabled: bool = True,
        kind: str = "normal",
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.label = label
        self.on_click = on_click
        self.enabled = enabled
        self.kind = kind
        self.visible = True
        self.hovered = False
        self.pressed = False
        self.clicks = 0
        self._flash_until = 0

    def click(self) -> None:
        """Fire the button as if clicked (keyboard activation, tests)."""
        if not self.enabled:
            return
        self.clicks += 1
        self._flash_until = pygame.time.get_ticks() + _FLASH_MS
        if self.on_click is not None:
            self.on_click()

    def handle_event(self, event: pygame.event.Event) -> bool:
        if not self.visible:
            return False
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            return False
        if not self.enabled:
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self.pressed = True
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.pressed:
            self.pressed = False
            if self.rect.collidepoint(event.pos):
                self.click()
            return True
        return False

    def _fill(self) -> theme.Colour:
        if not self.enabled:
            return theme.BUTTON_DISABLED
        if self.pressed or pygame.time.get_ticks() < self._flash_until:
            return theme.BUTTON_PRESSED
        base = {"primary": theme.BUTTON_PRIMARY, "danger": theme.BUTTON_DANGER}.get(
            self.kind, theme.BUTTON_BG
        )
        if self.hovered:
            return tuple(min(255, c + 25) for c in base)  # type: ignore[return-value]
        return base

    def draw(self, surface: pygame.Surface) -> None:
        if not self.visible:
            return
        fill = self._fill()
        pygame.draw.rect(surface, fill, self.rect, border_radius=4)
        border = theme.ACCENT if self.enabled else theme.FIELD_BORDER
        pygame.draw.rect(surface, border, self.rect, 1, border_radius=4)
        if fill == theme.BUTTON_PRESSED:
            colour = theme.BACKGROUND
        else:
            colour = theme.BUTTON_TEXT if self.enabled else theme.BUTTON_TEXT_DISABLED
        label = theme.fit_text(self.label, self.rect.width - 8)  # a narrow window shortens it with "…"
        theme.draw_text(surface, label, self.rect.center, colour, anchor="center")
