"""A one-line text field: caret, selection, clipboard, scrolling, placeholder, numeric mode.

Text arrives only from TEXTINPUT events (pygame also sends a KEYDOWN with `.unicode` for a
printable key; the field consumes that KEYDOWN without inserting, so no hotkey fires and no
character is typed twice). Keys reach a field only through the app's focus manager, which
handles Tab, Escape and Enter itself (see `ui/focus.py`).

Numeric mode (`numeric="int"` or `"float"` with `minimum`/`maximum`): any text may be typed,
but `commit()` (Enter, or focus leaving the field) refuses a non-number or an out-of-range
value, puts the previous valid value back and returns a message for the status line.
With `allow_empty=True` a blank field is valid too (`value` None, e.g. "blank = random").
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.clipboard import copy_text, paste_text
from hyper_prime_spiral.ui.widgets.keys import command_held

_CARET_BLINK_MS = 530
_DOUBLE_CLICK_MS = 400
_INNER_PAD = 6
_LABEL_GAP = 3


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class TextInput:
    """A focusable single-line text field.

    Public state: `text`, `caret` (index), `anchor` (selection start or None), `focused`
    (set by the focus manager), `value` (last valid number in numeric mode), `enabled`.
    Ctrl+Z undoes an edit, Ctrl+Shift+Z or Ctrl+Y redoes it (Cmd instead of Ctrl on macOS);
    a run of typed characters is one step.
    Callbacks: `on_submit(field)` after Enter with a valid value, `on_change(field)` after
    every edit, `on_tab(field) -> bool` when Tab is pressed (return True to keep the key,
    e.g. for path completion; otherwise focus moves to the next field).
    """

    def __init__(
        self,
        rect: pygame.Rect | tuple[int, int, int, int] = (0, 0, 200, 28),
        *,
        label: str = "",
        placeholder: str = "",
        text: str = "",
        max_length: int = 256,
        numeric: str | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        on_submit: Callable[[TextInput], None] | None = None,
        on_change: Callable[[TextInput], None] | None = None,
        on_tab: Callable[[TextInput], bool] | None = None,
        enabled: bool = True,
        allow_empty: bool = False,
    ) -> None:
        if numeric not in (None, "int", "float"):
            raise ValueError(f"numeric must be None, 'int' or 'float', not {numeric!r}")
        self.rect = pygame.Rect(rect)
        self.label = label
        self.placeholder = placeholder
        self.max_length = max_length
        self.numeric = numeric
        self.minimum = minimum
        self.maximum = maximum
        self.on_submit = on_submit
        self.on_change = on_change
        self.on_tab = on_tab
        self.enabled = enabled
        self.allow_empty = allow_empty
        self.focused = False
        self.text = ""
        self.caret = 0
        self.anchor: int | None = None
        self.scroll_x = 0
        self.value: float | int | None = None
        self._valid_text = ""
        self._dragging = False
        self._last_click = (-(10**9), -1)  # (ticks, index) of the previous press, for double clicks
        self._click_count = 0
        self._blink_start = 0
        self._surface_text: str | None = None
        self._surface: pygame.Surface | None = None
        self._undo: list[tuple[str, int]] = []
        self._redo: list[tuple[str, int]] = []
        self._typing = False  # the last edit was typed text: the next typed character joins its step
        self.set_text(text)

    # --- text and value -----------------------------------------------------------------
    def set_text(self, text: str) -> None:
        """Replace the text (caret to the end); in numeric mode a valid text also sets `value`.

        Raises ValueError (and changes nothing) for a numeric field given a non-empty invalid text.
        """
        text = self._clean(text)[: self.max_length]
        if self.numeric:
            parsed = self._parse(text)
            if isinstance(parsed, str):
                if text:
                    raise ValueError(parsed)
            else:
                self.value = parsed
                self._valid_text = text
        self.text = text
        self.caret = len(self.text)
        self.anchor = None

    def clear(self) -> None:
        """Empty the field."""
        self._remember()
        self.text = ""
        self.caret = 0
        self.anchor = None
        self._changed()

    def commit(self) -> str | None:
        """Validate a numeric field: None if fine, else a message (and the last valid value is restored)."""
        if not self.numeric:
            return None
        if self.allow_empty and not self.text.strip():
            self.text, self.caret, self.anchor, self.value, self._valid_text = "", 0, None, None, ""
            return None
        parsed = self._parse(self.text.strip())
        if isinstance(parsed, str):
            self.text = self._valid_text
            self.caret = len(self.text)
            self.anchor = None
            return parsed
        self.value = parsed
        self.text = self.text.strip()
        self._valid_text = self.text
        return None

    def submit(self) -> str | None:
        """Enter: commit, then call `on_submit` if the value is valid. Returns the refusal message, if any."""
        error = self.commit()
        if error is None and self.on_submit is not None:
            self.on_submit(self)
        return error

    def _parse(self, text: str) -> float | int | str:
        name = self.label.rstrip(": ") or "Value"
        kind = "a whole number" if self.numeric == "int" else "a number"
        kept = f"kept {self._valid_text}" if self._valid_text else "field cleared"
        try:
            number: float | int = int(text) if self.numeric == "int" else float(text)
        except ValueError:
            return f"{name}: '{text}' is not {kind} ({kept})"
        if isinstance(number, float) and not math.isfinite(number):
            return f"{name}: '{text}' is not a finite number ({kept})"
        low, high = self.minimum, self.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            return f"{name}: {text} is outside {_fmt(low)}..{_fmt(high)} ({kept})"
        return number

    # --- selection ----------------------------------------------------------------------
    def selection(self) -> tuple[int, int] | None:
        """(start, end) of the selected text, or None."""
        if self.anchor is None or self.anchor == self.caret:
            return None
        return min(self.anchor, self.caret), max(self.anchor, self.caret)

    @property
    def selected_text(self) -> str:
        span = self.selection()
        return self.text[span[0] : span[1]] if span else ""

    def select_all(self) -> None:
        self.anchor = 0
        self.caret = len(self.text)

    def _delete_selection(self) -> bool:
        span = self.selection()
        if span is None:
            return False
        self.text = self.text[: span[0]] + self.text[span[1] :]
        self.caret = span[0]
        self.anchor = None
        return True

    def insert(self, new_text: str) -> None:
        """Insert at the caret, replacing the selection; cut to `max_length`."""
        new_text = self._clean(new_text)
        room = self.max_length - len(self.text) + len(self.selected_text)
        new_text = new_text[: max(room, 0)]
        if not new_text and not self.selection():
            return
        self._remember(typing=len(new_text) == 1 and not self.selection())
        self._delete_selection()
        self.text = self.text[: self.caret] + new_text + self.text[self.caret :]
        self.caret += len(new_text)
        self._changed()

    @staticmethod
    def _clean(text: str) -> str:
        return "".join(" " if ch in "\t\r\n" else ch for ch in text if ch.isprintable() or ch in "\t\r\n")

    def _changed(self) -> None:
        self.anchor = None  # an edit leaves no selection behind
        self._last_click = (-(10**9), -1)  # nor half a double click
        self._blink_start = pygame.time.get_ticks()
        if self.on_change is not None:
            self.on_change(self)

    # --- events (from the focus manager) ------------------------------------------------
    # --- undo / redo ----------------------------------------------------------------------
    UNDO_LIMIT = 200

    def _remember(self, typing: bool = False) -> None:
        """Keep the state before an edit (a typed character after another typed one joins its step)."""
        if not (typing and self._typing and self._undo):
            self._undo.append((self.text, self.caret))
            del self._undo[: -self.UNDO_LIMIT]
        self._redo.clear()
        self._typing = typing

    def undo(self) -> bool:
        """Go back one edit; False when there is none."""
        return self._step(self._undo, self._redo)

    def redo(self) -> bool:
        """Redo the edit undone last; False when there is none."""
        return self._step(self._redo, self._undo)

    def _step(self, source: list[tuple[str, int]], target: list[tuple[str, int]]) -> bool:
        if not source:
            return False
        target.append((self.text, self.caret))
        self.text, self.caret = source.pop()
        self._typing = False
        self._changed()
        return True

    def handle_text(self, event: pygame.event.Event) -> bool:
        """TEXTINPUT: the only way typed characters get in."""
        self.insert(event.text)
        return True

    def handle_key(self, event: pygame.event.Event) -> bool:
        """KEYDOWN while focused: editing keys act; every other key is consumed without effect."""
        key, mod = event.key, getattr(event, "mod", 0)
        ctrl = command_held(mod)
        shift = bool(mod & pygame.KMOD_SHIFT)
        if ctrl and key == pygame.K_z and shift:
            self.redo()
        elif ctrl and key == pygame.K_z:
            self.undo()
        elif ctrl and key == pygame.K_y:
            self.redo()
        elif ctrl and key == pygame.K_a:
            self.select_all()
        elif ctrl and key == pygame.K_c:
            if self.selection():
                copy_text(self.selected_text)
        elif ctrl and key == pygame.K_x:
            if self.selection():
                copy_text(self.selected_text)
                self._remember()
                self._delete_selection()
                self._changed()
        elif ctrl and key == pygame.K_v:
            self.insert(paste_text())
        elif key == pygame.K_BACKSPACE:
            if self.selection() or self.caret > 0:
                self._remember()
            if not self._delete_selection() and self.caret > 0:
                start = self._word_left() if ctrl else self.caret - 1
                self.text = self.text[:start] + self.text[self.caret :]
                self.caret = start
            self._changed()
        elif key == pygame.K_DELETE:
            if self.selection() or self.caret < len(self.text):
                self._remember()
            if not self._delete_selection() and self.caret < len(self.text):
                end = self._word_right() if ctrl else self.caret + 1
                self.text = self.text[: self.caret] + self.text[end:]
            self._changed()
        elif key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_HOME, pygame.K_END):
            self._typing = False  # typing somewhere else is a new undo step
            self._move_caret(key, ctrl, shift)
        return True

    def _move_caret(self, key: int, ctrl: bool, shift: bool) -> None:
        span = self.selection()
        if key == pygame.K_LEFT:
            target = self._word_left() if ctrl else self.caret - 1
            if span and not shift:
                target = span[0]
        elif key == pygame.K_RIGHT:
            target = self._word_right() if ctrl else self.caret + 1
            if span and not shift:
                target = span[1]
        elif key == pygame.K_HOME:
            target = 0
        else:
            target = len(self.text)
        if shift:
            if self.anchor is None:
                self.anchor = self.caret
        else:
            self.anchor = None
        self.caret = max(0, min(len(self.text), target))
        self._blink_start = pygame.time.get_ticks()

    def _word_left_of(self, i: int) -> int:
        while i > 0 and _is_word_char(self.text[i - 1]):
            i -= 1
        return i

    def _word_right_of(self, i: int) -> int:
        while i < len(self.text) and _is_word_char(self.text[i]):
            i += 1
        return i

    def _word_left(self) -> int:
        i = self.caret
        while i > 0 and not _is_word_char(self.text[i - 1]):
            i -= 1
        while i > 0 and _is_word_char(self.text[i - 1]):
            i -= 1
        return i

    def _word_right(self) -> int:
        i, n = self.caret, len(self.text)
        while i < n and not _is_word_char(self.text[i]):
            i += 1
        while i < n and _is_word_char(self.text[i]):
            i += 1
        return i

    def handle_mouse(self, event: pygame.event.Event) -> bool:
        """Clicks and drags inside the field place the caret and select (the app routes them here)."""
        self._typing = False  # typing after a click is a new undo step
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            index = self.index_at(event.pos[0])
            now = pygame.time.get_ticks()
            repeated = now - self._last_click[0] <= _DOUBLE_CLICK_MS and index == self._last_click[1]
            self._click_count = self._click_count % 3 + 1 if repeated else 1
            self._last_click = (now, index)
            if self._click_count > 1:  # double click selects the word, triple click everything
                self.caret = index
                if self._click_count == 2:
                    self.anchor, self.caret = self._word_left_of(index), self._word_right_of(index)
                else:
                    self.select_all()
                return True
            shift = bool(pygame.key.get_mods() & pygame.KMOD_SHIFT)
            if shift:
                if self.anchor is None:
                    self.anchor = self.caret
            else:
                self.anchor = index
            self.caret = index
            self._dragging = True
            self._blink_start = pygame.time.get_ticks()
            return True
        if event.type == pygame.MOUSEMOTION and self._dragging:
            self.caret = self.index_at(event.pos[0])
            return True
        if event.type == pygame.MOUSEBUTTONUP and self._dragging:
            self._dragging = False
            if self.anchor == self.caret:
                self.anchor = None
            return True
        return False

    def index_at(self, x: int) -> int:
        """Caret index nearest to window x coordinate `x`."""
        font = theme.font()
        local = x - (self.rect.x + _INNER_PAD) + self.scroll_x
        previous = 0
        for i in range(1, len(self.text) + 1):
            width = font.size(self.text[:i])[0]
            if local < (previous + width) / 2:
                return i - 1
            previous = width
        return len(self.text)

    def on_focus(self) -> None:
        self.focused = True
        self._blink_start = pygame.time.get_ticks()

    def on_blur(self) -> None:
        self.focused = False
        self.anchor = None
        self._dragging = False

    # --- drawing ------------------------------------------------------------------------
    def caret_pixel(self) -> int:
        """Caret x offset from the start of the text, in pixels."""
        return theme.font().size(self.text[: self.caret])[0]

    def _text_surface(self) -> pygame.Surface:
        if self._surface_text != self.text or self._surface is None:
            self._surface = theme.font().render(self.text, True, theme.FIELD_TEXT)
            self._surface_text = self.text
        return self._surface

    def draw(self, surface: pygame.Surface) -> None:
        rect = self.rect
        if self.label:
            theme.draw_text(
                surface, self.label, (rect.x, rect.y - _LABEL_GAP), theme.FIELD_LABEL, anchor="bottomleft"
            )
        fill = theme.FIELD_BG_FOCUSED if self.focused else theme.FIELD_BG
        if not self.enabled:
            fill = theme.BUTTON_DISABLED
        pygame.draw.rect(surface, fill, rect, border_radius=3)
        border = theme.FIELD_BORDER_FOCUSED if self.focused else theme.FIELD_BORDER
        pygame.draw.rect(surface, border, rect, 2 if self.focused else 1, border_radius=3)
        inner = rect.inflate(-2 * _INNER_PAD, -4)
        if inner.width <= 0 or inner.height <= 0:
            return
        old_clip = surface.get_clip()
        surface.set_clip(inner.clip(old_clip) if old_clip else inner)
        font_height = theme.font().get_height()
        text_y = rect.centery - font_height // 2
        if not self.text and not self.focused and self.placeholder:
            theme.draw_text(surface, self.placeholder, (inner.x, text_y), theme.FIELD_PLACEHOLDER)
        else:
            self._keep_caret_visible(inner.width)
            x0 = inner.x - self.scroll_x
            span = self.selection()
            if span and self.focused:
                font = theme.font()
                sx = font.size(self.text[: span[0]])[0]
                ex = font.size(self.text[: span[1]])[0]
                pygame.draw.rect(surface, theme.FIELD_SELECTION, (x0 + sx, text_y, ex - sx, font_height))
            if self.text:
                surface.blit(self._text_surface(), (x0, text_y))
            blink_on = ((pygame.time.get_ticks() - self._blink_start) // _CARET_BLINK_MS) % 2 == 0
            if self.focused and blink_on:
                cx = x0 + self.caret_pixel()
                pygame.draw.line(surface, theme.TEXT_BRIGHT, (cx, text_y), (cx, text_y + font_height - 1))
        surface.set_clip(old_clip)

    def _keep_caret_visible(self, visible_width: int) -> None:
        caret_x = self.caret_pixel()
        full = self._text_surface().get_width()
        if caret_x - self.scroll_x > visible_width - 2:
            self.scroll_x = caret_x - visible_width + 2
        elif caret_x < self.scroll_x:
            self.scroll_x = caret_x
        self.scroll_x = max(0, min(self.scroll_x, max(0, full - visible_width + 2)))


def _fmt(number: float | None) -> str:
    if number is None:
        return ""
    return f"{number:g}"
