"""A line chart of one or more series with auto-scaled axes (loss curves)."""

from __future__ import annotations

import math

import pygame

from hyper_prime_spiral.ui import theme

_LEFT = 56
_BOTTOM = 22
_TOP = 26
_RIGHT = 12


def nice_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values covering [low, high] (1-2-5 steps; whole steps only when `integer`)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return []
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    ratio = raw / magnitude  # in [1, 10): take the 1-2-2.5-5-10 step closest to it
    step = magnitude * min((1, 2, 2.5, 5, 10), key=lambda m: abs(math.log(m / ratio)))
    if integer:
        step = max(1.0, float(math.ceil(step)))  # a training step 2.5 does not exist
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


class LinePlot:
    """Series are named lists of (x, y) points drawn in their own colours with a legend.

    `add_point(name, x, y)` appends (creating the series); axes rescale to all points.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 400, 240),
        *,
        title: str = "",
        x_label: str = "",
        empty_text: str = "No data yet",
        integer_x: bool = False,
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.title = title
        self.x_label = x_label
        self.empty_text = empty_text
        self.integer_x = integer_x
        self.series: dict[str, list[tuple[float, float]]] = {}
        self.colours: dict[str, theme.Colour] = {}
        self._extents: dict[str, tuple[int, tuple[float, float, float, float] | None]] = {}
        self._screen_points: dict[str, tuple[tuple, list[tuple[int, int]]]] = {}

    def add_series(self, name: str, colour: theme.Colour | None = None) -> None:
        if name not in self.series:
            self.series[name] = []
            self.colours[name] = colour or theme.PLOT_SERIES[len(self.colours) % len(theme.PLOT_SERIES)]

    def add_point(self, name: str, x: float, y: float) -> None:
        self.add_series(name)
        if math.isfinite(x) and math.isfinite(y):
            self.series[name].append((float(x), float(y)))

    def clear(self) -> None:
        for points in self.series.values():
            points.clear()

    def handle_event(self, event: pygame.event.Event) -> bool:
        return False

    def _bounds(self) -> tuple[float, float, float, float] | None:
        """Axis ranges of all points; only points added since the last frame are scanned."""
        extents = []
        for name, points in self.series.items():
            count, extent = self._extents.get(name, (0, None))
            if len(points) < count:  # cleared or replaced: scan again
                count, extent = 0, None
            for x, y in points[count:]:
                if extent is None:
                    extent = (x, x, y, y)
                else:
                    extent = (min(extent[0], x), max(extent[1], x), min(extent[2], y), max(extent[3], y))
            self._extents[name] = (len(points), extent)
            if extent is not None:
                extents.append(extent)
        if not extents:
            return None
        x0, x1 = min(e[0] for e in extents), max(e[1] for e in extents)
        y0, y1 = min(e[2] for e in extents), max(e[3] for e in extents)
        if x1 == x0:
            x1 = x0 + 1
        if y1 == y0:
            y0, y1 = y0 - 0.5, y1 + 0.5
        pad = (y1 - y0) * 0.05
        return x0, x1, y0 - pad, y1 + pad

    def x_ticks(self, x0: float, x1: float) -> list[float]:
        """The x values that get a grid line and a label."""
        return nice_ticks(x0, x1, count=6, integer=self.integer_x)

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.PLOT_BG, self.rect)
        pygame.draw.rect(surface, theme.PLOT_AXIS, self.rect, 1)
        if self.title:
            theme.draw_text(surface, self.title, (self.rect.x + 8, self.rect.y + 5), theme.GREEN, bold=True)
        area = pygame.Rect(
            self.rect.x + _LEFT,
            self.rect.y + _TOP,
            self.rect.width - _LEFT - _RIGHT,
            self.rect.height - _TOP - _BOTTOM,
        )
        if area.width < 20 or area.height < 20:
            return
        bounds = self._bounds()
        if bounds is None:
            theme.draw_text(surface, self.empty_text, area.center, theme.TEXT_DIM, anchor="center")
            return
        x0, x1, y0, y1 = bounds

        def to_screen(x: float, y: float) -> tuple[int, int]:
            return (
                round(area.x + (x - x0) / (x1 - x0) * area.width),
                round(area.bottom - (y - y0) / (y1 - y0) * area.height),
            )

        small = theme.SMALL_FONT_SIZE
        for tick in nice_ticks(y0, y1):
            sy = to_screen(x0, tick)[1]
            pygame.draw.line(surface, theme.PLOT_GRID, (area.x, sy), (area.right, sy))
            theme.draw_text(
                surface, f"{tick:.4g}", (area.x - 6, sy), theme.TEXT_DIM, size=small, anchor="midright"
            )
        for tick in self.x_ticks(x0, x1):
            sx = to_screen(tick, y0)[0]
            pygame.draw.line(surface, theme.PLOT_GRID, (sx, area.y), (sx, area.bottom))
            theme.draw_text(
                surface, f"{tick:.6g}", (sx, area.bottom + 3), theme.TEXT_DIM, size=small, anchor="midtop"
            )
        pygame.draw.rect(surface, theme.PLOT_AXIS, area, 1)
        old_clip = surface.get_clip()
        surface.set_clip(area.inflate(2, 2).clip(old_clip))
        for name, points in self.series.items():
            key = (len(points), bounds, tuple(area))
            cached = self._screen_points.get(name)
            if cached is None or cached[0] != key:
                stride = max(1, math.ceil(len(points) / area.width))  # about one point per pixel column
                sample = points[::stride]
                if stride > 1 and sample[-1] is not points[-1]:
                    sample.append(points[-1])
                kx, ky = area.width / (x1 - x0), area.height / (y1 - y0)
                left, bottom = area.x + 0.5 - x0 * kx, area.bottom + 0.5 + y0 * ky
                cached = (key, [(int(left + x * kx), int(bottom - y * ky)) for x, y in sample])
                self._screen_points[name] = cached
            screen_points = cached[1]
            if len(screen_points) >= 2:
                pygame.draw.lines(surface, self.colours[name], False, screen_points, 2)
            elif screen_points:
                pygame.draw.circle(surface, self.colours[name], screen_points[0], 3)
        surface.set_clip(old_clip)
        legend_x = self.rect.right - 10
        for name in reversed(list(self.series)):
            label = theme.render_text(name, self.colours[name], small)
            legend_x -= label.get_width()
            surface.blit(label, (legend_x, self.rect.y + 7))
            pygame.draw.line(
                surface,
                self.colours[name],
                (legend_x - 16, self.rect.y + 14),
                (legend_x - 4, self.rect.y + 14),
                2,
            )
            legend_x -= 28
