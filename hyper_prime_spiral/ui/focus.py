"""The focus manager: which text field (at most one) receives the keyboard, and SDL text input.

Step 3 of the app's event routing. While a field has focus it takes every KEYDOWN, KEYUP
and TEXTINPUT (printable keys insert only through TEXTINPUT; their KEYDOWN is consumed
so no hotkey fires). Tab / Shift+Tab move to the next / previous field of the active tab,
Escape drops focus, Enter submits. Losing focus commits the field: a refused numeric
value is reported on the status line and the previous valid value stays.

The only owner of SDL's text-input state: it is on while a field has focus, or while the
active tab asks for raw typed text (`want_typed_text`, the calculator: with text input off,
Shift+8 reads as "8", not "*").

It also settles the race between a key that gives focus and the keys typed right after it,
in one place (`before_event` / `after_event` / `end_of_events`, called by the app):
- the key that gave focus (the Visualization tab's `I`) may still arrive as TEXTINPUT once
  text input is on; that text is dropped, so the field does not start with an "i";
- keys typed in the same event batch were read by SDL while text input was still off, so
  they come as a KEYDOWN without their TEXTINPUT; during that batch the manager inserts such
  a key's `unicode` itself, otherwise a quick "I 9 7" would lose the "9".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui.widgets.text_input import TextInput

KEY_REPEAT_DELAY_MS = 400
KEY_REPEAT_INTERVAL_MS = 35
_COMMAND_MODS = pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META


def _set_text_input(active: bool, field: TextInput | None = None) -> None:
    """Start/stop SDL text input; key repeat and the IME rectangle only for a focused field."""
    try:
        if active:
            pygame.key.start_text_input()
        else:
            pygame.key.stop_text_input()
        if field is not None:
            pygame.key.set_text_input_rect(field.rect)
            pygame.key.set_repeat(KEY_REPEAT_DELAY_MS, KEY_REPEAT_INTERVAL_MS)
        else:
            pygame.key.set_repeat()
    except pygame.error:
        pass  # no video subsystem (e.g. a bare unit test): nothing to switch


def _typed_text(event: pygame.event.Event) -> str:
    """The printable text a KEYDOWN stands for ("" for commands and special keys)."""
    text = getattr(event, "unicode", "")
    if not text or not text.isprintable() or getattr(event, "mod", 0) & _COMMAND_MODS:
        return ""
    return text


class FocusManager:
    """Owns `focused` and SDL text input; `report(message, error)` receives refusal messages."""

    def __init__(self, report: Callable[..., None]) -> None:
        self.focused: TextInput | None = None
        self.typed_text_wanted = False  # the active tab reads raw typed text (no field needed)
        self._report = report
        self._catch_up = False  # True from focus() to the end of that event batch
        self._untyped = ""  # text of a KEYDOWN (in that batch) whose TEXTINPUT has not come yet
        self._focusing_key = ""  # text of the KEYDOWN that gave focus, if its TEXTINPUT may follow
        self._sync_text_input()  # SDL starts text input by default; only a field or a tab wants it

    def _sync_text_input(self) -> None:
        _set_text_input(self.focused is not None or self.typed_text_wanted, self.focused)

    def want_typed_text(self, wanted: bool) -> None:
        """The active tab reads typed characters as TEXTINPUT itself (keep text input on)."""
        if wanted != self.typed_text_wanted:
            self.typed_text_wanted = wanted
            self._sync_text_input()

    def focus(self, field: TextInput) -> None:
        """Give `field` the keyboard (the previous field is committed first)."""
        if field is self.focused:
            return
        self.blur()
        if not field.enabled:
            return
        self.focused = field
        field.on_focus()
        self._sync_text_input()
        self._catch_up = True

    def focus_and_type(self, field: TextInput, text: str) -> None:
        """Focus `field` because of a key pressed while nothing had focus, and type that key's text.

        The key's TEXTINPUT may still follow (then it types the text the normal way) or not (SDL
        had text input off when it read the key; the text then goes in at the end of the batch).
        """
        self.focus(field)
        if self.focused is field:
            self._untyped = text

    def blur(self) -> bool:
        """Drop focus, committing the field. Returns False when nothing had focus."""
        field = self.focused
        if field is None:
            return False
        self.focused = None
        error = field.commit()
        field.on_blur()
        self._sync_text_input()
        if error:
            self._report(error, error=True)
        return True

    def before_event(self, event: pygame.event.Event) -> bool:
        """Before routing `event`. True: it is the focusing key's own text, and is dropped."""
        kind = event.type
        if kind == pygame.TEXTINPUT and self._focusing_key and event.text == self._focusing_key:
            self._focusing_key = ""
            return True
        if kind in (pygame.KEYDOWN, pygame.TEXTINPUT):
            self._focusing_key = ""
        if self._untyped and kind == pygame.TEXTINPUT and event.text == self._untyped:
            self._untyped = ""  # it came after all: the field gets it the normal way
        else:
            self._flush_untyped()
        return False

    def after_event(self, event: pygame.event.Event, focused_before: TextInput | None) -> None:
        """After routing a KEYDOWN: remember text that may still come, or that never will."""
        if event.type != pygame.KEYDOWN:
            return
        text = _typed_text(event)
        field = self.focused
        if not text or field is None or text == self._untyped:
            return  # (already pending as the field's text: the tab typed it on purpose)
        if field is not focused_before:
            self._focusing_key = text  # this key gave focus: its TEXTINPUT is not for the field
        elif self._catch_up and (text.isalpha() or not event.mod & pygame.KMOD_SHIFT):
            self._untyped = text  # read without text input, Shift+8 is "8": only trust the rest

    def end_of_events(self) -> None:
        """The event batch is over: insert what is pending; later keys bring their own TEXTINPUT."""
        self._flush_untyped()
        self._catch_up = False
        self._focusing_key = ""

    def _flush_untyped(self) -> None:
        text, self._untyped = self._untyped, ""
        if text and self.focused is not None:
            self.focused.insert(text)

    def cycle(self, fields: Sequence[TextInput], backwards: bool = False) -> None:
        """Move focus to the next (or previous) enabled field of `fields`, wrapping around."""
        candidates = [f for f in fields if f.enabled]
        if not candidates:
            return
        if self.focused in candidates:
            index = candidates.index(self.focused) + (-1 if backwards else 1)
        else:
            index = -1 if backwards else 0
        self.focus(candidates[index % len(candidates)])

    def handle_key(self, event: pygame.event.Event, fields: Sequence[TextInput]) -> bool:
        """Route a keyboard event to the focused field. Always consumes it while a field has focus."""
        field = self.focused
        if field is None:
            return False
        if event.type == pygame.TEXTINPUT:
            return field.handle_text(event)
        if event.type != pygame.KEYDOWN:
            return True
        shift = bool(event.mod & pygame.KMOD_SHIFT)
        if event.key == pygame.K_TAB and not shift and field.on_tab is not None and field.on_tab(field):
            pass  # the field used Tab itself (e.g. path completion)
        elif event.key == pygame.K_TAB:
            self.cycle(fields, backwards=shift)
        elif event.key == pygame.K_ESCAPE:
            self.blur()
        elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and not (
            shift and getattr(field, "newline_on_shift_enter", False)
        ):
            error = field.submit()
            if error:
                self._report(error, error=True)
        else:
            field.handle_key(event)
        return True
