"""Spheres tab: the first primes as shaded spheres in 3-D, coloured by ring, twin primes joined.

The scene, rotation, projection and shading maps come from `primes.spheres`; this tab turns a
shading map into a cached sprite per (radius, ring) and draws far spheres first. It rotates while
the shared animation runs (Space) and follows left-drag; zoom and pan are the shared view's.
"""

from __future__ import annotations

import numpy as np
import pygame

from hyper_prime_spiral.primes import spheres
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.shared_view import VisualTab
from hyper_prime_spiral.ui.views.palette import SPHERE_RINGS

ROTATE_PER_SECOND = (0.6, 0.42)  # the original's 0.01 / 0.007 rad per frame at 60 frames/s
DRAG_RADIANS_PER_PX = 0.01
TWIN_COLOUR = (255, 230, 120)


class SpheresTab(VisualTab):
    name = "Spheres"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.count = spheres.DEFAULT_COUNT
        self.scene = spheres.build_scene(self.count)
        self.angle_x = 0.5
        self.angle_y = 0.3
        self.show_twins = True
        self._dragging = False
        self._last: tuple[int, int] | None = None
        self._sprites: dict[tuple[int, int], pygame.Surface] = {}

    # --- input ---------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.content_rect.collidepoint(event.pos)
        ):
            self._dragging, self._last = True, event.pos
            return True
        if event.type == pygame.MOUSEMOTION and self._dragging and self._last is not None:
            dx, dy = event.pos[0] - self._last[0], event.pos[1] - self._last[1]
            self.angle_y += dx * DRAG_RADIANS_PER_PX
            self.angle_x += dy * DRAG_RADIANS_PER_PX
            self._last = event.pos
            return True
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._dragging:
            self._dragging = False
            return True
        if event.type == pygame.MOUSEWHEEL and self.content_rect.collidepoint(
            self._last or pygame.mouse.get_pos()
        ):
            self.model.zoom_by(1.2 if event.y > 0 else 1 / 1.2)
            return True
        if event.type == pygame.MOUSEMOTION:
            self._last = event.pos
        return False

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META) or event.key == pygame.K_i:
            return False
        if event.key == pygame.K_c:
            self.show_twins = not self.show_twins
            self.app.set_status("Twin-prime connections " + ("shown" if self.show_twins else "hidden"))
            return True
        if event.key == pygame.K_e:
            self.count = min(self.count + 20, 400)
            self.scene = spheres.build_scene(self.count)
            self.app.set_status(f"Spheres: {self.count}")
            return True
        return self.handle_view_hotkey(event)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.is_active and self.model.animate:
            self.angle_x += ROTATE_PER_SECOND[0] * dt
            self.angle_y += ROTATE_PER_SECOND[1] * dt

    # --- drawing -------------------------------------------------------------------------
    def _sprite(self, radius: int, ring: int) -> pygame.Surface:
        key = (radius, ring % 4)
        sprite = self._sprites.get(key)
        if sprite is None:
            shade = spheres.shading(radius)
            rgb = (shade[:, :, None] * np.array(SPHERE_RINGS[ring % 4], np.float32)).astype(np.uint8)
            sprite = pygame.Surface(shade.shape)
            pygame.surfarray.blit_array(sprite, rgb)
            sprite.set_colorkey((0, 0, 0))
            if len(self._sprites) > 2000:
                self._sprites.clear()
            self._sprites[key] = sprite
        return sprite

    def projected(self):
        """Screen centres (N, 2), radii (N,) and draw order of the spheres in the current view."""
        model = self.model
        phase = model.phase if model.animate else 0.0
        proj = spheres.project(self.scene, self.angle_x, self.angle_y, phase)
        centre = np.array(self.content_rect.center, dtype=np.float64) + model.offset
        return proj.xy * model.zoom * 0.95 + centre, proj.radius * model.zoom * 0.95, proj.order

    def draw_content(self, surface: pygame.Surface) -> None:
        rect = self.content_rect
        xy, radius, order = self.projected()
        if self.show_twins:
            for a, b in self.scene.twins.tolist():
                pygame.draw.line(surface, TWIN_COLOUR, xy[a], xy[b], 2)
        for i in order.tolist():
            r = int(min(radius[i], 400))
            if r < 1:
                continue
            x, y = xy[i]
            if not rect.inflate(2 * r, 2 * r).collidepoint(x, y):
                continue
            surface.blit(self._sprite(r, int(self.scene.ring[i])), (x - r, y - r))
            if r > 10:
                theme.draw_text(
                    surface,
                    str(int(self.scene.values[i])),
                    (x, y),
                    theme.TEXT_BRIGHT,
                    size=theme.SMALL_FONT_SIZE,
                    anchor="center",
                )
        theme.draw_text(
            surface,
            "3D PRIME SPHERE VISUALIZATION",
            (rect.centerx, rect.y + 12),
            (100, 200, 255),
            bold=True,
            anchor="midtop",
        )
        twins = len(self.scene.twins)
        footer = (
            f"Spheres: {self.count} | Twin-prime pairs: {twins} | drag to rotate, Space animates, C twins"
        )
        theme.draw_text(surface, footer, (rect.x + 12, rect.bottom - 22), theme.TEXT_DIM)

    def draw_panel(self, surface: pygame.Surface) -> None:
        x, y = self.panel_rect.x + 10, self.panel_rect.y + 10
        theme.draw_text(surface, "SPHERES", (x, y), theme.GREEN, bold=True)
        lines = (
            f"First {self.count} primes (E adds 20)",
            "Colour = clock ring, height = ring",
            f"Rotation x {self.angle_x % 6.283:.2f}  y {self.angle_y % 6.283:.2f}",
            "Twin primes joined: " + ("on" if self.show_twins else "off"),
        )
        for i, line in enumerate(lines):
            theme.draw_text(surface, line, (x, y + 26 + 18 * i), theme.CYAN, size=theme.SMALL_FONT_SIZE)
        for ring, colour in enumerate(SPHERE_RINGS):
            pygame.draw.circle(surface, colour, (x + 10 + 70 * ring, y + 120), 7)
            theme.draw_text(
                surface,
                f"ring {ring}",
                (x + 20 + 70 * ring, y + 112),
                theme.TEXT_DIM,
                size=theme.SMALL_FONT_SIZE,
            )
