"""The embedding map: every token of the loaded model as a labelled point (a modal window).

Positions come from `model.embedding_map` (PCA of the token embeddings). The wheel zooms
around the pointer, dragging pans, Reset view fits everything again. Hovering a point lists
its 8 nearest neighbours by cosine similarity (lines join them on the map); typing a word in
the field highlights it and centres the view on it. Digits and number words are coloured, so
their groups show. Escape or Close shuts it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pygame

from hyper_prime_spiral.model.embedding_map import EmbeddingMap, token_group
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.modal import ModalBackdrop, mark_closed
from hyper_prime_spiral.ui.widgets.text_input import TextInput

_MARGIN = 30
_PAD = 12
_HIT_PX = 10
_CELL = (56, 16)  # label placement grid: one label per cell keeps them readable
_MAX_LABELS = 700
_ZOOM_STEP = 1.25
_GROUP_COLOURS: dict[str, theme.Colour] = {
    "digits": (255, 170, 60),
    "number word": (110, 220, 255),
    "other": (150, 160, 175),
}
_SIDE_W = 230


class EmbeddingMapWindow:
    """Modal map of `emap`; `zoom` 1 fits every point, `centre` is the world point in the middle."""

    def __init__(self, emap: EmbeddingMap, model_name: str) -> None:
        self.emap = emap
        self.model_name = model_name
        self.text_field = TextInput(placeholder="type a word to find it", max_length=60)
        self.reset_button = Button(label="Reset view", on_click=self.reset_view)
        self.close_button = Button(label="Close", on_click=self.close)
        self.buttons = [self.reset_button, self.close_button]
        self.closed = False
        self.hovered: int | None = None
        self.highlighted: list[int] = []
        self.message = ""
        self.message_error = False
        self.rect = pygame.Rect(0, 0, 900, 600)
        self.map_rect = pygame.Rect(0, 0, 600, 500)
        self.side_rect = pygame.Rect(0, 0, _SIDE_W, 500)
        lo, hi = emap.points.min(axis=0), emap.points.max(axis=0)
        self._home = (lo + hi) / 2
        self._extent = np.maximum(hi - lo, 1e-9)
        self.zoom = 1.0
        self.centre = self._home.copy()
        self._dragging: tuple[int, int] | None = None
        self._pointer: tuple[int, int] | None = None
        self._searched = ""
        self._groups = [token_group(label) for label in emap.labels]
        grouped = [i for i, g in enumerate(self._groups) if g != "other"]
        self._label_order = grouped + [i for i, g in enumerate(self._groups) if g == "other"]
        self._layer: pygame.Surface | None = None  # points and labels, cached for `_layer_key`
        self._layer_key: tuple | None = None
        self._neighbours: tuple[int, list[tuple[int, float]]] | None = None
        self.close_hook: Callable[[EmbeddingMapWindow], None] | None = None
        self._backdrop = ModalBackdrop()

    # --- view ---------------------------------------------------------------------------
    @property
    def scale(self) -> float:
        """Pixels per world unit (zoom 1: the whole map fits its area)."""
        usable = np.array(self.map_rect.size, dtype=np.float64) - 40
        return float(np.min(usable / self._extent)) * self.zoom

    def to_screen(self, points: np.ndarray) -> np.ndarray:
        """(n, 2) world points to pixel positions (y grows upwards on the map)."""
        offset = (np.asarray(points, dtype=np.float64) - self.centre) * self.scale
        return np.column_stack([self.map_rect.centerx + offset[:, 0], self.map_rect.centery - offset[:, 1]])

    def to_world(self, pos: tuple[int, int]) -> np.ndarray:
        dx = (pos[0] - self.map_rect.centerx) / self.scale
        dy = (self.map_rect.centery - pos[1]) / self.scale
        return self.centre + np.array([dx, dy])

    def zoom_at(self, pos: tuple[int, int], factor: float) -> None:
        """Zoom by `factor` keeping the world point under `pos` where it is."""
        before = self.to_world(pos)
        self.zoom = min(500.0, max(0.5, self.zoom * factor))
        self.centre = self.centre + before - self.to_world(pos)

    def neighbours_of_hovered(self) -> list[tuple[int, float]]:
        """The hovered token's nearest neighbours (computed once per hovered token, not per frame)."""
        if self.hovered is None:
            return []
        if self._neighbours is None or self._neighbours[0] != self.hovered:
            self._neighbours = (self.hovered, self.emap.neighbours(self.hovered))
        return self._neighbours[1]

    def reset_view(self) -> None:
        self.zoom = 1.0
        self.centre = self._home.copy()

    def point_at(self, pos: tuple[int, int]) -> int | None:
        """The token whose point is nearest to `pos` within a few pixels."""
        if not self.map_rect.collidepoint(pos):
            return None
        screen = self.to_screen(self.emap.points)
        distance = np.hypot(screen[:, 0] - pos[0], screen[:, 1] - pos[1])
        best = int(np.argmin(distance))
        return best if distance[best] <= _HIT_PX else None

    def find(self, word: str) -> None:
        """Highlight the tokens spelled `word` (or starting with it) and centre on the first."""
        self._searched = word
        if not word.strip():
            self.highlighted, self.message, self.message_error = [], "", False
            return
        self.highlighted = self.emap.find(word)
        if not self.highlighted:
            self.message, self.message_error = f"no token {word.strip()!r} in this model's vocabulary", True
            return
        first = self.highlighted[0]
        self.centre = self.emap.points[first].copy()
        self.zoom = max(self.zoom, 4.0)
        many = f" (+{len(self.highlighted) - 1} more starting so)" if len(self.highlighted) > 1 else ""
        self.message, self.message_error = f"found {self.emap.labels[first]!r}{many}", False

    def close(self) -> None:
        if self.closed:
            return
        mark_closed(self)

    # --- events -------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Takes every event (modal): keys go to the find field, the mouse to the map."""
        if event.type == pygame.KEYDOWN:
            if event.key == pygame.K_ESCAPE:
                self.close()
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.find(self.text_field.text)
            else:
                self.text_field.handle_key(event)
        elif event.type == pygame.TEXTINPUT:
            self.text_field.handle_text(event)
        elif event.type == pygame.MOUSEWHEEL and self._pointer is not None:
            if self.map_rect.collidepoint(self._pointer):
                self.zoom_at(self._pointer, _ZOOM_STEP**event.y)
        elif event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            self._mouse(event)
        if self.text_field.text != self._searched:
            self.find(self.text_field.text)
        return True

    def _mouse(self, event: pygame.event.Event) -> None:
        if event.type == pygame.MOUSEMOTION:
            self._pointer = event.pos
            if self._dragging is not None:
                dx, dy = event.pos[0] - self._dragging[0], event.pos[1] - self._dragging[1]
                self.centre = self.centre - np.array([dx, -dy]) / self.scale
                self._dragging = event.pos
            else:
                self.hovered = self.point_at(event.pos)
        elif (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.map_rect.collidepoint(event.pos)
        ):
            self._dragging = event.pos
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self._dragging = None
        if (
            self.text_field.rect.collidepoint(getattr(event, "pos", (-1, -1)))
            or event.type != pygame.MOUSEBUTTONDOWN
        ):
            self.text_field.handle_mouse(event)
        for button in self.buttons:
            button.handle_event(event)

    # --- layout and drawing -------------------------------------------------------------
    def layout(self, screen: pygame.Rect) -> None:
        self.rect = pygame.Rect(screen).inflate(-2 * _MARGIN, -2 * _MARGIN)
        inner = self.rect.inflate(-2 * _PAD, -2 * _PAD)
        top = inner.y + theme.line_height(theme.TITLE_FONT_SIZE) + 8
        self.text_field.rect = pygame.Rect(inner.x + 50, top, 260, 28)
        self.close_button.rect = pygame.Rect(inner.right - 90, top, 90, 28)
        self.reset_button.rect = pygame.Rect(inner.right - 200, top, 100, 28)
        body = pygame.Rect(inner.x, top + 38, inner.width, inner.bottom - top - 38)
        self.side_rect = pygame.Rect(body.right - _SIDE_W, body.y, _SIDE_W, body.height)
        self.map_rect = pygame.Rect(body.x, body.y, body.width - _SIDE_W - 10, body.height)

    def draw(self, surface: pygame.Surface) -> None:
        self._backdrop.draw(surface, self.rect)
        inner = self.rect.inflate(-2 * _PAD, -2 * _PAD)
        share = self.emap.explained
        title = (
            f"Token embeddings of '{self.model_name}': {len(self.emap.labels):,} tokens, first two principal "
            f"components ({share[0]:.0%} and {share[1]:.0%} of the variance)"
        )
        theme.draw_dialog_title(surface, title, inner.topleft, inner.width)
        theme.draw_text(
            surface, "Find:", (inner.x, self.text_field.rect.centery), theme.FIELD_LABEL, anchor="midleft"
        )
        self.text_field.draw(surface)
        if self.message:
            colour = theme.RED if self.message_error else theme.GREEN
            theme.draw_text(
                surface,
                self.message,
                (self.text_field.rect.right + 12, self.text_field.rect.centery),
                colour,
                anchor="midleft",
            )
        for button in self.buttons:
            button.draw(surface)
        self._draw_map(surface)
        self._draw_side(surface)

    def _draw_map(self, surface: pygame.Surface) -> None:
        """The points and labels come from a cached layer (redrawn when the view or the search
        changes); the hovered token, its neighbours and their lines are drawn on top each frame."""
        key = (
            self.zoom,
            tuple(self.centre),
            tuple(self.highlighted[:50]),
            tuple(self.map_rect),
            surface.get_size(),
        )
        xy = self.to_screen(self.emap.points).astype(np.int64)
        if key != self._layer_key or self._layer is None:
            self._layer = pygame.Surface(surface.get_size())
            self._render_layer(self._layer, xy)
            self._layer_key = key
        surface.blit(self._layer, self.map_rect, area=self.map_rect)
        old_clip = surface.get_clip()
        surface.set_clip(self.map_rect)
        if self.hovered is not None:
            small = theme.SMALL_FONT_SIZE
            start = (int(xy[self.hovered, 0]), int(xy[self.hovered, 1]))
            neighbours = [j for j, _ in self.neighbours_of_hovered()]
            for j in neighbours:
                pygame.draw.line(surface, theme.ACCENT, start, (int(xy[j, 0]), int(xy[j, 1])), 1)
            for j in [*neighbours, self.hovered]:
                colour = theme.CYAN if j == self.hovered else _GROUP_COLOURS[self._groups[j]]
                label = theme.render_text(self.emap.labels[j], colour, small)
                box = label.get_rect(topleft=(int(xy[j, 0]) + 4, int(xy[j, 1]) - 7))
                surface.fill(theme.PLOT_BG, box)
                surface.blit(label, box)
            pygame.draw.circle(surface, theme.CYAN, start, 6, 2)
        surface.set_clip(old_clip)
        pygame.draw.rect(surface, theme.CHAT_BORDER, self.map_rect, 1)
        small = theme.SMALL_FONT_SIZE
        theme.draw_text(
            surface,
            "PC 1 →",
            (self.map_rect.right - 6, self.map_rect.bottom - 4),
            theme.TEXT_DIM,
            size=small,
            anchor="bottomright",
        )
        theme.draw_text(
            surface, "↑ PC 2", (self.map_rect.x + 6, self.map_rect.y + 4), theme.TEXT_DIM, size=small
        )

    def _render_layer(self, layer: pygame.Surface, xy: np.ndarray) -> None:
        """Points, labels where there is room, and the rings of found tokens (screen coordinates)."""
        layer.fill(theme.PLOT_BG, self.map_rect)
        layer.set_clip(self.map_rect)
        r = self.map_rect
        inside = (xy[:, 0] >= r.left) & (xy[:, 0] < r.right) & (xy[:, 1] >= r.top) & (xy[:, 1] < r.bottom)
        for i in np.flatnonzero(inside):
            layer.fill(_GROUP_COLOURS[self._groups[i]], (int(xy[i, 0]) - 1, int(xy[i, 1]) - 1, 3, 3))
        self._draw_labels(layer, xy, inside)
        for i in self.highlighted[:50]:
            pygame.draw.circle(layer, theme.YELLOW, (int(xy[i, 0]), int(xy[i, 1])), 7, 2)
        layer.set_clip(None)

    def _draw_labels(self, surface: pygame.Surface, xy: np.ndarray, inside: np.ndarray) -> None:
        """Labels where there is room (one per grid cell): found tokens first, then digits and number
        words, then the rest in vocabulary order."""
        small = theme.SMALL_FONT_SIZE
        taken: set[tuple[int, int]] = set()
        found = set(self.highlighted[:50])
        drawn = 0
        for i in [*self.highlighted[:50], *self._label_order]:
            if drawn >= _MAX_LABELS:
                break
            forced = i in found
            if not inside[i] and not forced:
                continue
            x, y = int(xy[i, 0]) + 4, int(xy[i, 1]) - 7
            cell = (x // _CELL[0], y // _CELL[1])
            if cell in taken and not forced:
                continue
            taken.add(cell)
            colour = theme.YELLOW if forced else _GROUP_COLOURS[self._groups[i]]
            theme.draw_text(surface, self.emap.labels[i], (x, y), colour, size=small)
            drawn += 1

    def _draw_side(self, surface: pygame.Surface) -> None:
        side = self.side_rect
        surface.fill(theme.PANEL_BG, side)
        pygame.draw.rect(surface, theme.CHAT_BORDER, side, 1)
        small = theme.SMALL_FONT_SIZE
        line_h = theme.line_height(small) + 3
        x, y = side.x + 8, side.y + 8
        for group, colour in _GROUP_COLOURS.items():
            surface.fill(colour, (x, y + 4, 8, 8))
            theme.draw_text(surface, group, (x + 14, y), theme.TEXT, size=small)
            y += line_h
        y += line_h
        if self.hovered is None:
            for text in (
                "Hover a point: its 8 nearest",
                "neighbours by cosine similarity.",
                "",
                "Wheel: zoom, drag: pan.",
                "Type a word to find it.",
            ):
                theme.draw_text(surface, text, (x, y), theme.TEXT_DIM, size=small)
                y += line_h
            return
        label = self.emap.labels[self.hovered]
        theme.draw_text(
            surface,
            theme.fit_text(f"{label!r} (id {self.hovered})", side.width - 16, small),
            (x, y),
            theme.CYAN,
            size=small,
            bold=True,
        )
        y += line_h
        theme.draw_text(surface, "nearest by cosine similarity:", (x, y), theme.FIELD_LABEL, size=small)
        y += line_h
        for j, similarity in self.neighbours_of_hovered():
            theme.draw_text(
                surface,
                theme.fit_text(self.emap.labels[j], side.width - 80, small),
                (x + 6, y),
                theme.TEXT,
                size=small,
            )
            theme.draw_text(
                surface, f"{similarity:+.3f}", (side.right - 8, y), theme.TEXT, size=small, anchor="topright"
            )
            y += line_h
