"""Visualization tab: the prime clock abacus in ten modes, with zoom, pan, animation and analysis.

It owns the view state that the Calculator and Spheres tabs share (`mode_index`, `zoom`, `offset`,
`animate`, `phase`, the analysed-number `history`) and the view hotkeys. The maths lives in
`primes/`; `ui/views/prime_view.py` draws.
"""

from __future__ import annotations

import time
from pathlib import Path

import platformdirs
import pygame

from hyper_prime_spiral import APP_NAME
from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.primes.analysis import AnalysisError, NumberAnalysis, analyze, parse_number
from hyper_prime_spiral.primes.factorize import factorize, format_factors
from hyper_prime_spiral.primes.sieve import COUNT_LIMIT
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.base import IDLE_FPS, Tab
from hyper_prime_spiral.ui.views.palette import ANALYSED
from hyper_prime_spiral.ui.views.prime_view import PrimeView, ViewState
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.text_input import TextInput
from hyper_prime_spiral.ui.widgets.wrap import wrap_lines, wrap_text

MODE_NAMES = modes.MODE_NAMES
MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.01, 100.0, 1.2
PAN_STEP = 20.0
PRIME_STEP = 1000
CLASSIC_COUNT = 232  # the original's four rings
MAX_PRIMES = 200_000
MIN_SPIRAL, MAX_SPIRAL = 1_000, 4_000_000
MAX_HISTORY = 100
BACKGROUND_ABOVE = 10_000_000  # analyses of larger numbers (up to COUNT_LIMIT) run on a worker thread
HIGHLIGHT_POLYNOMIAL = (1, 1, 41)
VISUAL_TABS = ("Visualization", "Calculator", "Spheres")

CONTROLS_LEGEND = (
    "M mode  I input  F factors  A all/last",
    "Space animate  E +1000  S snapshot  G grid",
    "+/- wheel zoom  arrows/drag pan  0 reset",
    "C crystalline  [ ] depth  H n^2+n+41",
    "P panel  R record  Q quit",
)


def snapshot_folder() -> Path:
    """Where `S` saves pictures: the user's pictures folder, else the app's data folder."""
    try:
        folder = Path(platformdirs.user_pictures_path())
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        folder = Path(platformdirs.user_data_path(APP_NAME, appauthor=False)) / "snapshots"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


