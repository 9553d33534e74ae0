"""A horizontal progress bar with an optional caption drawn on it."""

from __future__ import annotations

import pygame

from hyper_prime_spiral.ui import theme


class ProgressBar:
    """`value` in 0..1 (clamped); `text` is drawn centred on the bar."""

    def __init__(
        self, rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 200, 14), value: float = 0.0
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.value = value
        self.text = ""

    def set(self, value: float, text: str = "") -> None:
        self.value = value
        self.text = text

    def handle_event(self, event: pygame.event.Event) -> bool:
        return False

    def draw(self, surface: pygame.Surface) -> None:
        pygame.draw.rect(surface, theme.PROGRESS_BG, self.rect, border_radius=3)
        fraction = min(1.0, max(0.0, float(self.value)))
        if fraction > 0:
            filled = self.rect.copy()
            filled.width = max(1, round(self.rect.width * fraction))
            pygame.draw.rect(surface, theme.PROGRESS_FILL, filled, border_radius=3)
        pygame.draw.rect(surface, theme.FIELD_BORDER, self.rect, 1, border_radius=3)
        if self.text:
            size = theme.SMALL_FONT_SIZE if self.rect.height < 18 else theme.FONT_SIZE
            theme.draw_text(
                surface, self.text, self.rect.center, theme.TEXT_BRIGHT, size=size, anchor="center"
            )
