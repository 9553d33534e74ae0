"""The base of the three visual tabs (Visualization, Calculator, Spheres): one shared view model.

Each tab draws the App's `ViewModel` (mode, zoom, pan, animation, counts, analysed numbers) its
own way; this base gives them the view hotkeys, the animation clock, the idle frame rate and
snapshots, so none of them reaches into another tab.
"""

from __future__ import annotations

import time
from pathlib import Path

import platformdirs
import pygame

from hyper_prime_spiral import APP_NAME
from hyper_prime_spiral.primes.view_model import PAN_STEP, ZOOM_STEP, ViewModel
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.base import IDLE_FPS, Tab, TabHost

_COMMAND_MODS = pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META
_PAN_KEYS = {
    pygame.K_LEFT: (-PAN_STEP, 0.0),
    pygame.K_KP4: (-PAN_STEP, 0.0),
    pygame.K_RIGHT: (PAN_STEP, 0.0),
    pygame.K_KP6: (PAN_STEP, 0.0),
    pygame.K_UP: (0.0, -PAN_STEP),
    pygame.K_KP8: (0.0, -PAN_STEP),
    pygame.K_DOWN: (0.0, PAN_STEP),
    pygame.K_KP2: (0.0, PAN_STEP),
}


def snapshot_folder() -> Path:
    """Where `S` saves pictures: the user's pictures folder, else the app's data folder."""
    try:
        folder = Path(platformdirs.user_pictures_path())
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        folder = Path(platformdirs.user_data_path(APP_NAME, appauthor=False)) / "snapshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


class VisualTab(Tab):
    """A tab that shows `self.model`, the App's shared `ViewModel`."""

    panel_hideable = True

    def __init__(self, app: TabHost) -> None:
        super().__init__(app)
        self.model: ViewModel = app.view_model
        self.last_snapshot: Path | None = None

    @property
    def idle_fps(self) -> int | None:
        return None if self.model.animate else IDLE_FPS

    def update(self, dt: float) -> None:
        if self.is_active:
            self.model.advance(dt)  # the shown visual tab drives the shared animation clock

    def zoom_anchor(self) -> tuple[float, float] | None:
        """The point key zooms keep in place, in pixels from the view's centre (None = centre)."""
        return None

    def handle_view_hotkey(self, event: pygame.event.Event) -> bool:
        """Keys shared by the visual tabs; True when used."""
        if event.mod & _COMMAND_MODS:
            return False
        model = self.model
        key, char = event.key, getattr(event, "unicode", "")
        if key == pygame.K_m:
            model.set_mode(model.mode_index + 1)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS) or char == "+":
            model.zoom_by(ZOOM_STEP, self.zoom_anchor())
        elif key in (pygame.K_MINUS, pygame.K_UNDERSCORE, pygame.K_KP_MINUS) or char == "-":
            model.zoom_by(1 / ZOOM_STEP, self.zoom_anchor())
        elif key in (pygame.K_0, pygame.K_KP0):
            model.reset_view()
        elif key in _PAN_KEYS:
            model.pan(*_PAN_KEYS[key])
        elif key == pygame.K_SPACE:
            model.toggle_animation()
        elif key == pygame.K_f:
            model.toggle_factors()
        elif key == pygame.K_a:
            model.toggle_scope()
        elif key == pygame.K_c and model.is_crystal_mode:
            model.toggle_crystalline()
        elif key == pygame.K_h and model.is_spiral:
            model.toggle_polynomial()
        elif key == pygame.K_LEFTBRACKET:
            model.change_depth(-1)
        elif key == pygame.K_RIGHTBRACKET:
            model.change_depth(+1)
        elif key == pygame.K_e:
            model.change_count(+1)
        elif key == pygame.K_s:
            self.save_snapshot()
        elif key == pygame.K_g:
            model.toggle_grid()
        else:
            return False
        return True

    def save_snapshot(self) -> Path | None:
        """Save the tab's view area as a PNG in the pictures folder and say where on the status line."""
        try:
            folder = snapshot_folder()
            path = folder / time.strftime("hyper_prime_%Y%m%d_%H%M%S.png")
            n = 1
            while path.exists():
                path = folder / time.strftime(f"hyper_prime_%Y%m%d_%H%M%S_{n}.png")
                n += 1
            canvas = pygame.Surface(self.app.size)
            canvas.fill(theme.BACKGROUND)
            self.draw_content(canvas)
            pygame.image.save(canvas.subsurface(self.content_rect.clip(canvas.get_rect())), str(path))
        except (OSError, pygame.error) as exc:
            self.app.set_status(f"Snapshot failed: {exc}", error=True)
            return None
        self.last_snapshot = path
        self.app.set_status(f"Snapshot saved: {path}")
        return path
