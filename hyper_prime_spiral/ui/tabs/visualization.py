"""Visualization tab: the prime clock abacus in ten modes, with zoom, pan, animation and analysis.

The view it shows is the App's shared `primes.view_model.ViewModel` (also shown by the Calculator
and Spheres tabs); this tab adds the panel's controls, the number field, mouse drag, zoom about
the pointer and the hover readout. The maths lives in `primes/`; `ui/views/prime_view.py` draws.
"""

from __future__ import annotations

import pygame

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.primes.factorize import factorize, format_factors
from hyper_prime_spiral.primes.view_model import ZOOM_STEP
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.shared_view import VisualTab
from hyper_prime_spiral.ui.views.palette import ANALYSED
from hyper_prime_spiral.ui.views.prime_view import PrimeView
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.text_input import TextInput
from hyper_prime_spiral.ui.widgets.wrap import wrap_lines, wrap_text

MODE_NAMES = modes.MODE_NAMES

CONTROLS_LEGEND = (
    "M mode  I input  F factors  A all/last",
    "Space animate  E +1000  S snapshot  G grid",
    "+/- wheel zoom  arrows/drag pan  0 reset",
    "C crystalline  [ ] depth  H n^2+n+41",
    "P panel  R record  Q quit",
)


class VisualizationTab(VisualTab):
    """The shared view with its controls: `number_field`, the mode/count/option buttons, hover."""

    name = "Visualization"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.info_rect = pygame.Rect(0, 0, 0, 0)  # the mode / zoom line at the view's bottom left
        self.hover_pos: tuple[int, int] | None = None
        self.hover_lines: list[str] = []
        self._hover_for: tuple | None = None
        self._dragging = False
        self._drag_moved = False
        self._last_mouse: tuple[int, int] | None = None
        self.view = PrimeView()

        self.number_field = TextInput(
            label="", placeholder="Click to enter number...", max_length=24, on_submit=self._analyse_field
        )
        self.start_field = TextInput(
            label="",
            placeholder="start",
            text="1",
            max_length=10,
            numeric="int",
            minimum=1,
            maximum=10**9,
            on_submit=self._start_changed,
        )
        self.analyze_button = Button(label="ANALYZE (Enter)", on_click=self._analyse_clicked, kind="primary")
        self.prev_mode_button = Button(label="<", on_click=lambda: self._step_mode(-1))
        self.next_mode_button = Button(label=">", on_click=lambda: self._step_mode(+1))
        self.less_button = Button(label="-", on_click=lambda: self.model.change_count(-1))
        self.more_button = Button(label="+", on_click=lambda: self.model.change_count(+1))
        self.option_minus = Button(label="-", on_click=lambda: self.model.change_depth(-1))
        self.option_plus = Button(label="+", on_click=lambda: self.model.change_depth(+1))
        self.crystal_button = Button(label="Crystalline (C)", on_click=self.model.toggle_crystalline)
        self.poly_button = Button(label="n^2+n+41 (H)", on_click=self.model.toggle_polynomial)
        self.factors_button = Button(label="Show Factors (F)", on_click=self.model.toggle_factors)
        self.scope_button = Button(label="All (A)", on_click=self.model.toggle_scope)
        self.fields = [self.number_field, self.start_field]
        self.panel_widgets = [
            self.prev_mode_button,
            self.next_mode_button,
            self.less_button,
            self.more_button,
            self.option_minus,
            self.option_plus,
            self.crystal_button,
            self.poly_button,
            self.start_field,
            self.number_field,
            self.analyze_button,
            self.factors_button,
            self.scope_button,
        ]
        self.model.subscribe(self._sync_option_widgets)
        self._sync_option_widgets()

    # --- controls that follow the model ----------------------------------------------------
    def _step_mode(self, step: int) -> None:
        self.model.set_mode(self.model.mode_index + step)

    def _start_changed(self, field: TextInput) -> None:
        if field.value is not None:
            self.model.set_spiral_start(int(field.value))

    def _sync_option_widgets(self) -> None:
        model = self.model
        spiral = model.is_spiral
        self.option_minus.visible = self.option_plus.visible = model.mode_index == modes.RECURSIVE
        self.crystal_button.visible = model.is_crystal_mode
        self.crystal_button.label = "Natural (C)" if model.crystalline else "Crystalline (C)"
        self.poly_button.visible = spiral
        self.poly_button.label = "Hide n^2+n+41 (H)" if model.highlight_polynomial else "n^2+n+41 (H)"
        self.start_field.enabled = spiral
        if self.start_field.text != str(model.spiral_start) and self.app.focus is not self.start_field:
            self.start_field.set_text(str(model.spiral_start))
        self.fields = [self.number_field, self.start_field] if spiral else [self.number_field]
        if not spiral and self.app.focus is self.start_field:
            self.app.focus_field(None)
        self.factors_button.label = "Hide Factors (F)" if model.show_factors else "Show Factors (F)"
        self.scope_button.label = "Scope: all (A)" if model.factor_scope_all else "Scope: last (A)"

    def _analyse_field(self, field: TextInput) -> None:
        self.model.analyse_text(field.text)
        if not self.model.message_error:
            field.clear()

    def _analyse_clicked(self) -> None:
        self._analyse_field(self.number_field)

    # --- layout ----------------------------------------------------------------------------
    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        super().layout(content_rect, panel_rect)
        x, w = panel_rect.x + 10, panel_rect.width - 20
        y = panel_rect.y + 10
        self.prev_mode_button.rect = pygame.Rect(x + w - 62, y + 22, 28, 24)
        self.next_mode_button.rect = pygame.Rect(x + w - 30, y + 22, 28, 24)
        self.mode_box = pygame.Rect(x, y, w, 84)
        y = self.mode_box.bottom + 8
        self.count_box = pygame.Rect(x, y, w, 62)
        self.less_button.rect = pygame.Rect(x + 8, y + 30, 40, 24)
        self.more_button.rect = pygame.Rect(x + w - 48, y + 30, 40, 24)
        y = self.count_box.bottom + 8
        self.option_box = pygame.Rect(x, y, w, 64)
        self.option_minus.rect = pygame.Rect(x + w - 90, y + 30, 40, 24)
        self.option_plus.rect = pygame.Rect(x + w - 46, y + 30, 40, 24)
        self.crystal_button.rect = pygame.Rect(x + 8, y + 30, w - 16, 26)
        self.start_field.rect = pygame.Rect(x + 60, y + 30, 90, 26)
        self.poly_button.rect = pygame.Rect(x + 158, y + 30, w - 166, 26)
        y = self.option_box.bottom + 8
        self.input_box = pygame.Rect(x, y, w, 100)
        self.number_field.rect = pygame.Rect(x + 6, y + 26, w - 12, 30)
        self.analyze_button.rect = pygame.Rect(x + 6, y + 62, w - 12, 28)
        y = self.input_box.bottom + 8
        self.analysis_box = pygame.Rect(x, y, w, 214)
        self.factors_button.rect = pygame.Rect(x + 6, self.analysis_box.bottom - 32, (w - 18) // 2, 26)
        self.scope_button.rect = pygame.Rect(
            x + 12 + (w - 18) // 2, self.analysis_box.bottom - 32, (w - 18) // 2, 26
        )
        self.hover_box = pygame.Rect(x, self.analysis_box.bottom + 8, w, 62)

    # --- input -----------------------------------------------------------------------------
    def handle_event(self, event: pygame.event.Event) -> bool:
        previous = self._last_mouse
        if event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self._last_mouse = event.pos
        if super().handle_event(event):
            return True
        if event.type == pygame.MOUSEWHEEL:
            pos = self._last_mouse or pygame.mouse.get_pos()
            if self.content_rect.collidepoint(pos):
                self.model.zoom_by(ZOOM_STEP if event.y > 0 else 1 / ZOOM_STEP, about=self._about(pos))
                return True
            return False
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.content_rect.collidepoint(event.pos)
        ):
            model = self.model
            mark = self.view.mark_at(event.pos, self.content_rect, model.view_state(), model.history)
            if mark >= 0:
                entry = self.model.select(mark)
                self.model.say(f"Selected {entry.n:,}")
                return True
            self._dragging, self._drag_moved = True, False
            return True
        if event.type == pygame.MOUSEMOTION:
            if self._dragging and previous is not None:
                self.model.pan(event.pos[0] - previous[0], event.pos[1] - previous[1])
                self._drag_moved = True
                return True
            self.hover_pos = event.pos if self.content_rect.collidepoint(event.pos) else None
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._dragging:
            self._dragging = False
            return True
        return False

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        if event.key == pygame.K_i:
            if not self.panel_shown:
                self.app.toggle_panel()
            self.app.focus_field(self.number_field)  # the focus manager drops the "i" if it comes as text
            return True
        return self.handle_view_hotkey(event)

    def zoom_anchor(self) -> tuple[float, float] | None:
        """Key zooms keep the point under the pointer in place."""
        return self._about(self._last_mouse)

    def _about(self, pos: tuple[int, int] | None) -> tuple[float, float] | None:
        """`pos` in pixels from the view's centre, None when it is not over the view."""
        if pos is None or not self.content_rect.collidepoint(pos):
            return None
        return (pos[0] - self.content_rect.centerx, pos[1] - self.content_rect.centery)

    def update(self, dt: float) -> None:
        super().update(dt)
        if self.is_active:
            self._update_hover()

    def _update_hover(self) -> None:
        """Recompute the hover readout once per frame, only when the pointer or the view moved."""
        state = self.model.view_state()
        key = (self.hover_pos, state, self.content_rect.size)
        if key == self._hover_for:
            return
        self._hover_for = key
        self.hover_lines = self.hover_text(self.hover_pos) if self.hover_pos else []

    def hover_text(self, pos: tuple[int, int]) -> list[str]:
        """Readout for the number under ``pos``: value, prime or not, factorisation."""
        value = self.view.value_at(pos, self.content_rect, self.model.view_state())
        if value is None:
            return []
        if value < 2:
            return [f"{value}: neither prime nor composite"]
        factors = factorize(value)
        if factors == [(value, 1)]:
            return [f"{value:,}: prime"]
        return [f"{value:,}: composite", f"= {format_factors(factors)}"]

    # --- drawing -------------------------------------------------------------------------
    def draw_content(self, surface: pygame.Surface) -> None:
        rect = self.content_rect
        model = self.model
        state = model.view_state()
        self.view.draw(surface, rect, state, model.history, model.selected, model.factor_entries())
        info = f"{model.mode_name}   zoom {model.zoom:.2f}"
        if model.is_spiral:
            info += f"   integers {model.spiral_start:,}..{model.spiral_start + model.spiral_count - 1:,}"
        else:
            info += f"   primes {model.prime_count:,}"
        if model.animate:
            info += "   (animating)"
        # on a cleared box: over 100,000 spiral dots the line was unreadable
        self.info_rect = pygame.Rect(rect.x + 4, rect.bottom - 26, theme.text_width(info) + 12, 24)
        surface.fill(theme.BACKGROUND, self.info_rect.clip(rect))
        theme.draw_text(surface, info, (rect.x + 10, rect.bottom - 22), theme.TEXT_DIM)
        if self.hover_lines and self.hover_pos:
            x, y = self.hover_pos
            width = max(theme.text_width(line) for line in self.hover_lines) + 12
            box = pygame.Rect(x + 14, y + 10, width, 6 + 18 * len(self.hover_lines)).clamp(rect)
            pygame.draw.rect(surface, (20, 20, 40), box)
            pygame.draw.rect(surface, (100, 100, 150), box, 1)
            for i, line in enumerate(self.hover_lines):
                theme.draw_text(
                    surface, line, (box.x + 6, box.y + 3 + 18 * i), theme.YELLOW if i == 0 else theme.CYAN
                )

    def draw_panel(self, surface: pygame.Surface) -> None:
        x = self.mode_box.x
        small = theme.SMALL_FONT_SIZE
        theme.draw_section(surface, self.mode_box, f"MODE {self.model.mode_index + 1}/{len(MODE_NAMES)}")
        theme.draw_text(surface, self.model.mode_name, (x + 8, self.mode_box.y + 26), theme.TEXT_BRIGHT)
        if self.model.mode_index in modes.CRYSTAL_MODES:
            label, colour = (
                ("Crystalline (12-fold)", theme.GREEN)
                if self.model.crystalline
                else ("Natural (4-fold X)", theme.ORANGE)
            )
            theme.draw_text(surface, label, (x + 8, self.mode_box.y + 46), colour)
            theme.draw_text(
                surface, "Press C to toggle", (x + 8, self.mode_box.y + 64), theme.CYAN, size=small
            )
        else:
            theme.draw_text(
                surface, "M or < > change mode", (x + 8, self.mode_box.y + 50), theme.CYAN, size=small
            )

        theme.draw_section(surface, self.count_box, "INTEGERS" if self.model.is_spiral else "PRIME COUNT")
        count = f"{self.model.spiral_count:,}" if self.model.is_spiral else f"{self.model.prime_count:,}"
        theme.draw_text(
            surface, count, (self.count_box.centerx, self.count_box.y + 42), theme.YELLOW, anchor="center"
        )

        theme.draw_section(surface, self.option_box, "OPTIONS")
        if self.model.mode_index == modes.RECURSIVE:
            theme.draw_text(
                surface, f"Depth: {self.model.depth}  ([ ])", (x + 8, self.option_box.y + 34), theme.TEXT
            )
        elif self.model.is_spiral:
            theme.draw_text(surface, "Start:", (x + 8, self.option_box.y + 36), theme.TEXT)
        elif self.model.mode_index not in modes.CRYSTAL_MODES:
            hint = (
                "Space animates this mode" if self.model.mode_index in modes.ANIMATED_MODES else "Static mode"
            )
            theme.draw_text(surface, hint, (x + 8, self.option_box.y + 34), theme.TEXT_DIM)

        theme.draw_section(
            surface, self.input_box, "PRIME INPUT", theme.YELLOW if self.number_field.focused else theme.GREEN
        )
        self._draw_analysis(surface)
        theme.draw_section(surface, self.hover_box, "UNDER THE CURSOR")
        for i, line in enumerate(self.hover_lines[:2] or ["(move the mouse over the view)"]):
            theme.draw_text(
                surface,
                line,
                (x + 8, self.hover_box.y + 24 + 17 * i),
                theme.CYAN if self.hover_lines else theme.TEXT_DIM,
                size=small,
            )
        for widget in self.panel_widgets:
            if widget is self.start_field and not self.model.is_spiral:
                continue
            widget.draw(surface)
        legend_y = self.hover_box.bottom + 10
        if legend_y + 16 * len(CONTROLS_LEGEND) < self.panel_rect.bottom:
            for i, line in enumerate(CONTROLS_LEGEND):
                theme.draw_text(surface, line, (x + 2, legend_y + 16 * i), theme.TEXT_DIM, size=small)

    def _draw_analysis(self, surface: pygame.Surface) -> None:
        box = self.analysis_box
        theme.draw_section(surface, box, f"ANALYSIS  ({len(self.model.history)} in history)")
        x, y = box.x + 8, box.y + 26
        if self.model.message_error:
            theme.draw_text(surface, self.model.message, (x, y), theme.RED, size=theme.SMALL_FONT_SIZE)
            y += 18
        entry = self.model.selected_entry
        if entry is None:
            theme.draw_text(surface, "Type a number and press Enter", (x, y), theme.TEXT_DIM)
            return
        index = self.model.history.index(entry)
        pygame.draw.circle(surface, ANALYSED[index % len(ANALYSED)], (box.right - 16, box.y + 12), 6)
        summary = entry.summary_lines()
        first = wrap_text(summary[0], theme.font(theme.SMALL_FONT_SIZE), box.width - 16)
        rest = wrap_lines(summary[1:], theme.font(theme.SMALL_FONT_SIZE), box.width - 16)
        for i, line in enumerate(first + rest):
            if y > self.factors_button.rect.y - 20:
                break  # no room left above the buttons
            colour = (theme.GREEN if entry.is_prime else theme.RED) if i < len(first) else theme.CYAN
            theme.draw_text(surface, line, (x, y), colour, size=theme.SMALL_FONT_SIZE)
            y += 17
        if y < self.factors_button.rect.y - 16:
            divisors = ", ".join(str(d) for d in entry.small_divisors[:8])
            more = entry.divisor_count - min(8, len(entry.small_divisors))
            text = f"div: {divisors}" + (f" +{more}" if more > 0 else "")
            theme.draw_text(surface, text[:46], (x, y), theme.TEXT_DIM, size=theme.SMALL_FONT_SIZE)
