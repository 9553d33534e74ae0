"""Frames per second of the Visualization tab, per mode, at 1600x900 with the dummy video driver.

For every mode: `still` = an unchanged view (the cached layer is blitted), `moving` = the view pans
by one pixel every frame (the layer is re-rendered each frame, as while dragging or animating), and
for the animated modes `animating` (Space on). The square Ulam and Sacks spirals are also measured
at 10^5, 10^6 and 10^7 integers. One JSON object per line.

    SDL_VIDEODRIVER=dummy python bench/viz_fps.py [--seconds 1.0] [--spirals-only]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pygame  # noqa: E402
from frame_loop import frames_per_second  # noqa: E402

from hyper_prime_spiral.primes import modes  # noqa: E402
from hyper_prime_spiral.ui.app import App  # noqa: E402

ANIMATED = modes.ANIMATED_MODES


def measure(app: App, screen: pygame.Surface, seconds: float, step) -> float:
    """Frames per second of update + draw + flip, with `step(frame)` changing the view first."""
    app.update(1 / 60)
    app.draw(screen)  # warm the caches (layout, layer)
    return frames_per_second(app, screen, seconds, step, min_frames=5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="measuring time per case")
    parser.add_argument("--spirals-only", action="store_true", help="only the large spiral rows")
    args = parser.parse_args()
    app = App(size=(1600, 900))
    screen = pygame.display.set_mode((1600, 900))
    app.switch_tab("Visualization")  # the app reopens the last tab used; measure this one
    view = app.view_model  # the visual tabs' shared view

    def still(_frame: int) -> None:
        pass

    def pan(frame: int) -> None:
        view.offset[0] = float(frame % 2)

    cases = [] if args.spirals_only else [(mode, None) for mode in range(len(modes.MODE_NAMES))]
    cases += [(mode, count) for mode in modes.SPIRAL_MODES for count in (100_000, 1_000_000, 10_000_000)]
    for mode, integers in cases:
        view.set_mode(mode)
        view.reset_view()
        view.animate = False
        view.phase = 0.0
        if integers is not None:
            view.spiral_count = integers
        row = {"mode": modes.MODE_NAMES[mode], "size": "1600x900"}
        if mode in modes.SPIRAL_MODES:
            row["integers"] = view.spiral_count
        else:
            row["primes"] = view.prime_count
        row["still_fps"] = round(measure(app, screen, args.seconds, still), 1)
        row["moving_fps"] = round(measure(app, screen, args.seconds, pan), 1)
        view.offset = [0.0, 0.0]
        if mode in ANIMATED:
            view.animate = True
            row["animating_fps"] = round(measure(app, screen, args.seconds, still), 1)
            view.animate = False
        print(json.dumps(row), flush=True)
    app.close()


if __name__ == "__main__":
    main()
