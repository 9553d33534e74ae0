"""The shortcut modifier: Ctrl everywhere, and also Cmd on macOS, where Cmd+C is what people press."""

from __future__ import annotations

import sys

import pygame

IS_MACOS = sys.platform == "darwin"


def command_held(mod: int, macos: bool | None = None) -> bool:
    """True when the key's modifiers hold Ctrl, or Cmd (GUI/Meta) on macOS."""
    if mod & pygame.KMOD_CTRL:
        return True
    mac = IS_MACOS if macos is None else macos
    return bool(mac and mod & (pygame.KMOD_META | pygame.KMOD_GUI))
