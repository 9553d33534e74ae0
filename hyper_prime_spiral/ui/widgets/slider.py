"""A horizontal slider: drag the handle, click the track, or use arrow keys while hovered."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from hyper_prime_spiral.ui import theme

_HANDLE_W = 10
_TRACK_H = 6


class Slider:
    """Value in [minimum, maximum], snapped to `step` when given (`integer=True` rounds).

    The label line above the track shows `label` and the value formatted with `fmt`
    (a format spec such as ".2f"). `on_change(value)` fires on every change.
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 200, 18),
        minimum: float = 0.0,
        maximum: float = 1.0,
        value: float = 0.0,
        *,
        label: str = "",
        step: float | None = None,
        fmt: str = ".2f",
        on_change: Callable[[float], None] | None = None,
        enabled: bool = True,
    ) -> None:
        if maximum <= minimum:
            raise ValueError(f"Slider needs minimum < maximum, got {minimum}..{maximum}")
        self.rect = pygame.Rect(rect)
        self.minimum = minimum
        self.maximum = maximum
        self.step = step
        self.label = label
        self.fmt = fmt
        self.on_change = on_change
        self.enabled = enabled
        self.hovered = False
        self.dragging = False
        self.value = self._snap(value)

    def _snap(self, value: float) -> float:
        value = min(self.maximum, max(self.minimum, value))
        if self.step:
            value = self.minimum + round((value - self.minimum) / self.step) * self.step
            value = min(self.maximum, max(self.minimum, value))
            if float(self.step).is_integer() and float(self.minimum).is_integer():
                value = int(round(value))
        return value

    def set_value(self, value: float, notify: bool = True) -> None:
        new = self._snap(value)
        if new != self.value:
            self.value = new
            if notify and self.on_change is not None:
                self.on_change(new)

    @property
    def fraction(self) -> float:
        return (self.value - self.minimum) / (self.maximum - self.minimum)

    def _track(self) -> pygame.Rect:
        return pygame.Rect(self.rect.x, self.rect.centery - _TRACK_H // 2, self.rect.width, _TRACK_H)

    def _value_at(self, x: int) -> float:
        track = self._track()
        usable = max(1, track.width - _HANDLE_W)
        ratio = (x - track.x - _HANDLE_W / 2) / usable
        return self.minimum + min(1.0, max(0.0, ratio)) * (self.maximum - self.minimum)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if not self.enabled:
            return False
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            if self.dragging:
                self.set_value(self._value_at(event.pos[0]))
                return True
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.rect.collidepoint(event.pos):
            self.dragging = True
            self.set_value(self._value_at(event.pos[0]))
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self.dragging:
            self.dragging = False
            return True
        if event.type == pygame.MOUSEWHEEL and self.hovered:
            self.set_value(self.value + self._key_step() * (1 if event.y > 0 else -1))
            return True
        if event.type == pygame.KEYDOWN and self.hovered and event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            direction = 1 if event.key == pygame.K_RIGHT else -1
            self.set_value(self.value + direction * self._key_step())
            return True
        return False

    def _key_step(self) -> float:
        return self.step if self.step else (self.maximum - self.minimum) / 100

    def draw(self, surface: pygame.Surface) -> None:
        if self.label:
            text = f"{self.label}: {format(self.value, self.fmt)}"
            theme.draw_text(surface, text, (self.rect.x, self.rect.y - 2), theme.TEXT, anchor="bottomleft")
        track = self._track()
        pygame.draw.rect(surface, theme.SLIDER_TRACK, track, border_radius=3)
        usable = track.width - _HANDLE_W
        handle_x = track.x + round(self.fraction * usable)
        filled = pygame.Rect(track.x, track.y, handle_x - track.x + _HANDLE_W // 2, track.height)
        pygame.draw.rect(surface, theme.SLIDER_FILL, filled, border_radius=3)
        handle = pygame.Rect(handle_x, self.rect.centery - 8, _HANDLE_W, 16)
        colour = theme.SLIDER_HANDLE_ACTIVE if (self.dragging or self.hovered) else theme.SLIDER_HANDLE
        if not self.enabled:
            colour = theme.BUTTON_DISABLED
        pygame.draw.rect(surface, colour, handle, border_radius=3)
