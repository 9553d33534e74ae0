"""A scrollable list of items with checkboxes (the Training tab's corpus files)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.row_list import ROW_HEIGHT, RowList, fit_text

__all__ = ["ROW_HEIGHT", "CheckList"]

_BOX = 12


class CheckList(RowList):
    """Rows of `items` (strings); a click toggles a row, the wheel scrolls.

    `checked` is the set of checked indices; `on_change(checklist)` fires after a toggle.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 300, 120),
        items: Sequence[str] = (),
        *,
        on_change: Callable[[CheckList], None] | None = None,
        empty_text: str = "(empty)",
    ) -> None:
        super().__init__(rect, items, empty_text)
        self.checked: set[int] = set()
        self.on_change = on_change

    def set_items(self, items: Sequence[str], checked: Sequence[int] = ()) -> None:
        self.items = list(items)
        self.checked = {i for i in checked if 0 <= i < len(self.items)}
        self.scroll = 0

    def checked_items(self) -> list[str]:
        return [item for i, item in enumerate(self.items) if i in self.checked]

    def toggle(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        self.checked ^= {index}
        if self.on_change is not None:
            self.on_change(self)

    def set_all(self, checked: bool) -> None:
        self.checked = set(range(len(self.items))) if checked else set()
        if self.on_change is not None:
            self.on_change(self)

    def clicked(self, index: int) -> None:
        self.toggle(index)

    def draw_row(self, surface: pygame.Surface, index: int, row: pygame.Rect, text_right: int) -> None:
        if index == self.hover_row:
            pygame.draw.rect(surface, theme.LIST_ROW_HOVER, row)
        box = pygame.Rect(self.rect.x + 6, row.y + (ROW_HEIGHT - _BOX) // 2, _BOX, _BOX)
        pygame.draw.rect(surface, theme.FIELD_BORDER, box, 1)
        checked = index in self.checked
        if checked:
            pygame.draw.rect(surface, theme.ACCENT, box.inflate(-4, -4))
        colour = theme.LIST_SELECTED_TEXT if checked else theme.TEXT
        label = fit_text(self.items[index], text_right - box.right - 8)
        theme.draw_text(surface, label, (box.right + 6, row.centery), colour, anchor="midleft")
