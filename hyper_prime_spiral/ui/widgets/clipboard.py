"""Copy and paste: the system clipboard through pygame.scrap when it works, else a private one.

The private copy is always kept, so copy/paste inside the app works even where SDL has no
clipboard (some headless drivers) or pygame.scrap raises.
"""

from __future__ import annotations

import pygame

_private_text = ""


def copy_text(text: str) -> None:
    """Put `text` on the clipboard (system and private)."""
    global _private_text
    _private_text = text
    try:
        pygame.scrap.put_text(text)
    except (pygame.error, AttributeError, NotImplementedError):
        pass


def paste_text() -> str:
    """The clipboard's text: the system one when readable and not empty, else the private copy."""
    try:
        text = pygame.scrap.get_text()
    except (pygame.error, AttributeError, NotImplementedError):
        text = ""
    return text if text else _private_text
