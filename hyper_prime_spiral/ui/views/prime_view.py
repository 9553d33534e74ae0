"""One drawable prime view (the Visualization tab's area, or the Calculator's mini-map).

It asks ``primes.modes`` for the layout, renders it through a cached PointLayer, draws the analysed
numbers and factor lines on top, and answers hit-tests (which analysed mark, which number is under a
pixel). All positions come from ``primes``; this module only transforms and draws.
"""

from __future__ import annotations

import numpy as np
import pygame

from hyper_prime_spiral.primes import modes, pick
from hyper_prime_spiral.primes.analysis import NumberAnalysis
from hyper_prime_spiral.primes.sieve import COUNT_LIMIT, prime_count
from hyper_prime_spiral.primes.view_model import ViewState
from hyper_prime_spiral.ui.views.palette import ANALYSED
from hyper_prime_spiral.ui.views.point_layer import PointLayer


class PrimeView:
    """Caches the layout and the rendered layer of one view area."""

    def __init__(self) -> None:
        self.layer = PointLayer()
        self._layout_key: tuple | None = None
        self._layout: modes.Layout | None = None
        self._factor_index: dict[int, float] = {}

    # --- layout -------------------------------------------------------------------------
    def layout(self, mode: int, params: modes.ModeParams) -> modes.Layout:
        key = (mode, params)
        if key != self._layout_key or self._layout is None:
            self._layout = modes.layout(mode, params)
            self._layout_key = key
        return self._layout

    def mark_xy(self, state: ViewState, entries: list[NumberAnalysis]) -> np.ndarray:
        """(N, 2) base-unit position of each analysed number in this mode (NaN when it has none)."""
        out = np.full((len(entries), 2), np.nan)
        for i, entry in enumerate(entries):
            if state.mode in modes.SPIRAL_MODES:
                p = state.params
                if not p.spiral_start <= entry.n < p.spiral_start + p.spiral_count:
                    continue
                index = 0.0
            elif entry.clock_index is None:
                continue
            else:
                index = entry.clock_index
            out[i] = modes.points(state.mode, np.array([entry.n]), np.array([index]), state.params)[0]
        return out

    def _prime_xy(self, state: ViewState, p: int) -> np.ndarray | None:
        if state.mode in modes.SPIRAL_MODES:
            if not state.params.spiral_start <= p < state.params.spiral_start + state.params.spiral_count:
                return None
            index = 0.0
        else:
            if p > COUNT_LIMIT:
                return None
            if p not in self._factor_index:
                self._factor_index[p] = float(prime_count(p))
            index = self._factor_index[p]
        return modes.points(state.mode, np.array([p]), np.array([index]), state.params)[0]

    # --- drawing ------------------------------------------------------------------------
    def draw(
        self,
        surface: pygame.Surface,
        rect: pygame.Rect,
        state: ViewState,
        history: list[NumberAnalysis],
        selected: int,
        factor_entries: list[int],
        mark_radius: int = 8,
    ) -> None:
        """Layer, then factor lines for the entries in ``factor_entries``, then the marks."""
        lay = self.layout(state.mode, state.params)
        key = (state, rect.size)
        layer = self.layer.render(lay, rect.size, state.zoom, state.offset, key, grid=state.grid)
        surface.blit(layer, rect.topleft)
        if not history:
            return
        marks = self.screen_marks(rect, state, history)
        for i in factor_entries:
            entry = history[i]
            if np.isnan(marks[i, 0]):
                continue
            colour = ANALYSED[i % len(ANALYSED)]
            for p, _ in entry.factors:
                if p == entry.n:
                    continue
                target = self._prime_xy(state, p)
                if target is None:
                    continue
                end = (
                    PointLayer.to_screen(target[None], rect.size, state.zoom, state.offset)[0] + rect.topleft
                )
                pygame.draw.line(surface, colour, marks[i], end, 2)
                pygame.draw.circle(surface, colour, end, 4, 1)
        for i, (x, y) in enumerate(marks.tolist()):
            if np.isnan(x) or not rect.inflate(40, 40).collidepoint(x, y):
                continue
            colour = ANALYSED[i % len(ANALYSED)]
            radius = mark_radius + (2 if i == selected else 0)
            pygame.draw.circle(surface, colour, (x, y), radius)
            if i == selected:
                pygame.draw.circle(surface, (255, 255, 255), (x, y), radius + 3, 2)

    def screen_marks(self, rect: pygame.Rect, state: ViewState, history: list[NumberAnalysis]) -> np.ndarray:
        xy = self.mark_xy(state, history)
        return PointLayer.to_screen(xy, rect.size, state.zoom, state.offset) + rect.topleft

    # --- hit tests ----------------------------------------------------------------------
    def mark_at(
        self,
        pos: tuple[int, int],
        rect: pygame.Rect,
        state: ViewState,
        history: list[NumberAnalysis],
        radius: float = 12.0,
    ) -> int:
        """Index of the analysed mark under ``pos`` (-1 if none)."""
        if not history:
            return -1
        marks = self.screen_marks(rect, state, history)
        marks = np.where(np.isnan(marks), 1e12, marks)
        return pick.nearest_point(marks, pos[0], pos[1], max_distance=radius)

    def value_at(
        self, pos: tuple[int, int], rect: pygame.Rect, state: ViewState, radius: float = 8.0
    ) -> int | None:
        """The number drawn under ``pos``: any integer of a spiral, or the nearest clock dot."""
        base = (
            np.array(pos, dtype=np.float64) - rect.topleft - np.array(rect.size) / 2 - state.offset
        ) / state.zoom
        if state.mode in modes.SPIRAL_MODES:
            return modes.spiral_value_at(state.mode, float(base[0]), float(base[1]), state.params)
        lay = self.layout(state.mode, state.params)
        screen = PointLayer.to_screen(lay.xy, rect.size, state.zoom, state.offset) + rect.topleft
        index = pick.nearest_point(screen, pos[0], pos[1], max_distance=radius)
        return None if index < 0 else int(lay.values[index])
