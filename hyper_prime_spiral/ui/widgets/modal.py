"""What every modal window draws first: the window shaded behind it, then its framed box."""

from __future__ import annotations

import pygame

from hyper_prime_spiral.ui import theme


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