class VisualizationTab(Tab):
    """Owns the shared view: `mode_index`, `zoom`, `offset` [x, y], `history` and `number_field`."""

    name = "Visualization"
    panel_hideable = True

    @property
    def idle_fps(self) -> int | None:
        return None if self.animate else IDLE_FPS

    def __init__(self, app) -> None:
        super().__init__(app)
        self.mode_index = modes.ULAM_CLOCK
        self.info_rect = pygame.Rect(0, 0, 0, 0)  # the mode / zoom line at the view's bottom left
        self.zoom = 1.0
        self.offset = [0.0, 0.0]
        self.animate = False
        self.phase = 0.0
        self.show_factors = False
        self.factor_scope_all = True
        self.crystalline = False
        self.depth = 3
        self.prime_count = CLASSIC_COUNT
        self.spiral_count = 100_000
        self.spiral_start = 1
        self.highlight_polynomial = False
        self.show_grid = True
        self.history: list[NumberAnalysis] = []
        self.selected = -1  # index into history, -1 = none chosen (the last one is shown)
        self.message = ""
        self.message_error = False
        self.hover_pos: tuple[int, int] | None = None
        self.hover_lines: list[str] = []
        self._hover_for: tuple | None = None
        self._dragging = False
        self._drag_moved = False
        self._last_mouse: tuple[int, int] | None = None
        self.view = PrimeView()
        self.last_snapshot: Path | None = None

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
        self.prev_mode_button = Button(label="<", on_click=lambda: self.set_mode(self.mode_index - 1))
        self.next_mode_button = Button(label=">", on_click=lambda: self.set_mode(self.mode_index + 1))
        self.less_button = Button(label="-", on_click=lambda: self.change_count(-1))
        self.more_button = Button(label="+", on_click=lambda: self.change_count(+1))
        self.option_minus = Button(label="-", on_click=lambda: self.change_depth(-1))
        self.option_plus = Button(label="+", on_click=lambda: self.change_depth(+1))
        self.crystal_button = Button(label="Crystalline (C)", on_click=self.toggle_crystalline)
        self.poly_button = Button(label="n^2+n+41 (H)", on_click=self.toggle_polynomial)
        self.factors_button = Button(label="Show Factors (F)", on_click=self.toggle_factors)
        self.scope_button = Button(label="All (A)", on_click=self.toggle_scope)
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
        self._sync_option_widgets()

    # --- state ---------------------------------------------------------------------------
    @property
    def mode_name(self) -> str:
        return MODE_NAMES[self.mode_index]

    @property
    def is_spiral(self) -> bool:
        return self.mode_index in modes.SPIRAL_MODES

    def params(self, phase: float | None = None) -> modes.ModeParams:
        """The layout parameters of the current view (phase 0 for modes that do not animate)."""
        return modes.ModeParams(
            count=self.prime_count,
            phase=self.phase if phase is None else phase,
            crystalline=self.crystalline,
            depth=self.depth,
            spiral_count=self.spiral_count,
            spiral_start=self.spiral_start,
            polynomial=HIGHLIGHT_POLYNOMIAL if self.highlight_polynomial else None,
        )

    def view_state(self, zoom_scale: float = 1.0, with_offset: bool = True) -> ViewState:
        animated = self.mode_index in (modes.HARMONIC, modes.HYPERDIM, modes.SELF_SIMILAR, modes.ORIGAMI)
        offset = (self.offset[0] * zoom_scale, self.offset[1] * zoom_scale) if with_offset else (0.0, 0.0)
        return ViewState(
            self.mode_index,
            self.params(None if animated else 0.0),
            self.zoom * zoom_scale,
            offset,
            self.show_grid,
        )

    @property
    def selected_entry(self) -> NumberAnalysis | None:
        if not self.history:
            return None
        return self.history[self.selected] if self.selected >= 0 else self.history[-1]

    def factor_entries(self) -> list[int]:
        if not self.show_factors or not self.history:
            return []
        if self.factor_scope_all:
            return list(range(len(self.history)))
        return [self.selected if self.selected >= 0 else len(self.history) - 1]

    # --- actions -------------------------------------------------------------------------
    def set_mode(self, index: int) -> None:
        self.mode_index = index % len(MODE_NAMES)
        self._sync_option_widgets()
        self.app.set_status(f"Mode: {self.mode_name}")

    def reset_view(self) -> None:
        self.zoom = 1.0
        self.offset = [0.0, 0.0]

    def zoom_by(self, factor: float, about: tuple[float, float] | None = None) -> None:
        """Zoom by ``factor`` keeping the point under ``about`` (window pixels) where it is."""
        new_zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        if about is not None and self.content_rect.collidepoint(about):
            rel_x = about[0] - self.content_rect.centerx
            rel_y = about[1] - self.content_rect.centery
            ratio = new_zoom / self.zoom
            self.offset = [rel_x - (rel_x - self.offset[0]) * ratio, rel_y - (rel_y - self.offset[1]) * ratio]
        self.zoom = new_zoom

    def _cursor(self) -> tuple[int, int] | None:
        return self._last_mouse

    def change_count(self, direction: int) -> None:
        """E / the +/- buttons: 1,000 more (or fewer) primes, or integers on a spiral."""
        if self.is_spiral:
            self.spiral_count = min(MAX_SPIRAL, max(MIN_SPIRAL, self.spiral_count + direction * PRIME_STEP))
            self.app.set_status(f"Integers on the spiral: {self.spiral_count:,}")
        else:
            self.prime_count = min(MAX_PRIMES, max(12, self.prime_count + direction * PRIME_STEP))
            self.app.set_status(f"Primes on the clock: {self.prime_count:,}")

    def scale_spiral(self, factor: float) -> None:
        self.spiral_count = int(min(MAX_SPIRAL, max(MIN_SPIRAL, self.spiral_count * factor)))

    def change_depth(self, step: int) -> None:
        self.depth = max(1, min(modes.MAX_DEPTH, self.depth + step))
        self.app.set_status(f"Recursion depth: {self.depth}")

    def toggle_crystalline(self) -> None:
        self.crystalline = not self.crystalline
        self._sync_option_widgets()
        self.app.set_status("Crystalline (12-fold) layout" if self.crystalline else "Natural layout")

    def toggle_polynomial(self) -> None:
        self.highlight_polynomial = not self.highlight_polynomial
        self._sync_option_widgets()
        state = "on" if self.highlight_polynomial else "off"
        self.app.set_status(f"Highlight of n^2 + n + 41: {state}")

    def toggle_grid(self) -> None:
        """`G`: hide or show the rings and guide lines, to see the dots alone."""
        self.show_grid = not self.show_grid
        self.app.set_status("Clock grid shown" if self.show_grid else "Clock grid hidden")

    def toggle_factors(self) -> None:
        self.show_factors = not self.show_factors
        self._sync_option_widgets()

    def toggle_scope(self) -> None:
        self.factor_scope_all = not self.factor_scope_all
        self._sync_option_widgets()
        self.app.set_status(
            "Factor lines: all numbers" if self.factor_scope_all else "Factor lines: last number"
        )

    def _start_changed(self, field: TextInput) -> None:
        if field.value is not None:
            self.set_spiral_start(int(field.value))

    def set_spiral_start(self, value: int) -> None:
        """First integer of the square / Sacks spiral (1..10^9), e.g. 41 for Euler's diagonal."""
        self.spiral_start = max(1, min(10**9, int(value)))
        if self.start_field.text != str(self.spiral_start):
            self.start_field.set_text(str(self.spiral_start))
        self.app.set_status(f"Spiral starts at {self.spiral_start:,}")

    def _sync_option_widgets(self) -> None:
        spiral = self.is_spiral
        self.option_minus.visible = self.option_plus.visible = self.mode_index == modes.RECURSIVE
        self.crystal_button.visible = self.mode_index in (modes.SUDOKU, modes.LATTICE)
        self.crystal_button.label = "Natural (C)" if self.crystalline else "Crystalline (C)"
        self.poly_button.visible = spiral
        self.poly_button.label = "Hide n^2+n+41 (H)" if self.highlight_polynomial else "n^2+n+41 (H)"
        self.start_field.enabled = spiral
        self.fields = [self.number_field, self.start_field] if spiral else [self.number_field]
        if not spiral and self.app.focus is self.start_field:
            self.app.focus_field(None)
        self.factors_button.label = "Hide Factors (F)" if self.show_factors else "Show Factors (F)"
        self.scope_button.label = "Scope: all (A)" if self.factor_scope_all else "Scope: last (A)"

    # --- analysis ------------------------------------------------------------------------
    def analyse_text(self, text: str) -> NumberAnalysis | None:
        """Parse and analyse typed text; a bad input sets an error message and returns None."""
        try:
            value = parse_number(text)
        except AnalysisError as exc:
            self._say(str(exc), error=True)
            return None
        return self.add_analysis(value)

    def add_analysis(self, value: int) -> NumberAnalysis | None:
        """Analyse ``value`` and keep it in the history (selecting it); re-analysing just selects."""
        for i, entry in enumerate(self.history):
            if entry.n == value:
                self.selected = i
                self._say(f"{value:,}: {'prime' if entry.is_prime else 'composite'} (already analysed)")
                return entry
        if BACKGROUND_ABOVE < value <= COUNT_LIMIT:
            # counting the primes below n (its index) takes up to ~0.3 s here: keep the UI responsive
            self._say(f"Analysing {value:,} (counting the primes below it)...")
            self.app.run_in_background(
                analyze, value, on_done=self._store, on_error=lambda exc: self._say(str(exc), error=True)
            )
            return None
        try:
            entry = analyze(value)
        except AnalysisError as exc:
            self._say(str(exc), error=True)
            return None
        return self._store(entry)

    def _store(self, entry: NumberAnalysis) -> NumberAnalysis:
        """Append a finished analysis to the history and select it."""
        value = entry.n
        self.history.append(entry)
        if len(self.history) > MAX_HISTORY:
            self.history.pop(0)
        self.selected = len(self.history) - 1
        kind = "prime" if entry.is_prime else f"composite = {entry.factor_text}"
        self._say(f"{value:,}: {kind}")
        return entry

    def _say(self, text: str, error: bool = False) -> None:
        self.message = text
        self.message_error = error
        self.app.set_status(text, error=error)

    def _analyse_field(self, field: TextInput) -> None:
        self.analyse_text(field.text)
        if not self.message_error:
            field.clear()

    def _analyse_clicked(self) -> None:
        self._analyse_field(self.number_field)

    # --- snapshot --------------------------------------------------------------------------
    def save_snapshot(self) -> Path | None:
        """Save the view area as a PNG in the pictures folder and say where on the status line."""
        try:
            folder = snapshot_folder()
            path = folder / time.strftime("hyper_prime_%Y%m%d_%H%M%S.png")
            n = 1
            while path.exists():
                path = folder / time.strftime(f"hyper_prime_%Y%m%d_%H%M%S_{n}.png")
                n += 1
            canvas = pygame.Surface(self.app.size)
            canvas.fill(theme.BACKGROUND)
            self.draw_content(canvas)
            pygame.image.save(canvas.subsurface(self.content_rect.clip(canvas.get_rect())), str(path))
        except (OSError, pygame.error) as exc:
            self.app.set_status(f"Snapshot failed: {exc}", error=True)
            return None
        self.last_snapshot = path
        self.app.set_status(f"Snapshot saved: {path}")
        return path

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
                self.zoom_by(ZOOM_STEP if event.y > 0 else 1 / ZOOM_STEP, about=pos)
                return True
            return False
        if (
            event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.content_rect.collidepoint(event.pos)
        ):
            mark = self.view.mark_at(event.pos, self.content_rect, self.view_state(), self.history)
            if mark >= 0:
                self.selected = mark
                entry = self.history[mark]
                self._say(f"Selected {entry.n:,}")
                return True
            self._dragging, self._drag_moved = True, False
            return True
        if event.type == pygame.MOUSEMOTION:
            if self._dragging and previous is not None:
                self.offset[0] += event.pos[0] - previous[0]
                self.offset[1] += event.pos[1] - previous[1]
                self._drag_moved = True
                return True
            self.hover_pos = event.pos if self.content_rect.collidepoint(event.pos) else None
            return False
        if event.type == pygame.MOUSEBUTTONUP and event.button == 1 and self._dragging:
            self._dragging = False
            return True
        return False

    def handle_view_hotkey(self, event: pygame.event.Event) -> bool:
        """Keys shared by the visual tabs (Visualization, Calculator, Spheres)."""
        key, char = event.key, getattr(event, "unicode", "")
        about = self._cursor() if self.is_active else None
        if key == pygame.K_m:
            self.set_mode(self.mode_index + 1)
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS) or char == "+":
            self.zoom_by(ZOOM_STEP, about)
        elif key in (pygame.K_MINUS, pygame.K_UNDERSCORE, pygame.K_KP_MINUS) or char == "-":
            self.zoom_by(1 / ZOOM_STEP, about)
        elif key in (pygame.K_0, pygame.K_KP0):
            self.reset_view()
        elif key in (pygame.K_LEFT, pygame.K_KP4):
            self.offset[0] -= PAN_STEP
        elif key in (pygame.K_RIGHT, pygame.K_KP6):
            self.offset[0] += PAN_STEP
        elif key in (pygame.K_UP, pygame.K_KP8):
            self.offset[1] -= PAN_STEP
        elif key in (pygame.K_DOWN, pygame.K_KP2):
            self.offset[1] += PAN_STEP
        elif key == pygame.K_SPACE:
            self.animate = not self.animate
            self.app.set_status("Animation on" if self.animate else "Animation paused")
        elif key == pygame.K_f:
            self.toggle_factors()
        elif key == pygame.K_a:
            self.toggle_scope()
        elif key == pygame.K_c and self.mode_index in (modes.SUDOKU, modes.LATTICE):
            self.toggle_crystalline()
        elif key == pygame.K_h and self.is_spiral:
            self.toggle_polynomial()
        elif key == pygame.K_LEFTBRACKET:
            self.change_depth(-1)
        elif key == pygame.K_RIGHTBRACKET:
            self.change_depth(+1)
        elif key == pygame.K_e:
            self.change_count(+1)
        elif key == pygame.K_s:
            self.save_snapshot()
        elif key == pygame.K_g:
            self.toggle_grid()
        else:
            return False
        return True

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        if event.key == pygame.K_i:
            if not self.panel_shown:
                self.app.toggle_panel()
            self.app.focus_field(self.number_field)  # the focus manager drops the "i" if it comes as text
            return True
        return self.handle_view_hotkey(event)

    def update(self, dt: float) -> None:
        if self.animate and self.app.active_tab in VISUAL_TABS:
            self.phase += dt * modes.PHASE_PER_SECOND
        if self.is_active:
            self._update_hover()

    def _update_hover(self) -> None:
        """Recompute the hover readout once per frame, only when the pointer or the view moved."""
        state = self.view_state()
        key = (self.hover_pos, state, self.content_rect.size)
        if key == self._hover_for:
            return
        self._hover_for = key
        self.hover_lines = self.hover_text(self.hover_pos) if self.hover_pos else []

    def hover_text(self, pos: tuple[int, int]) -> list[str]:
        """Readout for the number under ``pos``: value, prime or not, factorisation."""
        value = self.view.value_at(pos, self.content_rect, self.view_state())
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
        state = self.view_state()
        self.view.draw(surface, rect, state, self.history, self.selected, self.factor_entries())
        info = f"{self.mode_name}   zoom {self.zoom:.2f}"
        if self.is_spiral:
            info += f"   integers {self.spiral_start:,}..{self.spiral_start + self.spiral_count - 1:,}"
        else:
            info += f"   primes {self.prime_count:,}"
        if self.animate:
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
        theme.draw_section(surface, self.mode_box, f"MODE {self.mode_index + 1}/{len(MODE_NAMES)}")
        theme.draw_text(surface, self.mode_name, (x + 8, self.mode_box.y + 26), theme.TEXT_BRIGHT)
        if self.mode_index in (modes.SUDOKU, modes.LATTICE):
            label, colour = (
                ("Crystalline (12-fold)", theme.GREEN)
                if self.crystalline
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

        theme.draw_section(surface, self.count_box, "INTEGERS" if self.is_spiral else "PRIME COUNT")
        count = f"{self.spiral_count:,}" if self.is_spiral else f"{self.prime_count:,}"
        theme.draw_text(
            surface, count, (self.count_box.centerx, self.count_box.y + 42), theme.YELLOW, anchor="center"
        )

        theme.draw_section(surface, self.option_box, "OPTIONS")
        if self.mode_index == modes.RECURSIVE:
            theme.draw_text(
                surface, f"Depth: {self.depth}  ([ ])", (x + 8, self.option_box.y + 34), theme.TEXT
            )
        elif self.is_spiral:
            theme.draw_text(surface, "Start:", (x + 8, self.option_box.y + 36), theme.TEXT)
        elif self.mode_index not in (modes.SUDOKU, modes.LATTICE):
            hint = (
                "Space animates this mode"
                if self.mode_index in (modes.HARMONIC, modes.HYPERDIM, modes.SELF_SIMILAR, modes.ORIGAMI)
                else "Static mode"
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
            if widget is self.start_field and not self.is_spiral:
                continue
            widget.draw(surface)
        legend_y = self.hover_box.bottom + 10
        if legend_y + 16 * len(CONTROLS_LEGEND) < self.panel_rect.bottom:
            for i, line in enumerate(CONTROLS_LEGEND):
                theme.draw_text(surface, line, (x + 2, legend_y + 16 * i), theme.TEXT_DIM, size=small)

    def _draw_analysis(self, surface: pygame.Surface) -> None:
        box = self.analysis_box
        theme.draw_section(surface, box, f"ANALYSIS  ({len(self.history)} in history)")
        x, y = box.x + 8, box.y + 26
        if self.message_error:
            theme.draw_text(surface, self.message, (x, y), theme.RED, size=theme.SMALL_FONT_SIZE)
            y += 18
        entry = self.selected_entry
        if entry is None:
            theme.draw_text(surface, "Type a number and press Enter", (x, y), theme.TEXT_DIM)
            return
        index = self.history.index(entry)
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
