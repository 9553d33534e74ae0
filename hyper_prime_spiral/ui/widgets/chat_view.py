"""The chat transcript: word-wrapped bubbles, wheel scrolling, follows new text at the bottom.

A message's text may grow while a reply streams in (`append_text`). The view sticks to the
bottom unless the user scrolled up; scrolling back to the bottom re-attaches it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.wrap import wrap_text

_GAP = 10
_PAD = 8
_WHEEL_STEP = 40


@dataclass
class ChatMessage:
    role: str  # "user" or "ai" (anything else is drawn like "ai")
    text: str
    _wrapped_for: tuple[str, int] | None = field(default=None, repr=False)
    _lines: list[str] = field(default_factory=list, repr=False)
    _text_width: int = field(default=0, repr=False)
    _height: int = field(default=0, repr=False)


class ChatView:
    """Scrollable list of ChatMessages. `scroll` = pixels scrolled up from the bottom."""

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 600, 400),
        *,
        empty_text: str = "Start a conversation...",
    ) -> None:
        self.rect = pygame.Rect(rect)
        self.messages: list[ChatMessage] = []
        self.empty_text = empty_text
        self.scroll = 0
        self.max_messages = 500
        self._last_height = 0
        self.hovered = False  # from MOUSEMOTION: the wheel scrolls only while the pointer is over the view

    # --- content ------------------------------------------------------------------------
    def add(self, role: str, text: str) -> int:
        """Append a message; returns its index (for `append_text`)."""
        self.messages.append(ChatMessage(role, text))
        if len(self.messages) > self.max_messages:
            del self.messages[0]
        return len(self.messages) - 1

    def append_text(self, index: int, piece: str) -> None:
        """Grow message `index` (a streaming reply)."""
        self.messages[index].text += piece

    def clear(self) -> None:
        self.messages.clear()
        self.scroll = 0

    @property
    def stuck_to_bottom(self) -> bool:
        return self.scroll == 0

    # --- geometry -----------------------------------------------------------------------
    def _bubble_width(self) -> int:
        return max(80, int((self.rect.width - 2 * _GAP) * 0.75))

    def _lines(self, message: ChatMessage) -> list[str]:
        """Wrapped lines, cached; a streaming reply only re-wraps its last line plus the new text."""
        width = self._bubble_width() - 2 * _PAD
        cached = message._wrapped_for
        if cached is not None and cached[0] is message.text and cached[1] == width:
            return message._lines
        font = theme.font()
        if (
            cached is not None
            and cached[1] == width
            and message._lines
            and message.text.startswith(cached[0])
        ):
            tail = wrap_text(message._lines[-1] + message.text[len(cached[0]) :], font, width)
            message._lines = message._lines[:-1] + tail
            message._text_width = max([message._text_width] + [font.size(line)[0] for line in tail])
        else:
            message._lines = wrap_text(message.text, font, width)
            message._text_width = max((font.size(line)[0] for line in message._lines), default=0)
        message._wrapped_for = (message.text, width)
        message._height = 2 * _PAD + self._label_height + len(message._lines) * self._line_height
        return message._lines

    @property
    def _line_height(self) -> int:
        return theme.line_height()

    @property
    def _label_height(self) -> int:
        return theme.line_height(theme.SMALL_FONT_SIZE)

    def _bubble_height(self, message: ChatMessage) -> int:
        self._lines(message)
        return message._height

    def content_height(self) -> int:
        return sum(self._bubble_height(m) + _GAP for m in self.messages) + _GAP

    def _max_scroll(self) -> int:
        return max(0, self.content_height() - self.rect.height)

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            return False
        if event.type == pygame.MOUSEWHEEL and self.hovered:
            self.scroll_by(event.y * _WHEEL_STEP)
            return True
        return False

    def scroll_by(self, pixels: int) -> None:
        """Positive = towards older messages (up)."""
        self.scroll = min(self._max_scroll(), max(0, self.scroll + pixels))

    # --- drawing ------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.CHAT_BG, self.rect)
        pygame.draw.rect(surface, theme.CHAT_BORDER, self.rect, 1)
        if not self.messages:
            theme.draw_text(surface, self.empty_text, self.rect.center, theme.CHAT_EMPTY, anchor="center")
            return
        height_now = self.content_height()
        if self.scroll > 0 and height_now > self._last_height:
            self.scroll += height_now - self._last_height  # keep the user's place while text grows
        self._last_height = height_now
        self.scroll = min(self.scroll, self._max_scroll())
        old_clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2).clip(old_clip))
        bottom = self.rect.bottom - _GAP + self.scroll
        width = self._bubble_width()
        line_h = theme.line_height()
        label_h = theme.line_height(theme.SMALL_FONT_SIZE)
        for message in reversed(self.messages):
            height = self._bubble_height(message)
            top = bottom - height
            if top > self.rect.bottom:
                bottom = top - _GAP
                continue
            if bottom < self.rect.top:
                break
            user = message.role == "user"
            x = self.rect.right - _GAP - width if user else self.rect.x + _GAP
            lines = self._lines(message)
            text_w = message._text_width
            bubble_w = min(width, max(text_w, theme.text_width("You")) + 2 * _PAD)
            if user:
                x = self.rect.right - _GAP - bubble_w
            bubble = pygame.Rect(x, top, bubble_w, height)
            pygame.draw.rect(
                surface, theme.CHAT_USER_BG if user else theme.CHAT_AI_BG, bubble, border_radius=8
            )
            pygame.draw.rect(surface, theme.CHAT_BUBBLE_BORDER, bubble, 1, border_radius=8)
            theme.draw_text(
                surface,
                "You" if user else "AI",
                (x + _PAD, top + _PAD - 2),
                theme.CHAT_USER_LABEL if user else theme.CHAT_AI_LABEL,
                size=theme.SMALL_FONT_SIZE,
                bold=True,
            )
            y = top + _PAD + label_h
            for line in lines:
                if self.rect.top - line_h < y < self.rect.bottom:
                    theme.draw_text(surface, line, (x + _PAD, y), theme.TEXT_BRIGHT)
                y += line_h
            bottom = top - _GAP
        surface.set_clip(old_clip)
        if self.scroll > 0:
            theme.draw_text(
                surface,
                "▼ newer messages below (scroll down)",
                (self.rect.centerx, self.rect.bottom - 4),
                theme.YELLOW,
                size=theme.SMALL_FONT_SIZE,
                anchor="midbottom",
            )
