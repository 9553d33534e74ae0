"""The chat transcript: word-wrapped bubbles, wheel scrolling, follows new text at the bottom.

A message's text may grow while a reply streams in (`append_text`). The view sticks to the
bottom unless the user scrolled up; scrolling back to the bottom re-attaches it.

A reply that consulted the prime engine shows each call and its result as a small labelled
line ("prime engine: factor 91 -> 91 = 7 x 13") above the answer, so the user sees which facts
came from the engine; the raw `<calc>`/`<result>` tags are not shown.

With `lens` on, a reply that carries lens records (`insights`) is drawn token by token, each
tinted by its probability; hovering a token shows its top candidates, clicking one calls
`on_token_click(message, insight index)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pygame

from hyper_prime_spiral.model.chat_format import CALL_OPEN, split_tool_use
from hyper_prime_spiral.model.lens import align_to_reply, tool_marks
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.token_text import (
    HOVER_OUTLINE,
    TOOL_CALL_LINE,
    TOOL_RESULT_LINE,
    Segment,
    draw_hover_panel,
    layout_tokens,
    probability_tint,
)
from hyper_prime_spiral.ui.widgets.wrap import wrap_text

_GAP = 10
_PAD = 8
_WHEEL_STEP = 40
TOOL_LABEL = "prime engine: "
TOOL_PENDING = "(running...)"


@dataclass
class ChatMessage:
    role: str  # "user" or "ai" (anything else is drawn like "ai")
    text: str
    _wrapped_for: tuple[str, int] | None = field(default=None, repr=False)
    _lines: list[str] = field(default_factory=list, repr=False)
    _text_width: int = field(default=0, repr=False)
    _height: int = field(default=0, repr=False)
    insights: list[Any] | None = None  # lens records of a reply (model.lens.TokenInsight)
    _lens_key: tuple | None = field(default=None, repr=False)
    _segments: list[list[Segment]] = field(default_factory=list, repr=False)
    _marks: dict[int, str] = field(default_factory=dict, repr=False)  # insight index -> tool mark
    _tool_lines: list[str] = field(default_factory=list, repr=False)  # wrapped "prime engine: ..." lines
    _answer: str = field(default="", repr=False)  # the text without the engine's calls

    def tool_uses_text(self) -> list[str]:
        """One line per prime-engine call of this message: "factor 91 -> 91 = 7 x 13"."""
        if CALL_OPEN not in self.text:
            return []
        uses, _ = split_tool_use(self.text)
        return [f"{u.call} -> {u.result or TOOL_PENDING}" for u in uses]


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
        self.lens = False
        self.on_token_click: Callable[[ChatMessage, int], None] | None = None
        self.hovered_token: tuple[ChatMessage, int] | None = None
        self.token_boxes: list[tuple[pygame.Rect, ChatMessage, int]] = []  # drawn tokens, last frame
        self._pointer: tuple[int, int] | None = None
        self.hover_rect: pygame.Rect | None = None  # the candidates panel drawn last frame

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

    def _lens_on(self, message: ChatMessage) -> bool:
        return self.lens and bool(message.insights)

    def _lines(self, message: ChatMessage) -> list[str]:
        """Wrapped lines, cached; a streaming reply only re-wraps its last line plus the new text."""
        width = self._bubble_width() - 2 * _PAD
        if self._lens_on(message):
            return self._token_lines(message, width)
        message._lens_key = None
        cached = message._wrapped_for
        if cached is not None and cached[0] is message.text and cached[1] == width:
            return message._lines
        font = theme.font()
        uses = message.tool_uses_text()
        answer = split_tool_use(message.text)[1] if uses else message.text
        if (
            cached is not None
            and cached[1] == width
            and message._lines
            and not uses
            and not message._tool_lines
            and answer.startswith(message._answer)
        ):
            tail = wrap_text(message._lines[-1] + answer[len(message._answer) :], font, width)
            message._lines = message._lines[:-1] + tail
            message._text_width = max([message._text_width] + [font.size(line)[0] for line in tail])
        else:
            message._lines = wrap_text(answer, font, width)
            message._text_width = max((font.size(line)[0] for line in message._lines), default=0)
        small = theme.font(theme.SMALL_FONT_SIZE)
        message._tool_lines = [line for use in uses for line in wrap_text(TOOL_LABEL + use, small, width)]
        tool_width = max((small.size(line)[0] for line in message._tool_lines), default=0)
        message._text_width = max(message._text_width, tool_width)
        message._answer = answer
        message._wrapped_for = (message.text, width)
        message._height = (
            2 * _PAD
            + self._label_height
            + len(message._tool_lines) * self._label_height
            + len(message._lines) * self._line_height
        )
        return message._lines

    def _token_lines(self, message: ChatMessage, width: int) -> list[str]:
        """Lens layout: lines of token segments (cached until the text or the records grow)."""
        insights = message.insights or []
        key = (message.text, len(insights), width)
        if message._lens_key != key:
            pieces = align_to_reply(insights, message.text)
            message._segments = layout_tokens(pieces, width)
            marks = tool_marks([text for _, text in pieces])
            message._marks = {index: mark for (index, _), mark in zip(pieces, marks, strict=True) if mark}
            message._lines = [""] * len(message._segments)
            ends = [seg.x + seg.width for line in message._segments for seg in line]
            message._text_width = max(ends, default=0)
            message._height = 2 * _PAD + self._label_height + len(message._lines) * self._line_height
            message._lens_key = key
            message._wrapped_for = None  # the plain layout is rebuilt when the lens goes off
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

    def token_at(self, pos: tuple[int, int]) -> tuple[ChatMessage, int] | None:
        """The lens token drawn under `pos` in the last frame."""
        if not self.lens or not self.rect.collidepoint(pos):
            return None
        for rect, message, index in self.token_boxes:
            if rect.collidepoint(pos):
                return message, index
        return None

    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEMOTION:
            self.hovered = self.rect.collidepoint(event.pos)
            self._pointer = event.pos
            self.hovered_token = self.token_at(event.pos)
            return False
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self.on_token_click is not None:
            hit = self.token_at(event.pos)
            if hit is not None:
                self.on_token_click(*hit)
                return True
        if event.type == pygame.MOUSEWHEEL and self.hovered:
            self.scroll_by(event.y * _WHEEL_STEP)
            return True
        return False

    def scroll_by(self, pixels: int) -> None:
        """Positive = towards older messages (up)."""
        self.scroll = min(self._max_scroll(), max(0, self.scroll + pixels))

    # --- drawing ------------------------------------------------------------------------
    def _draw_tokens(self, surface: pygame.Surface, message: ChatMessage, x: int, y: int) -> None:
        """A lens reply: each token over the tint of its probability, tool calls underlined."""
        insights = message.insights or []
        line_h = self._line_height
        hovered = self.hovered_token
        for line in message._segments:
            if self.rect.top - line_h < y < self.rect.bottom:
                for seg in line:
                    insight = insights[seg.index]
                    box = pygame.Rect(x + seg.x, y, seg.width, line_h)
                    surface.fill(probability_tint(insight.probability), box)
                    theme.draw_text(surface, seg.text, box.topleft, theme.TEXT_BRIGHT)
                    mark = message._marks.get(seg.index)
                    if mark is not None:
                        colour = TOOL_CALL_LINE if mark == "call" else TOOL_RESULT_LINE
                        pygame.draw.line(surface, colour, box.bottomleft, (box.right - 1, box.bottom - 1), 2)
                    if hovered is not None and hovered[0] is message and hovered[1] == seg.index:
                        pygame.draw.rect(surface, HOVER_OUTLINE, box, 1)
                    self.token_boxes.append((box, message, seg.index))
            y += line_h

    def _draw_hover(self, surface: pygame.Surface) -> None:
        """The top-candidates panel of the token under the pointer (re-checked after the layout moved)."""
        self.hover_rect = None
        if self._pointer is None or not self.lens:
            return
        self.hovered_token = self.token_at(self._pointer)
        if self.hovered_token is None:
            return
        message, index = self.hovered_token
        anchor = next(rect for rect, m, i in self.token_boxes if m is message and i == index)
        insight = (message.insights or [])[index]
        self.hover_rect = draw_hover_panel(surface, insight, anchor, self.rect.inflate(-4, -4))

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(theme.CHAT_BG, self.rect)
        pygame.draw.rect(surface, theme.CHAT_BORDER, self.rect, 1)
        if not self.messages:
            lines = wrap_text(self.empty_text, theme.font(), max(40, self.rect.width - 20))  # narrow windows
            line_h = theme.line_height()
            top = self.rect.centery - line_h * len(lines) // 2
            for i, line in enumerate(lines):
                centre = (self.rect.centerx, top + i * line_h + line_h // 2)
                theme.draw_text(surface, line, centre, theme.CHAT_EMPTY, anchor="center")
            return
        height_now = self.content_height()
        if self.scroll > 0 and height_now > self._last_height:
            self.scroll += height_now - self._last_height  # keep the user's place while text grows
        self._last_height = height_now
        self.scroll = min(self.scroll, self._max_scroll())
        old_clip = surface.get_clip()
        surface.set_clip(self.rect.inflate(-2, -2).clip(old_clip))
        bottom = self.rect.bottom - _GAP + self.scroll
        self.token_boxes = []
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
            if message._lens_key is not None:
                self._draw_tokens(surface, message, x + _PAD, y)
            else:
                for line in message._tool_lines:
                    if self.rect.top - label_h < y < self.rect.bottom:
                        theme.draw_text(
                            surface, line, (x + _PAD, y), TOOL_CALL_LINE, size=theme.SMALL_FONT_SIZE
                        )
                    y += label_h
                for line in lines:
                    if self.rect.top - line_h < y < self.rect.bottom:
                        theme.draw_text(surface, line, (x + _PAD, y), theme.TEXT_BRIGHT)
                    y += line_h
            bottom = top - _GAP
        self._draw_hover(surface)
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
