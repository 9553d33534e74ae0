"""A scrollable list of items with checkboxes (the Training tab's corpus files)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui import theme

ROW_HEIGHT = 20
_BOX = 12


class CheckList:
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
        self.rect = pygame.Rect(rect)
        self.items: list[str] = list(items)
        self.checked: set[int] = set()
        self.on_change = on_change
        self.empty_text = empty_text
        self.scroll = 0
        self.hover_row: int | None = None
        self.hovered = False

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

    @property
    def visible_rows(self) -> int:
        return max(1, (self.rect.height - 4) // ROW_HEIGHT)

    def _max_scroll(self) -> int:
        return max(0, len(self.items) - self.visible_rows)

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
                self.scroll = min(self._max_scroll(), max(0, self.scroll - event.y))
                return True
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and self.rect.collidepoint(event.pos):
            if event.button == 1:
                row = self.row_at(event.pos)
                if row is not None:
                    self.toggle(row)
            elif event.button in (4, 5):
                return True
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.LIST_BG, self.rect)
        pygame.draw.rect(surface, theme.FIELD_BORDER, self.rect, 1)
        if not self.items:
            theme.draw_text(surface, self.empty_text, self.rect.center, theme.TEXT_DIM, anchor="center")
            return
        old_clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2).clip(old_clip))
        self.scroll = min(self.scroll, self._max_scroll())
        scrollbar = len(self.items) > self.visible_rows
        text_right = self.rect.right - (12 if scrollbar else 4)
        for row in range(self.visible_rows + 1):
            index = self.scroll + row
            if index >= len(self.items):
                break
            y = self.rect.y + 2 + row * ROW_HEIGHT
            if index == self.hover_row:
                pygame.draw.rect(
                    surface, theme.LIST_ROW_HOVER, (self.rect.x + 1, y, self.rect.width - 2, ROW_HEIGHT)
                )
            box = pygame.Rect(self.rect.x + 6, y + (ROW_HEIGHT - _BOX) // 2, _BOX, _BOX)
            pygame.draw.rect(surface, theme.FIELD_BORDER, box, 1)
            selected = index in self.checked
            if selected:
                pygame.draw.rect(surface, theme.ACCENT, box.inflate(-4, -4))
            colour = theme.LIST_SELECTED_TEXT if selected else theme.TEXT
            label = _fit(self.items[index], text_right - box.right - 8)
            theme.draw_text(surface, label, (box.right + 6, y + ROW_HEIGHT // 2), colour, anchor="midleft")
        if scrollbar:
            track = pygame.Rect(self.rect.right - 8, self.rect.y + 2, 6, self.rect.height - 4)
            pygame.draw.rect(surface, theme.SLIDER_TRACK, track)
            size = max(12, track.height * self.visible_rows // len(self.items))
            top = track.y + (track.height - size) * self.scroll // max(1, self._max_scroll())
            pygame.draw.rect(surface, theme.ACCENT, (track.x, top, track.width, size))
        surface.set_clip(old_clip)


def _fit(text: str, width: int) -> str:
    """`text`, shortened with an ellipsis to fit `width` pixels."""
    if theme.text_width(text) <= width:
        return text
    while text and theme.text_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
