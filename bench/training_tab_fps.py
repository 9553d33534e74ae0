"""Frames per second of the Training tab (App.update + App.draw, dummy video driver) while a
2-worker training run is going, compared with the same tab idle. Prints JSON lines.

The run is started the way a user starts it (START TRAINING -> Create New Model -> name)
inside a temporary working folder, so nothing is written to the real models or settings.
Two loops are measured: uncapped (the UI's own cost per frame while the workers compete
for the two cores) and capped at 60 FPS with pygame's clock, as `App.run` does.

    python bench/training_tab_fps.py [--preset small] [--seconds 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

SIZE = (1600, 900)
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "bench" / "data" / "tinyshakespeare.txt"


def frames(app, surface, seconds: float, capped: bool) -> dict:
    """Run the frame loop for `seconds`; frame-time statistics in ms and the achieved FPS."""
    clock = pygame.time.Clock()
    times = []
    cpu_started = time.thread_time()
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        t0 = time.perf_counter()
        app.update(1 / 60)
        app.draw(surface)
        times.append(time.perf_counter() - t0)
        if capped:
            clock.tick(60)
    elapsed = time.perf_counter() - started
    cpu = time.thread_time() - cpu_started
    ms = sorted(t * 1000 for t in times)
    return {
        "fps": round(len(times) / elapsed, 1),
        "ui_thread_cpu_ms_per_frame": round(cpu * 1000 / len(times), 2),
        "frame_ms_p50": round(statistics.median(ms), 2),
        "frame_ms_p95": round(ms[int(len(ms) * 0.95) - 1], 2),
        "frame_ms_max": round(ms[-1], 2),
        "frames": len(times),
    }


def press(app, rect) -> None:
    pos = rect.center
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1))


def set_field(field, text: str) -> None:
    field.set_text(text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="small", choices=("tiny", "small", "medium"))
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="hps-bench-"))
    os.environ["HYPER_PRIME_SPIRAL_CONFIG_DIR"] = str(work / "config")
    os.environ.pop("HYPER_PRIME_SPIRAL_MODEL", None)
    os.chdir(work)
    (work / "data" / "training").mkdir(parents=True)
    source = args.corpus
    (work / "data" / "training" / source.name).write_bytes(source.read_bytes())

    from hyper_prime_spiral.ui.app import App

    app = App(size=SIZE)
    surface = pygame.display.set_mode(SIZE)
    app.switch_tab("Training")
    tab = app.tab("Training")
    for _ in range(30):  # let start-up background work (model search, token count) finish
        app.update(1 / 60)
        time.sleep(0.01)
    press(app, tab.data.none_button.rect)
    mine = [i for i, f in enumerate(tab.data.corpus) if f.path.parent == work / "data" / "training"]
    for i in mine:
        tab.data.file_list.toggle(i)
    press(app, tab.form.size_buttons[args.preset].rect)
    set_field(tab.form.fields["steps"], "1000000")
    set_field(tab.form.fields["workers"], str(args.workers))
    set_field(tab.form.fields["batch_size"], "12")
    set_field(tab.form.fields["context_length"], "64")

    common = {"bench": "training_tab_fps", "size": list(SIZE), "cpus": os.cpu_count()}
    idle = frames(app, surface, min(3.0, args.seconds), capped=False)
    print(json.dumps({**common, "phase": "idle", "capped": False, **idle}), flush=True)

    press(app, tab.start_button.rect)
    press(app, next(b for b in app.dialog.buttons if b.label == "Create New Model").rect)
    app.dialog.text_field.set_text("bench-model")
    press(app, app.dialog.buttons[0].rect)
    if tab.run is None:
        print(json.dumps({**common, "error": app.status}), flush=True)
        return 1
    started = time.perf_counter()
    while tab.progress_view.events < 3 and tab.run is not None:  # workers up, first steps done
        app.update(1 / 60)
        app.draw(surface)
    warmup_s = time.perf_counter() - started
    if tab.run is None:
        print(json.dumps({**common, "error": tab.progress_view.outcome}), flush=True)
        return 1
    for capped in (False, True):
        stats = frames(app, surface, args.seconds, capped=capped)
        last = tab.progress_view.last
        print(
            json.dumps(
                {
                    **common,
                    "phase": "training",
                    "capped": capped,
                    "preset": args.preset,
                    "workers": args.workers,
                    **stats,
                    "train_step": last.step if last else 0,
                    "train_tokens_per_s": round(last.tokens_per_s) if last else 0,
                    "plot_points": len(tab.progress_view.plot.series["train"]),
                    "start_to_third_step_s": round(warmup_s, 2),
                }
            ),
            flush=True,
        )
    press(app, tab.start_button.rect)  # STOP: ends after the current step and saves
    stop_started = time.perf_counter()
    clock = pygame.time.Clock()
    while tab.run is not None:  # at the app's 60 FPS: an uncapped loop here starves the trainer
        app.update(1 / 60)  # thread of the GIL (measured: 11.8 s instead of 0.3 s)
        app.draw(surface)
        clock.tick(60)
    saved = (work / "models" / "bench-model" / "config.json").is_file()
    print(
        json.dumps(
            {
                **common,
                "phase": "stopped",
                "stop_and_save_s": round(time.perf_counter() - stop_started, 2),
                "saved": saved,
                "status": app.status,
            }
        ),
        flush=True,
    )
    app.close()
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main())
