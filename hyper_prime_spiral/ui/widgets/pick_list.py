"""A scrollable list of text rows; clicking a row picks it (model list, folder picker).

Unlike CheckList it has one `selected` row (moved by the owner with the keyboard) and calls
`on_pick(index)` on every click, so the owner decides what a click or double-click means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui import theme

ROW_HEIGHT = 20


class PickList:
    """Rows of `items`; `dim` rows are drawn greyed (still pickable), `selected` is highlighted."""

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 300, 120),
        items: Sequence[str] = (),
        *,
        on_pick: Callable[[int], None] | None = None,
        empty_text: str = "(empty)",
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.items: list[str] = list(items)
        self.dim: set[int] = set()
        self.selected: int | None = None
        self.on_pick = on_pick
        self.empty_text = empty_text
        self.scroll = 0  # index of the first visible row
        self.hover_row: int | None = None
        self.hovered = False

    def set_items(self, items: Sequence[str], dim: Sequence[int] = ()) -> None:
        self.items = list(items)
        self.dim = {i for i in dim if 0 <= i < len(self.items)}
        self.selected = None
        self.scroll = 0

    @property
    def visible_rows(self) -> int:
        return max(1, (self.rect.height - 4) // ROW_HEIGHT)

    def row_rect(self, index: int) -> pygame.Rect:
        """Where row `index` is drawn (may lie outside the list when scrolled away)."""
        return pygame.Rect(
            self.rect.x + 2,
            self.rect.y + 2 + (index - self.scroll) * ROW_HEIGHT,
            self.rect.width - 4,
            ROW_HEIGHT,
        )

    def row_at(self, pos: tuple[int, int]) -> int | None:
        if not self.rect.collidepoint(pos):
            return None
        index = self.scroll + (pos[1] - self.rect.y - 2) // ROW_HEIGHT
        return index if 0 <= index < len(self.items) else None

    def select(self, index: int | None) -> None:
        """Select a row (clamped) and scroll so it is visible."""
        if index is None or not self.items:
            self.selected = None
            return
        self.selected = max(0, min(len(self.items) - 1, index))
        if self.selected < self.scroll:
            self.scroll = self.selected
        elif self.selected >= self.scroll + self.visible_rows:
            self.scroll = self.selected - self.visible_rows + 1

    def scroll_by(self, rows: int) -> None:
        self.scroll = max(0, min(max(0, len(self.items) - self.visible_rows), self.scroll + rows))

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            self.hover_row = self.row_at(event.pos)
            return False
        if event.type == pygame.MOUSEWHEEL and self.hovered:
            self.scroll_by(-event.y * 3)
            return True
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            row = self.row_at(event.pos)
            if row is not None:
                self.select(row)
                if self.on_pick is not None:
                    self.on_pick(row)
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.LIST_BG, self.rect)  # fill: several times cheaper than draw.rect here
        pygame.draw.rect(surface, theme.FIELD_BORDER, self.rect, 1)
        if not self.items:
            theme.draw_text(surface, self.empty_text, self.rect.center, theme.TEXT_DIM, anchor="center")
            return
        old_clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2).clip(old_clip))
        last = min(len(self.items), self.scroll + self.visible_rows + 1)
        for index in range(self.scroll, last):
            row = self.row_rect(index)
            if index == self.selected:
                pygame.draw.rect(surface, theme.FIELD_SELECTION, row)
            elif index == self.hover_row:
                pygame.draw.rect(surface, theme.LIST_ROW_HOVER, row)
            colour = theme.TEXT_DIM if index in self.dim else theme.TEXT
            theme.draw_text(surface, self.items[index], (row.x + 4, row.centery), colour, anchor="midleft")
        surface.set_clip(old_clip)
        if len(self.items) > self.visible_rows:
            self._draw_scrollbar(surface)

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        total = len(self.items)
        height = max(10, self.rect.height * self.visible_rows // total)
        top = self.rect.y + (self.rect.height - height) * self.scroll // max(1, total - self.visible_rows)
        pygame.draw.rect(surface, theme.PLOT_AXIS, (self.rect.right - 5, top, 3, height))
