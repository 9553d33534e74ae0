"""What the three visual tabs share: mode, zoom, pan, animation, counts and the analysed numbers.

Why its own object: the Visualization, Calculator and Spheres tabs show one view, each its own
way, and switching tab must never lose it. The App owns one `ViewModel` and hands it to the
three tabs; it holds no pygame, so its rules are tested without a window. Messages for the
status line go to `report(text, error=False)`; the analysis of a large number goes to
`run_in_background(fn, *args, on_done=..., on_error=...)` (run at once when none is given).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from hyper_prime_spiral.primes import modes
from hyper_prime_spiral.primes.analysis import AnalysisError, NumberAnalysis, analyze, parse_number
from hyper_prime_spiral.primes.sieve import COUNT_LIMIT

MIN_ZOOM, MAX_ZOOM, ZOOM_STEP = 0.01, 100.0, 1.2
PAN_STEP = 20.0
PRIME_STEP = 1000
CLASSIC_COUNT = 232  # the original's four rings
MAX_PRIMES = 200_000
MIN_SPIRAL, MAX_SPIRAL = 1_000, 10_000_000  # 10^7 integers pan at 30+ FPS (bench/viz_fps.py)
MAX_SPIRAL_START = 10**9
MAX_HISTORY = 100
BACKGROUND_ABOVE = 10_000_000  # analyses of larger numbers (up to COUNT_LIMIT) count primes for ~0.3 s
HIGHLIGHT_POLYNOMIAL = (1, 1, 41)


@dataclass(frozen=True)
class ViewState:
    """What a picture depends on: the mode, its parameters, zoom and pan (screen pixels)."""

    mode: int
    params: modes.ModeParams
    zoom: float
    offset: tuple[float, float]
    grid: bool = True  # the rings and guide lines behind the dots (`G`)


class Report(Protocol):
    def __call__(self, text: str, error: bool = False) -> None: ...


class RunInBackground(Protocol):
    def __call__(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Any: ...


def _silent(text: str, error: bool = False) -> None:
    """A report that goes nowhere (a model without a status line, e.g. in a script)."""


def _run_now(fn, *args, on_done=None, on_error=None) -> None:
    try:
        result = fn(*args)
    except Exception as exc:  # noqa: BLE001 - handed to on_error, as a background run would
        if on_error is None:
            raise
        on_error(exc)
        return
    if on_done is not None:
        on_done(result)


class ViewModel:
    """The shared view state and the actions on it; `subscribe(fn)` hears about mode/option changes."""

    def __init__(self, report: Report = _silent, run_in_background: RunInBackground | None = None) -> None:
        self._report = report
        self._run_in_background = run_in_background or _run_now
        self._listeners: list[Callable[[], None]] = []
        self.mode_index = modes.ULAM_CLOCK
        self.zoom = 1.0
        self.offset = [0.0, 0.0]  # pan in screen pixels [x, y]
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
        self.message = ""  # the last analysis message (shown in the panels)
        self.message_error = False

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after the mode or a mode option changes (tabs sync their controls)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    # --- derived state ---------------------------------------------------------------------
    @property
    def mode_name(self) -> str:
        return modes.MODE_NAMES[self.mode_index]

    @property
    def is_spiral(self) -> bool:
        return self.mode_index in modes.SPIRAL_MODES

    @property
    def is_animated_mode(self) -> bool:
        return self.mode_index in modes.ANIMATED_MODES

    @property
    def is_crystal_mode(self) -> bool:
        return self.mode_index in modes.CRYSTAL_MODES

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
        """The picture's state; `zoom_scale` shrinks zoom and pan together (the mini-map)."""
        offset = (self.offset[0] * zoom_scale, self.offset[1] * zoom_scale) if with_offset else (0.0, 0.0)
        return ViewState(
            self.mode_index,
            self.params(None if self.is_animated_mode else 0.0),
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
        """Indices into `history` whose factor lines are drawn."""
        if not self.show_factors or not self.history:
            return []
        if self.factor_scope_all:
            return list(range(len(self.history)))
        return [self.selected if self.selected >= 0 else len(self.history) - 1]

    # --- view ------------------------------------------------------------------------------
    def set_mode(self, index: int) -> None:
        self.mode_index = index % len(modes.MODE_NAMES)
        self._changed()
        self._report(f"Mode: {self.mode_name}")

    def reset_view(self) -> None:
        self.zoom = 1.0
        self.offset = [0.0, 0.0]

    def zoom_by(self, factor: float, about: tuple[float, float] | None = None) -> None:
        """Zoom by `factor`, keeping the point `about` (pixels from the view's centre) where it is."""
        new_zoom = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        if about is not None:
            rel_x, rel_y = about
            ratio = new_zoom / self.zoom
            self.offset = [rel_x - (rel_x - self.offset[0]) * ratio, rel_y - (rel_y - self.offset[1]) * ratio]
        self.zoom = new_zoom

    def pan(self, dx: float, dy: float) -> None:
        self.offset[0] += dx
        self.offset[1] += dy

    def toggle_animation(self) -> None:
        self.animate = not self.animate
        self._report("Animation on" if self.animate else "Animation paused")

    def advance(self, dt: float) -> None:
        """One frame of `dt` seconds: the animation phase moves while animating."""
        if self.animate:
            self.phase += dt * modes.PHASE_PER_SECOND

    def toggle_grid(self) -> None:
        """`G`: hide or show the rings and guide lines, to see the dots alone."""
        self.show_grid = not self.show_grid
        self._report("Clock grid shown" if self.show_grid else "Clock grid hidden")

    # --- counts and mode options ----------------------------------------------------------
    def change_count(self, direction: int) -> None:
        """E / the +/- buttons: 1,000 more (or fewer) primes, or integers on a spiral."""
        if self.is_spiral:
            self.spiral_count = min(MAX_SPIRAL, max(MIN_SPIRAL, self.spiral_count + direction * PRIME_STEP))
            self._report(f"Integers on the spiral: {self.spiral_count:,}")
        else:
            self.prime_count = min(MAX_PRIMES, max(12, self.prime_count + direction * PRIME_STEP))
            self._report(f"Primes on the clock: {self.prime_count:,}")

    def scale_spiral(self, factor: float) -> None:
        self.spiral_count = int(min(MAX_SPIRAL, max(MIN_SPIRAL, self.spiral_count * factor)))

    def change_depth(self, step: int) -> None:
        self.depth = max(1, min(modes.MAX_DEPTH, self.depth + step))
        self._report(f"Recursion depth: {self.depth}")

    def toggle_crystalline(self) -> None:
        self.crystalline = not self.crystalline
        self._changed()
        self._report("Crystalline (12-fold) layout" if self.crystalline else "Natural layout")

    def toggle_polynomial(self) -> None:
        self.highlight_polynomial = not self.highlight_polynomial
        self._changed()
        self._report(f"Highlight of n^2 + n + 41: {'on' if self.highlight_polynomial else 'off'}")

    def set_spiral_start(self, value: int) -> None:
        """First integer of the square / Sacks spiral (1..10^9), e.g. 41 for Euler's diagonal."""
        self.spiral_start = max(1, min(MAX_SPIRAL_START, int(value)))
        self._changed()
        self._report(f"Spiral starts at {self.spiral_start:,}")

    def toggle_factors(self) -> None:
        self.show_factors = not self.show_factors
        self._changed()

    def toggle_scope(self) -> None:
        self.factor_scope_all = not self.factor_scope_all
        self._changed()
        self._report("Factor lines: all numbers" if self.factor_scope_all else "Factor lines: last number")

    # --- analysed numbers -----------------------------------------------------------------
    def analyse_text(self, text: str) -> NumberAnalysis | None:
        """Parse and analyse typed text; a bad input sets an error message and returns None."""
        try:
            value = parse_number(text)
        except AnalysisError as exc:
            self.say(str(exc), error=True)
            return None
        return self.add_analysis(value)

    def add_analysis(self, value: int) -> NumberAnalysis | None:
        """Analyse `value` and keep it in the history (selecting it); re-analysing just selects.

        None when the input is refused (the message says why) or when the analysis runs in
        the background (a large number: it is stored when done).
        """
        for i, entry in enumerate(self.history):
            if entry.n == value:
                self.selected = i
                self.say(f"{value:,}: {'prime' if entry.is_prime else 'composite'} (already analysed)")
                return entry
        if BACKGROUND_ABOVE < value <= COUNT_LIMIT:
            self.say(f"Analysing {value:,} (counting the primes below it)...")
            self._run_in_background(
                analyze, value, on_done=self._store, on_error=lambda exc: self.say(str(exc), error=True)
            )
            return None
        try:
            entry = analyze(value)
        except AnalysisError as exc:
            self.say(str(exc), error=True)
            return None
        return self._store(entry)

    def select(self, index: int) -> NumberAnalysis:
        """Choose the analysed number `index` of the history (a click on its mark)."""
        self.selected = index
        return self.history[index]

    def _store(self, entry: NumberAnalysis) -> NumberAnalysis:
        """Append a finished analysis to the history and select it."""
        self.history.append(entry)
        if len(self.history) > MAX_HISTORY:
            self.history.pop(0)
        self.selected = len(self.history) - 1
        kind = "prime" if entry.is_prime else f"composite = {entry.factor_text}"
        self.say(f"{entry.n:,}: {kind}")
        return entry

    def say(self, text: str, error: bool = False) -> None:
        """Set the analysis message and show it on the status line."""
        self.message = text
        self.message_error = error
        self._report(text, error=error)
