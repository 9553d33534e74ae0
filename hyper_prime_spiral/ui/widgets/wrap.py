"""Word wrapping for pygame fonts (ChatView bubbles, dialog messages)."""

from __future__ import annotations

import pygame


def wrap_text(text: str, font: pygame.font.Font, width: int) -> list[str]:
    """Split `text` into lines no wider than `width` px; words longer than a line are broken."""
    width = max(width, 8)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while font.size(word)[0] > width and len(word) > 1:
                cut = _fitting_prefix(word, font, width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _fitting_prefix(word: str, font: pygame.font.Font, width: int) -> int:
    """Length of the longest prefix of `word` that fits `width` (at least one character)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if font.size(word[:middle])[0] <= width:
            low = middle
        else:
            high = middle - 1
    return low


def wrap_lines(lines: list[str], font: pygame.font.Font, width: int) -> list[str]:
    """Each of `lines` wrapped to `width` (panels cut long analysis lines off otherwise)."""
    return [part for line in lines for part in wrap_text(line, font, width)]
