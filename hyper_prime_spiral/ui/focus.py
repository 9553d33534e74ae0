"""The focus manager: which text field (at most one) receives the keyboard.

Step 3 of the app's event routing. While a field has focus it takes every KEYDOWN, KEYUP
and TEXTINPUT (printable keys insert only through TEXTINPUT; their KEYDOWN is consumed
so no hotkey fires). Tab / Shift+Tab move to the next / previous field of the active tab,
Escape drops focus, Enter submits. Losing focus commits the field: a refused numeric
value is reported on the status line and the previous valid value stays.

Keys typed in the same event batch as the one that gave focus were read by SDL while text
input was still off, so they come as a KEYDOWN without their TEXTINPUT; during that batch the
manager inserts such a key's `unicode` itself (`settle` / `expect_text` / `end_of_events`),
otherwise a quick "I 9 7" in the Visualization tab would lose the "9".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui.widgets.text_input import TextInput

KEY_REPEAT_DELAY_MS = 400
KEY_REPEAT_INTERVAL_MS = 35


def _set_text_input(active: bool, field: TextInput | None = None) -> None:
    """Start/stop SDL text input (and key repeat) as focus comes and goes."""
    try:
        if active and field is not None:
            pygame.key.start_text_input()
            pygame.key.set_text_input_rect(field.rect)
            pygame.key.set_repeat(KEY_REPEAT_DELAY_MS, KEY_REPEAT_INTERVAL_MS)
        else:
            pygame.key.stop_text_input()
            pygame.key.set_repeat()
    except pygame.error:
        pass  # no video subsystem (e.g. a bare unit test): nothing to switch


class FocusManager:
    """Owns `focused`; `report(message, error)` receives refusal messages for the status line."""

    def __init__(self, report: Callable[..., None]) -> None:
        self.focused: TextInput | None = None
        self._report = report
        self._catch_up = False  # True from focus() to the end of that event batch
        self._untyped = ""  # text of a KEYDOWN (in that batch) whose TEXTINPUT has not come yet

    def focus(self, field: TextInput) -> None:
        """Give `field` the keyboard (the previous field is committed first)."""
        if field is self.focused:
            return
        self.blur()
        if not field.enabled:
            return
        self.focused = field
        field.on_focus()
        _set_text_input(True, field)
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
        _set_text_input(False)
        if error:
            self._report(error, error=True)
        return True

    def settle(self, event: pygame.event.Event) -> None:
        """Before routing `event`: a pending key's text that never came as TEXTINPUT goes in now."""
        if self._untyped and event.type == pygame.TEXTINPUT and event.text == self._untyped:
            self._untyped = ""  # it came after all: the field gets it the normal way
        else:
            self._flush_untyped()

    def expect_text(self, event: pygame.event.Event, field: TextInput | None) -> None:
        """After routing a KEYDOWN that `field` (focused before and after it) consumed."""
        mod = getattr(event, "mod", 0)
        text = getattr(event, "unicode", "")
        if (
            self._catch_up
            and field is not None
            and field is self.focused
            and text
            and text.isprintable()
            and not mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META)
            and (text.isalpha() or not mod & pygame.KMOD_SHIFT)  # read without text input, Shift+8 is "8"
        ):
            self._untyped = text

    def end_of_events(self) -> None:
        """The event batch is over: insert what is pending; later keys bring their own TEXTINPUT."""
        self._flush_untyped()
        self._catch_up = False

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
