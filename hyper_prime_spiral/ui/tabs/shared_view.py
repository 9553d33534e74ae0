"""Tabs that draw the Visualization tab's view (mode, zoom, history, animation) their own way."""

from __future__ import annotations

from hyper_prime_spiral.ui.tabs.base import IDLE_FPS, Tab


class SharedViewTab(Tab):
    """Calculator and Spheres: `view` is the Visualization tab, whose animation moves them too."""

    @property
    def view(self):
        return self.app.tab("Visualization")

    @property
    def idle_fps(self) -> int | None:
        return None if self.view.animate else IDLE_FPS
