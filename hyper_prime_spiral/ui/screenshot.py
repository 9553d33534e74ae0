"""Save a PNG of the app as it draws itself (the README's screenshot), without opening a window.

python -m hyper_prime_spiral.ui.screenshot assets/screenshot.png --tab Visualization --number 97
"""

from __future__ import annotations

import argparse
import os


def save_screenshot(
    path: str,
    tab: str = "Visualization",
    size: tuple[int, int] = (1600, 900),
    frames: int = 30,
    number: str = "",
) -> None:
    """Build the app off-screen, show `tab`, run `frames` updates, and save one drawn frame to `path`.

    `number`, when given, is typed into the Visualization tab's number field and entered first
    (real pygame events), so the picture shows an analysis.
    """
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    from hyper_prime_spiral.ui.app import App

    app = App(size=size)
    try:
        if number:
            _enter_number(app, number)
        app.switch_tab(tab)
        for _ in range(frames):
            app.update(1 / 60)
        app.fps = 60.0
        app.screenshot(path)
    finally:
        app.close()


def _enter_number(app, number: str) -> None:
    import pygame

    app.switch_tab("Visualization")
    app.focus_field(app.tab("Visualization").number_field)
    for ch in number:
        app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text=ch))
    app.handle_event(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RETURN, mod=0, unicode="\r", scancode=0))
    app.focus_field(None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="output image (.png)")
    parser.add_argument("--tab", default="Visualization")
    parser.add_argument("--size", default="1600x900", help="WxH")
    parser.add_argument("--number", default="", help="analyse this number first")
    args = parser.parse_args(argv)
    width, height = (int(part) for part in args.size.lower().split("x"))
    save_screenshot(args.path, args.tab, (width, height), number=args.number)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
