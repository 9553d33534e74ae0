"""Before the window opens: is there a display at all, how big may the window be, and how much
must it be magnified?

Without a display SDL falls back to its offscreen driver and the app would run invisibly
(an SSH session without X forwarding): say so in one line instead and point to the CLI.
The default window must fit the screen it opens on, or its title bar and panel fall off.
On a screen of twice the usual pixels (a 4K monitor) the layout is drawn at its usual size
and magnified 2x (pygame's SCALED mode), so the text is not a quarter of its usual size.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

NO_DISPLAY_MESSAGE = "no display found; set DISPLAY or use the command line: hyper-prime-spiral chat"
HEADLESS_DRIVERS = ("offscreen", "dummy")
SCREEN_SHARE = 0.9  # leave room for the desktop's panels and the window's title bar


def display_problem(env: Mapping[str, str] | None = None, platform: str | None = None) -> str | None:
    """NO_DISPLAY_MESSAGE when no window could be shown, judged before SDL starts; else None.

    On X11/Wayland systems that means neither DISPLAY nor WAYLAND_DISPLAY is set (unless a
    video driver was chosen on purpose with SDL_VIDEODRIVER). macOS and Windows always have one.
    """
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")) or env.get("SDL_VIDEODRIVER"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE


def driver_problem(driver: str, env: Mapping[str, str] | None = None) -> str | None:
    """NO_DISPLAY_MESSAGE when SDL started a headless driver nobody asked for."""
    env = os.environ if env is None else env
    if driver in HEADLESS_DRIVERS and env.get("SDL_VIDEODRIVER", "") != driver:
        return NO_DISPLAY_MESSAGE
    return None


def fit_to_screen(
    size: tuple[int, int], desktops: Sequence[tuple[int, int]], minimum: tuple[int, int]
) -> tuple[int, int]:
    """`size` shrunk to 90 % of the first desktop (never below `minimum`); unchanged if unknown."""
    if not desktops or min(desktops[0]) <= 0:
        return size
    screen_w, screen_h = desktops[0]
    w = min(size[0], int(screen_w * SCREEN_SHARE))
    h = min(size[1], int(screen_h * SCREEN_SHARE))
    return max(w, minimum[0]), max(h, minimum[1])


SCALE_ENV = "HYPER_PRIME_SPIRAL_SCALE"


def ui_scale(
    size: tuple[int, int], desktops: Sequence[tuple[int, int]], env: Mapping[str, str] | None = None
) -> int:
    """How many screen pixels one layout pixel takes: `$HYPER_PRIME_SPIRAL_SCALE` (1-4) when set,
    else `$GDK_SCALE` (the desktop's own setting on Linux), else 2 when a window of `size` fits
    the screen twice over in both directions (a HiDPI screen), else 1."""
    env = os.environ if env is None else env
    for name in (SCALE_ENV, "GDK_SCALE"):
        text = env.get(name, "").strip()
        if text.isdigit() and 1 <= int(text) <= 4:
            return int(text)
    if desktops and desktops[0][0] >= 2 * size[0] and desktops[0][1] >= 2 * size[1]:
        return 2
    return 1
