"""Draws a mode's Layout into a cached layer surface, writing dots straight into its pixel array.

Thousands to hundreds of thousands of dots cost one NumPy scatter per stamp offset instead of one
pygame call per dot. The layer is re-rendered only when its key (layout parameters, zoom, pan,
size) changes, so a still view costs a single blit per frame.
"""

from __future__ import annotations

from collections.abc import Hashable
from functools import lru_cache

import numpy as np
import pygame

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.views.palette import CLASS_COLOURS, class_colour

_MAX_CIRCLE_PX = 40_000
_MAX_STAMP = 8  # larger squares are filled rect by rect (few are visible then)


@lru_cache(maxsize=64)
def _disc_offsets(radius: int) -> np.ndarray:
    r = max(int(radius), 0)
    d = np.arange(-r, r + 1)
    dx, dy = np.meshgrid(d, d, indexing="ij")
    keep = dx * dx + dy * dy <= r * r + (1 if r >= 2 else 0)
    return np.column_stack((dx[keep], dy[keep]))


@lru_cache(maxsize=64)
def _square_offsets(side: int) -> np.ndarray:
    lo = -(side // 2)
    d = np.arange(lo, lo + side)
    dx, dy = np.meshgrid(d, d, indexing="ij")
    return np.column_stack((dx.ravel(), dy.ravel()))


def pack_colours(surface: pygame.Surface, colours: np.ndarray) -> np.ndarray:
    """(N, 3) uint8 RGB -> (N,) uint32 pixel values of ``surface``'s format (for ``pixels2d``)."""
    shifts = surface.get_shifts()
    rgb = colours.astype(np.uint32)
    return (rgb[:, 0] << shifts[0]) | (rgb[:, 1] << shifts[1]) | (rgb[:, 2] << shifts[2])


def scatter(
    view: np.ndarray, xs: np.ndarray, ys: np.ndarray, colours: np.ndarray, offsets: np.ndarray
) -> None:
    """Write pixel values ``colours`` (N,) at (xs, ys) + each offset into ``view`` [x, y], clipped.

    All stamps go in one fancy-indexed assignment (points x offsets), which keeps the per-call
    overhead independent of the stamp size.
    """
    if not len(xs):
        return
    w, h = view.shape[0], view.shape[1]
    if len(offsets) == 1:
        px, py, rgb = xs + offsets[0, 0], ys + offsets[0, 1], colours
    else:
        px = (xs[:, None] + offsets[None, :, 0]).ravel()
        py = (ys[:, None] + offsets[None, :, 1]).ravel()
        rgb = np.repeat(colours, len(offsets))
    inside = (px >= 0) & (px < w) & (py >= 0) & (py < h)
    if not inside.all():
        px, py, rgb = px[inside], py[inside], rgb[inside]
    rows = view.T  # (h, w): C-contiguous for an unpadded 32-bit surface
    if rows.flags.c_contiguous:
        rows.reshape(-1)[py * w + px] = rgb  # one 1-D scatter: the fastest NumPy write
    else:
        view[px, py] = rgb


class PointLayer:
    """One cached picture of a layout; ``screen_points`` maps base units to layer pixels."""

    def __init__(self) -> None:
        self.surface: pygame.Surface | None = None
        self._key: Hashable = None
        self.renders = 0

    @staticmethod
    def to_screen(
        xy: np.ndarray, size: tuple[int, int], zoom: float, offset: tuple[float, float]
    ) -> np.ndarray:
        """(N, 2) float positions in layer pixels of base-unit points."""
        centre = np.array([size[0] / 2 + offset[0], size[1] / 2 + offset[1]])
        return np.asarray(xy, dtype=np.float64) * zoom + centre

    def render(
        self,
        layout: modes.Layout,
        size: tuple[int, int],
        zoom: float,
        offset: tuple[float, float],
        key: Hashable,
        grid: bool = True,
    ) -> pygame.Surface:
        """The layer for this view; re-drawn only when ``key`` differs from the last call's.
        ``grid`` False leaves out the circles and guide lines (the dots and labels stay)."""
        if self.surface is not None and key == self._key and self.surface.get_size() == size:
            return self.surface
        if self.surface is None or self.surface.get_size() != size:
            self.surface = (
                pygame.Surface(size).convert() if pygame.display.get_surface() else pygame.Surface(size)
            )
        surface = self.surface
        surface.fill(theme.BACKGROUND)
        centre = (size[0] / 2 + offset[0], size[1] / 2 + offset[1])
        if grid:
            self._draw_circles(surface, layout, centre, zoom)
        view = pygame.surfarray.pixels2d(surface)
        try:
            if grid and len(layout.guides):
                pts = self.to_screen(layout.guides, size, zoom, offset).astype(np.int64)
                packed = pack_colours(surface, CLASS_COLOURS[layout.guide_color])
                scatter(view, pts[:, 0], pts[:, 1], packed, _disc_offsets(0))
            self._draw_dots(view, surface, layout, size, zoom, offset)
        finally:
            del view
        self._draw_decorations(surface, layout, centre, zoom)
        self._key = key
        self.renders += 1
        return surface

    @staticmethod
    def _draw_circles(
        surface: pygame.Surface, layout: modes.Layout, centre: tuple[float, float], zoom: float
    ) -> None:
        w, h = surface.get_size()
        corners = [(0, 0), (w, 0), (0, h), (w, h)]
        for radius, colour_class, brightness in layout.circles:
            r = radius * zoom
            if r < 1 or r > _MAX_CIRCLE_PX:
                continue
            if all((x - centre[0]) ** 2 + (y - centre[1]) ** 2 < r * r for x, y in corners):
                continue  # the whole layer is inside the circle: nothing of it shows
            pygame.draw.circle(surface, class_colour(colour_class, brightness), centre, r, 1)

    @staticmethod
    def _draw_dots(
        view: np.ndarray,
        surface: pygame.Surface,
        layout: modes.Layout,
        size: tuple[int, int],
        zoom: float,
        offset: tuple[float, float],
    ) -> None:
        if not len(layout.xy):
            return
        # float32 maths and a floor(x + 0.5) cast: this runs on up to ~300k dots per re-render
        xy = layout.xy
        sx = xy[:, 0] * np.float32(zoom) + np.float32(size[0] / 2 + offset[0] + 0.5)
        sy = xy[:, 1] * np.float32(zoom) + np.float32(size[1] / 2 + offset[1] + 0.5)
        margin = 10 + (layout.cell * zoom if layout.cell else 0)
        visible = (sx > -margin) & (sx < size[0] + margin) & (sy > -margin) & (sy < size[1] + margin)
        pts = np.empty((int(visible.sum()), 2), np.int64)
        pts[:, 0] = sx[visible]  # values are > -margin, so the int cast of x + 0.5 rounds
        pts[:, 1] = sy[visible]
        if layout.brightness is not None:
            rgb = CLASS_COLOURS[layout.color[visible]]
            colours = pack_colours(surface, (rgb * layout.brightness[visible, None]).astype(np.uint8))
        else:
            colours = pack_colours(surface, CLASS_COLOURS)[layout.color[visible]]
        if layout.cell:
            side = int(layout.cell * zoom * 0.9)
            if side <= _MAX_STAMP:
                scatter(view, pts[:, 0], pts[:, 1], colours, _square_offsets(max(side, 1)))
            else:
                for (x, y), colour in zip(pts.tolist(), colours.tolist(), strict=True):
                    view[
                        max(x - side // 2, 0) : max(x - side // 2 + side, 0),
                        max(y - side // 2, 0) : max(y - side // 2 + side, 0),
                    ] = colour
            return
        sizes = layout.size[visible]
        for radius in np.unique(np.rint(sizes)).astype(int):
            group = np.rint(sizes) == radius
            scatter(view, pts[group, 0], pts[group, 1], colours[group], _disc_offsets(radius))

    @staticmethod
    def _draw_decorations(
        surface: pygame.Surface, layout: modes.Layout, centre: tuple[float, float], zoom: float
    ) -> None:
        cx, cy = centre
        colour = class_colour(layout.line_color)
        for x0, y0, x1, y1 in layout.lines.tolist():
            pygame.draw.line(
                surface, colour, (cx + x0 * zoom, cy + y0 * zoom), (cx + x1 * zoom, cy + y1 * zoom)
            )
        check = class_colour(modes.CHECK)
        for x, y in layout.checks.tolist():
            px, py = cx + x * zoom, cy + y * zoom
            pygame.draw.lines(surface, check, False, [(px - 5, py), (px - 1, py + 4), (px + 6, py - 6)], 2)
        if layout.centre:
            pygame.draw.circle(surface, class_colour(modes.CENTRE), centre, 3)
        if layout.caption:
            theme.draw_text(surface, layout.caption, (12, 10), theme.CYAN)
