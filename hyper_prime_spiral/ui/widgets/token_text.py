"""Drawing for the lens: token-tinted text, its legend, and the hover panel of top candidates.

Tokens are laid out like words (a token that does not fit starts a new line); each is drawn
over a tint for the probability the model gave it. Pure drawing: the numbers come from
`model.lens` records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pygame

from hyper_prime_spiral.ui import theme

# Probability bands: (upper bound, tint, legend label); a token's band is the first it is below.
BANDS: tuple[tuple[float, theme.Colour, str], ...] = (
    (0.05, (150, 40, 40), "< 5 %"),
    (0.2, (150, 85, 30), "5-20 %"),
    (0.5, (130, 120, 30), "20-50 %"),
    (0.8, (60, 115, 45), "50-80 %"),
    (1.01, (35, 95, 60), "> 80 %"),
)
INSERTED_TINT: theme.Colour = (45, 70, 120)  # a tool result: inserted, not sampled
TOOL_CALL_LINE: theme.Colour = theme.GREEN
TOOL_RESULT_LINE: theme.Colour = theme.ORANGE
HOVER_OUTLINE: theme.Colour = theme.YELLOW
_PANEL_W = 300


def probability_tint(probability: float) -> theme.Colour:
    if math.isnan(probability):
        return INSERTED_TINT
    for upper, colour, _ in BANDS:
        if probability < upper:
            return colour
    return BANDS[-1][1]


@dataclass(frozen=True)
class Segment:
    """One token's piece on one line (a token with a line break spans several segments)."""

    index: int  # of the insight
    text: str
    x: int  # from the line's left edge
    width: int


def layout_tokens(
    pieces: Sequence[tuple[int, str]], width: int, size: int = theme.FONT_SIZE
) -> list[list[Segment]]:
    """Lines of segments for (insight index, text) pairs within `width` pixels."""
    lines: list[list[Segment]] = [[]]
    x = 0
    for index, text in pieces:
        parts = text.split("\n")
        for number, part in enumerate(parts):
            if number > 0:
                lines.append([])
                x = 0
            if not part:
                continue
            w = theme.text_width(part, size)
            if x > 0 and x + w > width:  # wrap before the token, without its leading space
                lines.append([])
                x = 0
                part = part.lstrip() or part
                w = theme.text_width(part, size)
            while w > width and len(part) > 1:  # longer than a line: break it
                cut = _longest_fit(part, width, size)
                lines[-1].append(Segment(index, part[:cut], x, theme.text_width(part[:cut], size)))
                lines.append([])
                part = part[cut:]
                w = theme.text_width(part, size)
            lines[-1].append(Segment(index, part, x, w))
            x += w
    return lines


def _longest_fit(text: str, width: int, size: int) -> int:
    cut = len(text) - 1
    while cut > 1 and theme.text_width(text[:cut], size) > width:
        cut -= 1
    return cut


def draw_legend(surface: pygame.Surface, topright: tuple[int, int]) -> pygame.Rect:
    """The colour key of the tints, right-aligned at `topright`; returns its rectangle."""
    small = theme.SMALL_FONT_SIZE
    items = [(label, colour) for _, colour, label in BANDS] + [("tool result", INSERTED_TINT)]
    widths = [theme.text_width(label, small) + 10 for label, _ in items]
    title = "Probability the model gave each token:"
    total = theme.text_width(title, small) + 8 + sum(widths) + 4 * len(items)
    x, y = topright[0] - total, topright[1]
    h = theme.line_height(small) + 2
    rect = pygame.Rect(x - 4, y, total + 8, h + 4)
    pygame.draw.rect(surface, theme.CHAT_BG, rect)
    theme.draw_text(surface, title, (x, y + 2), theme.TEXT_DIM, size=small)
    x += theme.text_width(title, small) + 8
    for (label, colour), w in zip(items, widths, strict=True):
        box = pygame.Rect(x, y + 1, w, h)
        pygame.draw.rect(surface, colour, box, border_radius=3)
        theme.draw_text(surface, label, box.center, theme.TEXT_BRIGHT, size=small, anchor="center")
        x += w + 4
    return rect


def hover_lines(insight: Any) -> list[tuple[str, str, theme.Colour]]:
    """(left, right, colour) rows of the hover panel for one token."""
    if insight.inserted:
        return [
            ("Tool result", "", theme.ORANGE),
            ("inserted by the prime engine,", "", theme.TEXT),
            ("not sampled by the model", "", theme.TEXT),
        ]
    rows: list[tuple[str, str, theme.Colour]] = [
        (f"Sampled {_shown(insight.text)}", f"{insight.probability:.1%}", theme.TEXT_BRIGHT),
        ("model's own probability (T = 1)", f"{insight.model_probability:.1%}", theme.TEXT_DIM),
        ("After temperature, top-k and top-p:", "", theme.FIELD_LABEL),
    ]
    for rank, candidate in enumerate(insight.candidates, start=1):
        sampled = candidate.token_id == insight.token_id
        mark = "  ← sampled" if sampled else ""
        colour = theme.YELLOW if sampled else theme.TEXT
        rows.append((f"{rank}. {_shown(candidate.text)}{mark}", f"{candidate.probability:.1%}", colour))
    if insight.sampled_rank is None:
        rows.append(("(the sampled token is not among them)", "", theme.TEXT_DIM))
    rows.append(("Click: attention view", "", theme.TEXT_DIM))
    return rows


def draw_hover_panel(
    surface: pygame.Surface, insight: Any, anchor: pygame.Rect, bounds: pygame.Rect
) -> pygame.Rect:
    """The top-candidates panel next to the hovered token `anchor`, kept inside `bounds`."""
    small = theme.SMALL_FONT_SIZE
    line_h = theme.line_height(small) + 2
    rows = hover_lines(insight)
    rect = pygame.Rect(0, 0, _PANEL_W, 10 + line_h * len(rows))
    rect.topleft = (anchor.x, anchor.bottom + 4)
    if rect.bottom > bounds.bottom:
        rect.bottom = anchor.y - 4
    rect.clamp_ip(bounds)
    pygame.draw.rect(surface, theme.DIALOG_BG, rect, border_radius=6)
    pygame.draw.rect(surface, HOVER_OUTLINE, rect, 1, border_radius=6)
    y = rect.y + 5
    for left, right, colour in rows:
        theme.draw_text(
            surface, theme.fit_text(left, _PANEL_W - 70, small), (rect.x + 8, y), colour, size=small
        )
        if right:
            theme.draw_text(surface, right, (rect.right - 8, y), colour, size=small, anchor="topright")
        y += line_h
    return rect


def _shown(text: str) -> str:
    return repr(text.replace("\n", "↵"))
