"""Seconds from starting the app to the first chat reply, as a new user meets it (fresh install).

    python bench/first_reply.py [--runs 3] [--question "what is a prime number"]

Each run starts a new Python process with an empty HOME (no settings, no saved models: the
built-in model is what start-up finds) in an empty working folder. The child builds the App as
`hyper-prime-spiral` does (headless SDL; the frame loop is driven here), presses F4, waits for
the start-up model, types the question with real key events, presses Enter and runs frames
until the reply has ended. Prints one JSON line per run: seconds from the process start (the
parent's clock, before the interpreter starts) to the model loaded and to the reply done, the
reply and its tokens/s; then a summary line with the medians. `load_avg` says how busy the
(possibly shared) machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, os, sys, time
import pygame
from hyper_prime_spiral.ui.app import App
question = sys.argv[1]
app = App(size=(1600, 900))
app.update(1 / 60)
def key(code, text=""):
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=code, mod=0, unicode=text, scancode=0))
    if text:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=text))
    app.handle_event(pygame.event.Event(pygame.KEYUP, key=code, mod=0, unicode="", scancode=0))
key(pygame.K_F4)
print(json.dumps({"event": "window", "t": time.time()}), flush=True)
tab = app.tab("LLM")
while app.model is None or tab.startup is not None:
    app.update(1 / 60); time.sleep(1 / 60)
print(json.dumps({"event": "model", "t": time.time(), "status": app.status}), flush=True)
for ch in question:
    key(pygame.K_SPACE if ch == " " else pygame.key.key_code(ch), ch)
key(pygame.K_RETURN)
app.update(1 / 60)
while tab.session.generating:
    app.update(1 / 60); time.sleep(1 / 60)
app.update(1 / 60)
reply = tab.session.last_reply
speed = tab.session.last_tokens_per_s
print(json.dumps({"event": "reply", "t": time.time(), "reply": reply,
                  "tokens": tab.session.last_tokens, "tokens_per_s": speed}), flush=True)
app.close()
"""


def one_run(question: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="first-reply-") as scratch:
        home, work = Path(scratch) / "home", Path(scratch) / "work"
        home.mkdir()
        work.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "HYPER_PRIME_SPIRAL"))}
        env.update(
            HOME=str(home), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1"
        )
        started = time.time()
        result = subprocess.run(
            [sys.executable, "-c", CHILD, question],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    if result.returncode != 0:
        raise SystemExit(f"first_reply: the app failed: {result.stderr.strip().splitlines()[-1:]}")
    events = {e["event"]: e for e in map(json.loads, result.stdout.splitlines())}
    return {
        "window_s": round(events["window"]["t"] - started, 3),
        "model_loaded_s": round(events["model"]["t"] - started, 3),
        "first_reply_s": round(events["reply"]["t"] - started, 3),
        "reply_only_s": round(events["reply"]["t"] - events["model"]["t"], 3),
        "startup_status": events["model"]["status"],
        "reply": events["reply"]["reply"],
        "reply_tokens": events["reply"]["tokens"],
        "tokens_per_s": round(events["reply"]["tokens_per_s"] or 0.0, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--question", default="what is a prime number")
    args = parser.parse_args(argv)
    runs = []
    for i in range(args.runs):
        record = {"bench": "first_reply", "run": i + 1, **one_run(args.question)}
        runs.append(record)
        print(json.dumps(record), flush=True)
    summary = {
        "summary": "first_reply",
        "runs": len(runs),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }
    for key in ("window_s", "model_loaded_s", "first_reply_s", "reply_only_s"):
        summary[f"median_{key}"] = round(statistics.median(r[key] for r in runs), 3)
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
