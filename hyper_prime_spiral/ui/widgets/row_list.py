"""What every scrollable list of text rows shares: geometry, hover, wheel, frame and scrollbar.

CheckList (ticks) and PickList (one selected row) add what a click means and how a row looks.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from hyper_prime_spiral.ui import theme

ROW_HEIGHT = 20


class RowList:
    """Rows of `items` in `rect`; `scroll` is the index of the first visible row."""

    wheel_rows = 1  # rows scrolled per wheel notch

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int],
        items: Sequence[str],
        empty_text: str,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.items: list[str] = list(items)
        self.empty_text = empty_text
        self.scroll = 0
        self.hover_row: int | None = None
        self.hovered = False

    @property
    def visible_rows(self) -> int:
        return max(1, (self.rect.height - 4) // ROW_HEIGHT)

    @property
    def has_scrollbar(self) -> bool:
        return len(self.items) > self.visible_rows

    def max_scroll(self) -> int:
        return max(0, len(self.items) - self.visible_rows)

    def scroll_by(self, rows: int) -> None:
        self.scroll = max(0, min(self.max_scroll(), self.scroll + rows))

    def row_rect(self, index: int) -> pygame.Rect:
        """Where row `index` is drawn (may lie outside the list when scrolled away)."""
        y = self.rect.y + 2 + (index - self.scroll) * ROW_HEIGHT
        return pygame.Rect(self.rect.x + 1, y, self.rect.width - 2, ROW_HEIGHT)

    def row_at(self, pos: tuple[int, int]) -> int | None:
        if not self.rect.collidepoint(pos):
            return None
        index = self.scroll + (pos[1] - self.rect.y - 2) // ROW_HEIGHT
        return index if 0 <= index < len(self.items) else None

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            self.hover_row = self.row_at(event.pos)
            return False
        if event.type == pygame.MOUSEWHEEL:
            if self.hovered:
                self.scroll_by(-event.y * self.wheel_rows)
            return self.hovered
        if event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            row = self.row_at(event.pos)
            if event.button == 1 and row is not None:
                self.clicked(row)
            return True  # a click on the list (or its empty part) is the list's
        return False

    def clicked(self, index: int) -> None:
        """A left click on row `index`."""

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.LIST_BG, self.rect)  # fill: several times cheaper than draw.rect here
        pygame.draw.rect(surface, theme.FIELD_BORDER, self.rect, 1)
        if not self.items:
            theme.draw_text(surface, self.empty_text, self.rect.center, theme.TEXT_DIM, anchor="center")
            return
        old_clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2).clip(old_clip))
        self.scroll = min(self.scroll, self.max_scroll())
        text_right = self.rect.right - (12 if self.has_scrollbar else 4)
        for index in range(self.scroll, min(len(self.items), self.scroll + self.visible_rows + 1)):
            self.draw_row(surface, index, self.row_rect(index), text_right)
        if self.has_scrollbar:
            self._draw_scrollbar(surface)
        surface.set_clip(old_clip)

    def draw_row(self, surface: pygame.Surface, index: int, row: pygame.Rect, text_right: int) -> None:
        """Draw row `index` in `row`; text must end left of `text_right` (the scrollbar)."""
        raise NotImplementedError

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        track = pygame.Rect(self.rect.right - 8, self.rect.y + 2, 6, self.rect.height - 4)
        pygame.draw.rect(surface, theme.SLIDER_TRACK, track)
        size = max(12, track.height * self.visible_rows // len(self.items))
        top = track.y + (track.height - size) * self.scroll // max(1, self.max_scroll())
        pygame.draw.rect(surface, theme.ACCENT, (track.x, top, track.width, size))


def fit_text(text: str, width: int) -> str:
    """`text`, shortened with an ellipsis to fit `width` pixels."""
    if theme.text_width(text) <= width:
        return text
    while text and theme.text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
