"""Frames per second of the Visualization tab at 1600x900 while recording (`R`), against not recording.

The view animates (Space) so every frame differs, as in a real recording. The frame loop is
the app's own (update + draw + flip), uncapped, so the number is what the machine can draw;
the window caps at 60. Recording takes 30 frames a second and encodes them on a writer thread
(MP4 through imageio-ffmpeg when installed, else PNG frames). One JSON object per line:
case, fps, frames recorded and dropped.

    SDL_VIDEODRIVER=dummy python bench/record_fps.py [--seconds 5] [--png]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pygame  # noqa: E402
from frame_loop import frames_per_second  # noqa: E402

from hyper_prime_spiral.ui import recording  # noqa: E402
from hyper_prime_spiral.ui.app import App  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring time per case")
    parser.add_argument("--png", action="store_true", help="measure the PNG-frames fallback, not MP4")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        recording.recordings_folder = lambda video: Path(folder)
        if args.png:
            recording.mp4_available = lambda: False
        app = App(size=(1600, 900))
        screen = pygame.display.set_mode((1600, 900))
        app.view_model.animate = True  # the visual tabs' shared view
        app.draw(screen)
        base = frames_per_second(app, screen, args.seconds)
        print(json.dumps({"case": "not recording", "size": "1600x900", "fps": round(base, 1)}), flush=True)
        app.toggle_recording()
        recorder = app.recorder
        fps = frames_per_second(app, screen, args.seconds)
        app.toggle_recording()
        row = {
            "case": "recording",
            "format": "mp4" if recorder.video else "png",
            "size": "1600x900",
            "view": "{}x{}".format(*recorder.size),
            "fps": round(fps, 1),
            "frames_recorded": recorder.frames,
            "frames_dropped": recorder.dropped,
            "file_bytes": sum(p.stat().st_size for p in Path(folder).rglob("*") if p.is_file()),
            "status": app.status,
        }
        print(json.dumps(row), flush=True)
        app.close()


if __name__ == "__main__":
    main()
