"""A scrollable list of text rows; clicking a row picks it (model list, folder picker).

Unlike CheckList it has one `selected` row (moved by the owner with the keyboard) and calls
`on_pick(index)` on every click, so the owner decides what a click or double-click means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.row_list import ROW_HEIGHT, RowList, fit_text

__all__ = ["ROW_HEIGHT", "PickList"]


class PickList(RowList):
    """Rows of `items`; `dim` rows are drawn greyed (still pickable), `selected` is highlighted."""

    wheel_rows = 3

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 300, 120),
        items: Sequence[str] = (),
        *,
        on_pick: Callable[[int], None] | None = None,
        empty_text: str = "(empty)",
    ) -> None:
        super().__init__(rect, items, empty_text)
        self.dim: set[int] = set()
        self.selected: int | None = None
        self.on_pick = on_pick

    def set_items(self, items: Sequence[str], dim: Sequence[int] = ()) -> None:
        self.items = list(items)
        self.dim = {i for i in dim if 0 <= i < len(self.items)}
        self.selected = None
        self.scroll = 0

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

    def clicked(self, index: int) -> None:
        self.select(index)
        if self.on_pick is not None:
            self.on_pick(index)

    def draw_row(self, surface: pygame.Surface, index: int, row: pygame.Rect, text_right: int) -> None:
        if index == self.selected:
            pygame.draw.rect(surface, theme.FIELD_SELECTION, row)
        elif index == self.hover_row:
            pygame.draw.rect(surface, theme.LIST_ROW_HOVER, row)
        colour = theme.TEXT_DIM if index in self.dim else theme.TEXT
        label = fit_text(self.items[index], text_right - row.x - 4)
        theme.draw_text(surface, label, (row.x + 4, row.centery), colour, anchor="midleft")
