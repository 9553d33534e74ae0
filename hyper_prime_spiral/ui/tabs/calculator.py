"""Calculator tab: a mini-map of the current mode, the 4x5 calculator and the mode selector.

The arithmetic is `primes.calculator.Calculator`; positive integer results are analysed into the
shared view's history (so they are marked on every view). Keys typed while this tab is
active and no field has focus go to the calculator first (digits, . + - * / = Enter Backspace,
Delete = CE, c = C); the remaining view hotkeys (M, arrows, Space, ...) still work.
"""

from __future__ import annotations

import pygame

from hyper_prime_spiral.primes import calculator, modes
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.shared_view import VisualTab
from hyper_prime_spiral.ui.views.prime_view import PrimeView
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.wrap import wrap_lines, wrap_text

_KEY_LABELS = {
    pygame.K_RETURN: "=",
    pygame.K_KP_ENTER: "=",
    pygame.K_BACKSPACE: "Backspace",
    pygame.K_DELETE: "CE",
}
_KEYPAD = {
    pygame.K_KP_PLUS: "+",
    pygame.K_KP_MINUS: "-",
    pygame.K_KP_MULTIPLY: "*",
    pygame.K_KP_DIVIDE: "/",
    pygame.K_KP_PERIOD: ".",
    **{getattr(pygame, f"K_KP{i}"): str(i) for i in range(10)},
}

_TYPED_CHARS = "0123456789.+-*/=cC"


