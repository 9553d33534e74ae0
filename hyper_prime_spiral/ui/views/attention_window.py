"""The lens's attention view of one generated token (a modal window, opened by a click on it).

Top: one heat strip per layer and head (rows = layers, columns = heads); left to right a
strip runs over the context the model saw when it chose the token, oldest token first, and
the brightest cell is where that head looked most. Bottom: the chosen head (click a strip,
or use the arrow keys) over the context text, each token tinted by its weight; tool calls
and results are underlined. Escape or Close shuts it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygame

from hyper_prime_spiral.model.lens import strongest_head
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.modal import ModalBackdrop, mark_closed
from hyper_prime_spiral.ui.widgets.token_text import TOOL_CALL_LINE, TOOL_RESULT_LINE, Segment, layout_tokens

_MARGIN = 40
_PAD = 14
_STRIP_H = 14
_ROW_GAP = 6
_LABEL_W = 34
_HEAT = ((20, 24, 40), (120, 40, 120), (230, 110, 40), (255, 240, 120))  # low -> high


def heat_colour(value: float) -> theme.Colour:
    """`value` in [0, 1] on a dark-purple-orange-yellow scale."""
    value = min(1.0, max(0.0, value))
    scaled = value * (len(_HEAT) - 1)
    i = min(int(scaled), len(_HEAT) - 2)
    f = scaled - i
    a, b = _HEAT[i], _HEAT[i + 1]
    return (round(a[0] + (b[0] - a[0]) * f), round(a[1] + (b[1] - a[1]) * f), round(a[2] + (b[2] - a[2]) * f))


class AttentionWindow:
    """Modal view of `insight.attention` (layers, heads, n) over `pieces` (the n context tokens' text)."""

    text_field = None  # (Modal protocol) no text field to focus

    def __init__(
        self,
        insight: Any,
        pieces: Sequence[str],
        marks: Sequence[str | None],
        *,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.insight = insight
        self.attention = insight.attention
        self.layers, self.heads, self.length = self.attention.shape
        if len(pieces) != self.length:
            raise ValueError(f"{len(pieces)} context pieces for {self.length} attention positions")
        self.pieces = list(pieces)
        self.marks = list(marks)
        self.selected = strongest_head(self.attention)
        self.hovered_position: int | None = None
        self.closed = False
        self.on_close = on_close
        self.close_button = Button(label="Close", on_click=self.close)
        self.rect = pygame.Rect(0, 0, 900, 600)
        self.strip_rects: dict[tuple[int, int], pygame.Rect] = {}
        self.text_rect = pygame.Rect(0, 0, 0, 0)
        self._strips: dict[tuple[int, int], pygame.Surface] = {}
        self._segments: list[list[Segment]] = []
        self._token_boxes: list[tuple[pygame.Rect, int]] = []
        self.close_hook: Callable[[AttentionWindow], None] | None = None
        self._backdrop = ModalBackdrop()

    # --- actions ------------------------------------------------------------------------
    def select(self, layer: int, head: int) -> None:
        self.selected = (layer % self.layers, head % self.heads)

    def close(self) -> None:
        if self.closed:
            return
        mark_closed(self)
        if self.on_close is not None:
            self.on_close()

    def handle_event(self, event: pygame.event.Event) -> bool:
        """Takes every event (modal)."""
        if event.type == pygame.KEYDOWN:
            layer, head = self.selected
            moves = {
                pygame.K_UP: (layer - 1, head),
                pygame.K_DOWN: (layer + 1, head),
                pygame.K_LEFT: (layer, head - 1),
                pygame.K_RIGHT: (layer, head + 1),
            }
            if event.key in moves:
                self.select(*moves[event.key])
            elif event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_KP_ENTER):
                self.close()
            return True
        if event.type == pygame.MOUSEMOTION:
            self.hovered_position = next(
                (i for box, i in self._token_boxes if box.collidepoint(event.pos)), None
            )
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for key, rect in self.strip_rects.items():
                if rect.inflate(0, _ROW_GAP).collidepoint(event.pos):
                    self.select(*key)
                    return True
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            self.close_button.handle_event(event)
        return True

    # --- layout and drawing -------------------------------------------------------------
    def layout(self, screen: pygame.Rect) -> None:
        self.rect = pygame.Rect(screen).inflate(-2 * _MARGIN, -2 * _MARGIN)
        inner = self.rect.inflate(-2 * _PAD, -2 * _PAD)
        top = inner.y + 2 * theme.line_height(theme.TITLE_FONT_SIZE) + 8
        column_w = (inner.width - _LABEL_W) // max(1, self.heads)
        self.strip_rects = {}
        for layer in range(self.layers):
            for head in range(self.heads):
                x = inner.x + _LABEL_W + head * column_w
                y = top + theme.line_height(theme.SMALL_FONT_SIZE) + layer * (_STRIP_H + _ROW_GAP)
                self.strip_rects[(layer, head)] = pygame.Rect(x, y, column_w - 10, _STRIP_H)
        grid_bottom = top + theme.line_height(theme.SMALL_FONT_SIZE) + self.layers * (_STRIP_H + _ROW_GAP)
        text_top = grid_bottom + 2 * theme.line_height(theme.SMALL_FONT_SIZE) + 12
        self.close_button.rect = pygame.Rect(inner.right - 100, inner.bottom - 30, 100, 30)
        self.text_rect = pygame.Rect(inner.x, text_top, inner.width, self.close_button.rect.y - 10 - text_top)
        self._segments = layout_tokens(list(enumerate(self.pieces)), self.text_rect.width - 8)
        self._strips = {}

    def _strip(self, layer: int, head: int) -> pygame.Surface:
        """The heat strip of one head, scaled to its rectangle (cached until the next layout)."""
        key = (layer, head)
        if key not in self._strips:
            row = self.attention[layer, head]
            peak = float(row.max()) or 1.0
            line = pygame.Surface((self.length, 1))
            for i in range(self.length):
                line.set_at((i, 0), heat_colour(float(row[i]) / peak))
            self._strips[key] = pygame.transform.scale(line, self.strip_rects[key].size)
        return self._strips[key]

    def draw(self, surface: pygame.Surface) -> None:
        self._backdrop.draw(surface, self.rect)
        inner = self.rect.inflate(-2 * _PAD, -2 * _PAD)
        small = theme.SMALL_FONT_SIZE
        title = f"Attention when the model chose {self.insight.text.replace(chr(10), '↵')!r}"
        if not self.insight.inserted:
            title += f"  (p = {self.insight.probability:.1%})"
        theme.draw_dialog_title(surface, title, inner.topleft, inner.width)
        theme.draw_text(
            surface,
            theme.fit_text(
                f"{self.length} context tokens, oldest on the left; each strip is one head, brightest "
                "where it looked most. Click a strip (or use the arrow keys) for the large view.",
                inner.width,
                small,
            ),
            (inner.x, inner.y + theme.line_height(theme.TITLE_FONT_SIZE) + 4),
            theme.TEXT_DIM,
            size=small,
        )
        for head in range(self.heads):
            rect = self.strip_rects[(0, head)]
            theme.draw_text(
                surface,
                f"head {head + 1}",
                (rect.x, rect.y - 2),
                theme.FIELD_LABEL,
                size=small,
                anchor="bottomleft",
            )
        for (layer, head), rect in self.strip_rects.items():
            if head == 0:
                theme.draw_text(
                    surface,
                    f"L{layer + 1}",
                    (inner.x, rect.centery),
                    theme.FIELD_LABEL,
                    size=small,
                    anchor="midleft",
                )
            surface.blit(self._strip(layer, head), rect)
            chosen = (layer, head) == self.selected
            pygame.draw.rect(surface, theme.YELLOW if chosen else theme.DIALOG_BORDER, rect.inflate(2, 2), 1)
        self._draw_text_view(surface, small)
        self.close_button.draw(surface)

    def _draw_text_view(self, surface: pygame.Surface, small: int) -> None:
        layer, head = self.selected
        row = self.attention[layer, head]
        peak = float(row.max()) or 1.0
        heading = (
            f"Layer {layer + 1}, head {head + 1} over the context (tint = weight, strongest = brightest)"
        )
        if self.hovered_position is not None:
            i = self.hovered_position
            heading = f"Position {i + 1}: {self.pieces[i]!r} gets weight {float(row[i]):.3f}"
        theme.draw_text(
            surface,
            heading,
            (self.text_rect.x, self.text_rect.y - 4),
            theme.FIELD_LABEL,
            size=small,
            anchor="bottomleft",
        )
        self._draw_mark_legend(surface, small)
        pygame.draw.rect(surface, theme.CHAT_BG, self.text_rect)
        line_h = theme.line_height()
        visible = max(1, (self.text_rect.height - 8) // line_h)
        lines = self._segments[-visible:]  # the most recent context when it does not all fit
        self._token_boxes = []
        y = self.text_rect.y + 4
        for line in lines:
            for seg in line:
                box = pygame.Rect(self.text_rect.x + 4 + seg.x, y, seg.width, line_h)
                weight = float(row[seg.index]) / peak
                surface.fill(heat_colour(weight * 0.85), box)
                colour = theme.BACKGROUND if weight > 0.6 else theme.TEXT_BRIGHT
                theme.draw_text(surface, seg.text, box.topleft, colour)
                mark = self.marks[seg.index]
                if mark is not None:
                    line_colour = TOOL_CALL_LINE if mark == "call" else TOOL_RESULT_LINE
                    pygame.draw.line(surface, line_colour, box.bottomleft, (box.right - 1, box.bottom - 1), 2)
                if seg.index == self.length - 1:
                    pygame.draw.rect(surface, theme.CYAN, box, 1)  # the position that predicted the token
                self._token_boxes.append((box, seg.index))
            y += line_h
        pygame.draw.rect(surface, theme.CHAT_BORDER, self.text_rect, 1)

    def _draw_mark_legend(self, surface: pygame.Surface, small: int) -> None:
        x = self.text_rect.right
        items = [("predicting position", theme.CYAN)]
        if "result" in self.marks:
            items.append(("tool result", TOOL_RESULT_LINE))
        if "call" in self.marks:
            items.append(("tool call", TOOL_CALL_LINE))
        for label, colour in items:
            rect = theme.draw_text(
                surface, label, (x, self.text_rect.y - 4), colour, size=small, anchor="bottomright"
            )
            x = rect.x - 16
