"""A modal dialog: title, message, 1-3 buttons, optional text field.

While `app.dialog` is set the app sends it every keyboard and mouse event (routing step 2):
nothing reaches the tab or the hotkeys. Enter presses the highlighted button (the default
one until Tab, or Left/Right without a text field, moves the highlight), Escape the cancel
button. `on_result(label, text)` is called with the pressed button's label (or None when
closed by Escape without a cancel button) and the text field's content (or None).
`validate(label, text) -> str | None` may refuse a result: its message is shown in the
dialog, which stays open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pygame

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.modal import ModalBackdrop, mark_closed
from hyper_prime_spiral.ui.widgets.text_input import TextInput
from hyper_prime_spiral.ui.widgets.wrap import wrap_text

_WIDTH = 520
_BUTTON_W = 150
_BUTTON_H = 34


class Dialog:
    """Build it, then `app.open_dialog(dialog)`. `result` holds the pressed label after closing."""

    def __init__(
        self,
        title: str,
        message: str,
        buttons: Sequence[str] = ("OK",),
        *,
        default: int = 0,
        cancel: int | None = None,
        text_field: TextInput | None = None,
        on_result: Callable[[str | None, str | None], None] | None = None,
        validate: Callable[[str | None, str | None], str | None] | None = None,
    ) -> None:
        if not 1 <= len(buttons) <= 3:
            raise ValueError("a Dialog has 1 to 3 buttons")
        self.title = title
        self.message = message
        self.labels = list(buttons)
        self.default = default
        self.selected = default  # the button Enter presses; Tab (or Left/Right) moves it
        self.cancel = cancel if cancel is not None else (len(buttons) - 1 if len(buttons) > 1 else None)
        self.text_field = text_field
        self.on_result = on_result
        self.validate = validate
        self.error = ""
        self.closed = False
        self.result: str | None = None
        self.buttons = [
            Button(label=label, on_click=lambda i=i: self.choose(i)) for i, label in enumerate(buttons)
        ]
        for i, button in enumerate(self.buttons):
            if i == self.default:
                button.kind = "primary"
            elif i == self.cancel and len(self.buttons) > 1:
                button.kind = "danger"
        self.rect = pygame.Rect(0, 0, _WIDTH, 200)
        self._screen = pygame.Rect(0, 0, 1600, 900)
        self.close_hook: Callable[[Dialog], None] | None = None  # set by the app (Modal protocol)
        self._backdrop = ModalBackdrop()

    # --- results ------------------------------------------------------------------------
    def choose(self, index: int | None) -> None:
        """Close with button `index` (None = dismissed), unless `validate` refuses."""
        if index is not None and not self.buttons[index].enabled:
            return  # a disabled choice (e.g. "Overwrite" with nothing to overwrite)
        label = self.labels[index] if index is not None else None
        text = self.text_field.text if self.text_field is not None else None
        is_cancel = index is None or index == self.cancel
        if self.validate is not None and not is_cancel:
            problem = self.validate(label, text)
            if problem:
                self.error = problem
                return
        self.result = label
        mark_closed(self)
        if self.on_result is not None:
            self.on_result(label, text)

    # --- events -------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        """Takes every event (modal). Keys go to the text field except Enter / Escape."""
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
                self.choose(self.selected)
            elif (event.key == pygame.K_TAB and not event.mod & pygame.KMOD_CTRL) or (
                self.text_field is None and event.key in (pygame.K_LEFT, pygame.K_RIGHT)
            ):
                backwards = event.key == pygame.K_LEFT or bool(event.mod & pygame.KMOD_SHIFT)
                self._move_selection(-1 if backwards else 1)
            elif event.key == pygame.K_ESCAPE:
                self.choose(self.cancel)
            elif self.text_field is not None and event.key != pygame.K_TAB:
                self.text_field.handle_key(event)
            return True
        if event.type == pygame.TEXTINPUT:
            if self.text_field is not None:
                self.text_field.handle_text(event)
            return True
        if event.type in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION):
            if self.text_field is not None and (
                self.text_field.rect.collidepoint(event.pos) or event.type != pygame.MOUSEBUTTONDOWN
            ):
                self.text_field.handle_mouse(event)
            for button in self.buttons:
                button.handle_event(event)
        return True

    def _move_selection(self, step: int) -> None:
        """Highlight the next enabled button in direction `step` (wrapping)."""
        for _ in range(len(self.buttons)):
            self.selected = (self.selected + step) % len(self.buttons)
            if self.buttons[self.selected].enabled:
                return

    # --- layout and drawing -------------------------------------------------------------
    def layout(self, screen: pygame.Rect) -> None:
        """Centre on `screen` and place the field and buttons."""
        if not self.buttons[self.selected].enabled:
            self._move_selection(1)
        self._screen = pygame.Rect(screen)
        width = min(_WIDTH, screen.width - 40)
        lines = wrap_text(self.message, theme.font(), width - 40)
        height = 60 + len(lines) * theme.line_height() + 24 + _BUTTON_H + 20
        if self.text_field is not None:
            height += 44
        self.rect = pygame.Rect(0, 0, width, height)
        self.rect.center = screen.center
        y = self.rect.y + 50 + len(lines) * theme.line_height() + 10
        if self.text_field is not None:
            self.text_field.rect = pygame.Rect(self.rect.x + 20, y, width - 40, 30)
            y += 44
        count = len(self.buttons)
        button_w = min(_BUTTON_W, (width - 40 - 10 * (count - 1)) // count)
        total = count * button_w + (count - 1) * 10
        x = self.rect.centerx - total // 2
        for button in self.buttons:
            button.rect = pygame.Rect(x, self.rect.bottom - 20 - _BUTTON_H, button_w, _BUTTON_H)
            x += button_w + 10

    def draw(self, surface: pygame.Surface) -> None:
        if surface.get_rect() != self._screen:
            self.layout(surface.get_rect())
        self._backdrop.draw(surface, self.rect)
        theme.draw_dialog_title(surface, self.title, (self.rect.x + 20, self.rect.y + 15))
        y = self.rect.y + 50
        for line in wrap_text(self.message, theme.font(), self.rect.width - 40):
            theme.draw_text(surface, line, (self.rect.x + 20, y), theme.TEXT)
            y += theme.line_height()
        if self.text_field is not None:
            self.text_field.draw(surface)
        if self.error:
            anchor_y = self.buttons[0].rect.y - 4
            theme.draw_text(surface, self.error, (self.rect.x + 20, anchor_y), theme.RED, anchor="bottomleft")
        for button in self.buttons:
            button.draw(surface)
        selected = self.buttons[self.selected].rect.inflate(6, 6)
        pygame.draw.rect(surface, theme.YELLOW, selected, 2, border_radius=6)
