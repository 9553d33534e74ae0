"""Frames per second of App.update + App.draw for each tab at 1600x900 (dummy video driver).

Prints one JSON object per tab, then one per busy widget (a long chat while a reply streams,
a long loss curve). Rendering goes to the (headless) display surface, as in the real frame
loop, without the 60 FPS cap, so the numbers are the UI's own cost per frame.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from hyper_prime_spiral.ui.app import App  # noqa: E402
from hyper_prime_spiral.ui.widgets import ChatView, LinePlot  # noqa: E402

SIZE = (1600, 900)
WARMUP_FRAMES = 10
MEASURE_SECONDS = 2.0


def measure_tab(app: App, name: str, surface: pygame.Surface) -> dict:
    app.switch_tab(name)
    for _ in range(WARMUP_FRAMES):
        app.update(1 / 60)
        app.draw(surface)
    frames = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MEASURE_SECONDS:
        app.update(1 / 60)
        app.draw(surface)
        frames += 1
    return {
        "bench": "ui_fps",
        "tab": name,
        "size": f"{SIZE[0]}x{SIZE[1]}",
        "frames": frames,
        "fps": round(frames / elapsed, 1),
        "ms_per_frame": round(1000 * elapsed / frames, 2),
    }


def measure_widget(label: str, widget, surface: pygame.Surface, step=None) -> dict:
    """Frames/s of drawing one busy widget (`step(frame)` changes it before each frame)."""
    frames = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MEASURE_SECONDS / 2:
        if step is not None:
            step(frames)
        widget.draw(surface)
        frames += 1
    return {"bench": "ui_widget_fps", "widget": label, "frames": frames, "fps": round(frames / elapsed, 1)}


def busy_widgets(surface: pygame.Surface) -> list[dict]:
    """The widgets whose cost grows with use: a long chat while a reply streams, a long loss curve."""
    chat = ChatView((10, 50, 1260, 780))
    for i in range(200):
        chat.add("user" if i % 2 == 0 else "ai", f"message {i}: " + "words that wrap around the bubble " * 6)
    reply = chat.add("ai", "")
    plot = LinePlot((10, 100, 1260, 700), title="LOSS")
    for i in range(20000):
        plot.add_point("train", i, 4.0 / (1 + i / 500))
        plot.add_point("validation", i, 4.1 / (1 + i / 500))

    def stream(frame: int) -> None:
        chat.append_text(reply, "token ")

    def grow(frame: int) -> None:
        plot.add_point("train", 20000 + frame, 0.5)

    return [
        measure_widget("ChatView 200 messages, streaming", chat, surface, stream),
        measure_widget("LinePlot 2x20000 points, static", plot, surface),
        measure_widget("LinePlot 2x20000 points, +1 per frame", plot, surface, grow),
    ]


def main() -> int:
    app = App(size=SIZE)
    surface = pygame.display.set_mode(SIZE)
    try:
        for tab in app.tabs:
            print(json.dumps(measure_tab(app, tab.name, surface)), flush=True)
        for line in busy_widgets(surface):
            print(json.dumps(line), flush=True)
    finally:
        app.close()
        pygame.display.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
