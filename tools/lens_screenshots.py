"""The README's lens pictures: a reply under the lens, a token's attention view, the embedding map.

    python tools/lens_screenshots.py MODEL_DIR assets/ [--message "is 91 prime?"] [--seed 4]

Drives the app off-screen with real pygame events (like the tests) and saves lens.png,
attention.png and embedding_map.png in the output folder.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # noqa: E402

from hyper_prime_spiral.storage.model_dir import load_model  # noqa: E402
from hyper_prime_spiral.ui.app import App  # noqa: E402


def _event(app: App, kind: int, **fields) -> None:
    app.handle_event(pygame.event.Event(kind, **fields))


def _move(app: App, pos: tuple[int, int]) -> None:
    _event(app, pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0))


def _click(app: App, pos: tuple[int, int]) -> None:
    _move(app, pos)
    _event(app, pygame.MOUSEBUTTONDOWN, pos=pos, button=1)
    _event(app, pygame.MOUSEBUTTONUP, pos=pos, button=1)


def _type(app: App, text: str) -> None:
    for ch in text:
        _event(app, pygame.TEXTINPUT, text=ch)


def _frames(app: App, surface: pygame.Surface, count: int = 3) -> None:
    for _ in range(count):
        app.update(1 / 60)
        app.draw(surface)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--message", action="append", default=None, help="chat message (repeatable)")
    parser.add_argument("--seed", default="4")
    parser.add_argument(
        "--hover", default="", help="hover the reply token with this text (default: a number)"
    )
    parser.add_argument("--find", default="7", help="word to find on the embedding map")
    parser.add_argument("--zoom", type=float, default=1.0, help="map zoom around the found word")
    args = parser.parse_args(argv)
    messages = args.message or ["is 91 prime?"]
    args.out.mkdir(parents=True, exist_ok=True)
    size = (1600, 900)
    app = App(size=size)
    surface = pygame.Surface(size)
    try:
        app.set_model(load_model(args.model), "screenshot model")
        app.switch_tab("LLM")
        tab = app.tab("LLM")
        tab.seed_field.set_text(args.seed)
        tab.temperature.set_value(0.7)
        tab.set_lens(True)
        _frames(app, surface)
        for message in messages:
            tab.chat_field.set_text(message)
            tab.send()
            deadline = time.monotonic() + 60
            while tab.session.generating and time.monotonic() < deadline:
                app.update(1 / 60)
                time.sleep(0.01)
            _frames(app, surface)
        boxes = [b for b in tab.chat_view.token_boxes if b[1] is tab.chat_view.messages[-1]]
        texts = [b[1].insights[b[2]].text.strip() for b in boxes]
        wanted = [i for i, t in enumerate(texts) if (t == args.hover if args.hover else t.isdigit())]
        chosen = boxes[wanted[0] if wanted else len(boxes) // 2]
        _move(app, chosen[0].center)
        _frames(app, surface)
        app.screenshot(str(args.out / "lens.png"))
        _click(app, chosen[0].center)
        _frames(app, surface)
        app.screenshot(str(args.out / "attention.png"))
        _event(app, pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=0)
        _click(app, tab.map_button.rect.center)
        window = app.dialog
        _type(app, args.find)
        if args.zoom == 1.0:
            window.reset_view()  # everything in view, the found token still highlighted
        else:
            window.zoom = args.zoom
        _frames(app, surface)
        if window.highlighted:
            x, y = window.to_screen(window.emap.points[[window.highlighted[0]]])[0]
            _move(app, (int(x), int(y)))
        _frames(app, surface)
        app.screenshot(str(args.out / "embedding_map.png"))
    finally:
        app.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
