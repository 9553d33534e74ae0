"""The frame loop the app's FPS benches share: update + draw + flip, uncapped, counted."""

from __future__ import annotations

import time
from collections.abc import Callable

import pygame


def frames_per_second(
    app,
    screen: pygame.Surface,
    seconds: float,
    step: Callable[[int], None] | None = None,
    min_frames: int = 0,
) -> float:
    """Frames per second over `seconds` (and at least `min_frames`), `step(frame)` changing the view first."""
    frames = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or frames < min_frames:
        if step is not None:
            step(frames)
        app.update(1 / 60)
        app.draw(screen)
        pygame.display.flip()
        frames += 1
    return frames / (time.perf_counter() - start)