class CalculatorTab(VisualTab):
    name = "Calculator"
    wants_typed_text = True  # so "*" and "+" typed on the main keyboard arrive as themselves

    def __init__(self, app) -> None:
        super().__init__(app)
        self.calc = calculator.Calculator()
        self.message = ""
        self.message_error = False
        self.minimap = PrimeView()
        self.compact = False  # the small-window layout
        self.minimap_rect = pygame.Rect(0, 0, 10, 10)
        self._mouse: tuple[int, int] | None = None
        self.display_rect = pygame.Rect(0, 0, 10, 10)
        self.key_buttons: dict[str, Button] = {}
        for row in calculator.BUTTON_ROWS:
            for label in row:
                kind = (
                    "primary"
                    if label in ("=", "Analyze")
                    else ("danger" if label in ("C", "CE") else "normal")
                )
                self.key_buttons[label] = Button(
                    label=label, on_click=lambda k=label: self.press(k), kind=kind
                )
        self.mode_buttons = [
            Button(label=name, on_click=lambda i=i: self.model.set_mode(i))
            for i, name in enumerate(modes.MODE_NAMES)
        ]
        self.content_widgets = [*self.key_buttons.values(), *self.mode_buttons]

    # --- actions -------------------------------------------------------------------------
    def press(self, key: str) -> None:
        """One calculator key; integer results are analysed and marked."""
        outcome = self.calc.press(key)
        self.message, self.message_error = outcome.message, outcome.error
        if outcome.error:
            self.app.set_status(f"Calculator: {outcome.message}", error=True)
        if outcome.analyze is not None:
            entry = self.model.add_analysis(outcome.analyze)
            if entry is not None:
                kind = "prime" if entry.is_prime else f"composite = {entry.factor_text}"
                self.message = f"{outcome.message}  ({entry.n:,} is {kind})".strip()
            elif self.model.message_error:
                self.message, self.message_error = self.model.message, True
            else:
                self.message = f"{outcome.message}  ({self.model.message})".strip()

    # --- layout --------------------------------------------------------------------------
    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        super().layout(content_rect, panel_rect)
        r = content_rect
        self.minimap_rect = pygame.Rect(r.x + 30, r.y + 10, r.width - 60, max(80, int(r.height * 0.33)))
        top = self.minimap_rect.bottom + 34
        key_w = max(60, min(150, (r.width - 120) // 7))
        key_h = max(26, min(54, (r.bottom - top - 70) // 5 - 8))
        self.display_rect = pygame.Rect(r.x + 40, top, 4 * key_w + 30, 42)
        gy = self.display_rect.bottom + 30
        for row_index, row in enumerate(calculator.BUTTON_ROWS):
            for col, label in enumerate(row):
                self.key_buttons[label].rect = pygame.Rect(
                    r.x + 40 + col * (key_w + 10), gy + row_index * (key_h + 8), key_w, key_h
                )
        mx = self.display_rect.right + 40
        mode_w = max(80, min(200, (r.right - mx - 20) // 2 - 8))
        mode_h = max(22, min(40, key_h))
        self.mode_title_pos = (mx, top)
        for i, button in enumerate(self.mode_buttons):
            col, row = divmod(i, 5)
            button.rect = pygame.Rect(mx + col * (mode_w + 10), top + 26 + row * (mode_h + 8), mode_w, mode_h)
        self.compact = not all(r.contains(b.rect) for b in [*self.key_buttons.values(), *self.mode_buttons])
        if self.compact:
            self._layout_compact(r)

    def _layout_compact(self, r: pygame.Rect) -> None:
        """A small window: mini-map, display, keypad and the mode buttons stacked in the width there is."""
        gap, key_h, mode_h = 4, 24, 22
        x, w = r.x + 10, r.width - 20
        rows = len(calculator.BUTTON_ROWS)
        below_map = 6 + 30 + 18 + rows * (key_h + gap) + 18 + 2 * (mode_h + gap)
        self.minimap_rect = pygame.Rect(x, r.y + 6, w, max(40, r.height - below_map - 6))
        self.display_rect = pygame.Rect(x, self.minimap_rect.bottom + 6, w, 30)
        key_w = (w - 3 * gap) // 4
        gy = self.display_rect.bottom + 18
        for row_index, row in enumerate(calculator.BUTTON_ROWS):
            for col, label in enumerate(row):
                self.key_buttons[label].rect = pygame.Rect(
                    x + col * (key_w + gap), gy + row_index * (key_h + gap), key_w, key_h
                )
        top = gy + rows * (key_h + gap) + 18
        self.mode_title_pos = (x, top - 17)
        mode_w = (w - 4 * gap) // 5
        for i, button in enumerate(self.mode_buttons):
            row, col = divmod(i, 5)
            button.rect = pygame.Rect(x + col * (mode_w + gap), top + row * (mode_h + gap), mode_w, mode_h)

    # --- input ---------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self._mouse = event.pos
        if super().handle_event(event):
            return True
        if event.type == pygame.TEXTINPUT:
            for char in event.text:
                if char in _TYPED_CHARS:
                    self._press_key("C" if char in "cC" else char)
            return True
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.minimap_rect.collidepoint(event.pos)
        ):
            model = self.model
            mark = self.minimap.mark_at(
                event.pos, self.minimap_rect, self._minimap_state(), model.history, 10.0
            )
            if mark >= 0:
                model.select(mark)
                self.message, self.message_error = f"Selected {model.history[mark].n:,}", False
            return True
        if event.type == pygame.MOUSEWHEEL:
            if self._mouse is not None and self.minimap_rect.collidepoint(self._mouse):
                self.model.zoom_by(1.2 if event.y > 0 else 1 / 1.2)
                return True
        return False

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META) or event.key == pygame.K_i:
            return False
        label = _KEYPAD.get(event.key) or _KEY_LABELS.get(event.key)
        if label is not None:
            self._press_key(label)
            return True
        char = getattr(event, "unicode", "")
        if char and char in _TYPED_CHARS:
            return True  # typed characters come as TEXTINPUT (Shift+8 is "*" only there)
        return self.handle_view_hotkey(event)

    def _press_key(self, label: str) -> None:
        """A typed key: its button is clicked (and flashes), or the calculator is told directly."""
        button = self.key_buttons.get(label)
        if button is not None:
            button.click()
        else:
            self.press(label)

    # --- drawing -------------------------------------------------------------------------
    def _minimap_state(self):
        model = self.model
        scale = min(
            self.minimap_rect.width / max(self.content_rect.width, 1),
            self.minimap_rect.height / max(self.content_rect.height, 1),
        )
        return model.view_state(zoom_scale=scale)

    def draw_content(self, surface: pygame.Surface) -> None:
        model = self.model
        rect = self.minimap_rect
        old_clip = surface.get_clip()
        surface.set_clip(rect.clip(old_clip))
        self.minimap.draw(
            surface,
            rect,
            self._minimap_state(),
            model.history,
            model.selected,
            model.factor_entries(),
            mark_radius=3,
        )
        surface.set_clip(old_clip)
        pygame.draw.rect(surface, theme.ACCENT, rect, 1)
        theme.draw_text(
            surface,
            f"Mini-map: {model.mode_name}",
            (rect.x + 8, rect.y + 6),
            theme.TEXT_DIM,
            size=theme.SMALL_FONT_SIZE,
        )
        if not self.compact:  # (no room for the title in a small window)
            theme.draw_text(
                surface,
                "PRIME MATHEMATICS CALCULATOR",
                (self.display_rect.x, self.display_rect.y - 24),
                theme.GREEN,
                bold=True,
            )
        pygame.draw.rect(surface, (15, 20, 30), self.display_rect)
        pygame.draw.rect(surface, theme.ACCENT, self.display_rect, 1)
        text = self.calc.display
        while theme.text_width(text, size=22) > self.display_rect.width - 20 and len(text) > 4:
            text = "..." + text[4:]
        theme.draw_text(
            surface,
            text,
            (self.display_rect.right - 10, self.display_rect.centery),
            theme.YELLOW,
            size=22,
            anchor="midright",
        )
        if self.message:
            colour = theme.RED if self.message_error else theme.CYAN
            theme.draw_text(
                surface,
                self.message[:90],
                (self.display_rect.x, self.display_rect.bottom + 6),
                colour,
                size=theme.SMALL_FONT_SIZE,
            )
        size = theme.SMALL_FONT_SIZE if self.compact else theme.FONT_SIZE
        theme.draw_text(surface, "VISUALIZATION MODE", self.mode_title_pos, theme.GREEN, bold=True, size=size)
        for i, button in enumerate(self.mode_buttons):
            button.kind = "primary" if i == model.mode_index else "normal"
        super().draw_content(surface)

    def draw_panel(self, surface: pygame.Surface) -> None:
        x, y = self.panel_rect.x + 10, self.panel_rect.y + 10
        theme.draw_text(surface, "CALCULATOR", (x, y), theme.GREEN, bold=True)
        help_lines = (
            "Keys: 0-9 . + - * / Enter(=)",
            "Backspace, Delete = CE, c = C",
            "M mode, arrows pan, Space",
        )
        for i, line in enumerate(help_lines):
            theme.draw_text(surface, line, (x, y + 24 + 17 * i), theme.TEXT_DIM, size=theme.SMALL_FONT_SIZE)
        y += 90
        entry = self.model.selected_entry
        theme.draw_text(
            surface, f"ANALYSIS ({len(self.model.history)} in history)", (x, y), theme.GREEN, bold=True
        )
        if entry is None:
            theme.draw_text(surface, "Integer results are analysed here", (x, y + 24), theme.TEXT_DIM)
            return
        summary = entry.summary_lines()
        small = theme.font(theme.SMALL_FONT_SIZE)
        first = wrap_text(summary[0], small, self.panel_rect.width - 20)
        for i, line in enumerate(first + wrap_lines(summary[1:], small, self.panel_rect.width - 20)):
            colour = (theme.GREEN if entry.is_prime else theme.RED) if i < len(first) else theme.CYAN
            theme.draw_text(surface, line, (x, y + 24 + 18 * i), colour, size=theme.SMALL_FONT_SIZE)
