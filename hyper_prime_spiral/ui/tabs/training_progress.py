"""The Training tab's left area: loss plot, progress bar and the numbers of the running job.

Holds no maths beyond bookkeeping: it records `ProgressEvent`s (thinning the plotted points
so drawing stays cheap however long the run) and formats them for the screen and the status
line.
"""

from __future__ import annotations

import math

import pygame

from hyper_prime_spiral.formatting import format_duration, format_rate
from hyper_prime_spiral.training.trainer import ProgressEvent
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets.line_plot import LinePlot
from hyper_prime_spiral.ui.widgets.progress_bar import ProgressBar
from hyper_prime_spiral.ui.widgets.wrap import wrap_text

MAX_PLOT_POINTS = 600  # per series; beyond this every other point is dropped and the stride doubles

IDLE_HELP = (
    "1. Tick the training files in the panel (or type a path and press Add).",
    "2. Set the parameters and the model size.",
    "3. Click START TRAINING, then Create New Model or Overwrite Existing.",
    "The loss curve, progress and speed appear here while training runs; STOP saves the model.",
)


class ProgressView:
    """State and drawing of the progress area (`reset` per run, `add` per event)."""

    def __init__(self) -> None:
        self.plot = LinePlot(title="LOSS", x_label="step", empty_text="No training data yet", integer_x=True)
        self.plot.add_series("train")
        self.plot.add_series("validation")
        self.bar = ProgressBar()
        self.rect = pygame.Rect(0, 0, 800, 600)
        self.reset()

    def reset(self, headline: str = "") -> None:
        self.headline = headline
        self.last: ProgressEvent | None = None
        self.total_steps = 0
        self.best_train = math.inf
        self.best_val = math.inf
        self.last_val: float | None = None
        self.events = 0
        self.outcome = ""
        self.outcome_error = False
        self._outcome_lines: list[str] = []
        self._stride = 1
        self._since_point = 0
        self.plot.clear()
        self.bar.set(0.0, "")

    def started(self, total_steps: int) -> None:
        self.total_steps = total_steps
        self.bar.set(0.0, f"step 0 / {total_steps}")

    def add(self, event: ProgressEvent) -> None:
        self.last = event
        self.events += 1
        self.total_steps = event.total_steps
        if math.isfinite(event.train_loss):
            self.best_train = min(self.best_train, event.train_loss)
        self._since_point += 1
        if self._since_point >= self._stride or event.done:
            self._since_point = 0
            self.plot.add_point("train", event.step, event.train_loss)
        if event.val_loss is not None:
            self.last_val = event.val_loss
            self.best_val = min(self.best_val, event.val_loss)
            self.plot.add_point("validation", event.step, event.val_loss)
        if len(self.plot.series["train"]) > MAX_PLOT_POINTS:
            for name in ("train", "validation"):
                points = self.plot.series[name]
                if len(points) > MAX_PLOT_POINTS:
                    points[:] = points[::2]
            self._stride *= 2
        fraction = event.step / event.total_steps if event.total_steps else 0.0
        self.bar.set(fraction, f"step {event.step} / {event.total_steps} · epoch {event.epoch:.2f}")

    def finish(self, message: str, error: bool = False) -> None:
        self.outcome = message
        self.outcome_error = error
        self._outcome_lines = wrap_text(message, theme.font(), max(100, self.rect.width - 20))[:2]

    # --- text ----------------------------------------------------------------------------
    def stats_line(self) -> str:
        e = self.last
        if e is None:
            return (
                "Preparing (reading the data, building the model)..."
                if self.total_steps == 0
                else "Starting..."
            )
        parts = [f"loss {e.train_loss:.4f} (best {self.best_train:.4f})"]
        if self.last_val is not None:
            parts.append(f"val {self.last_val:.4f} (best {self.best_val:.4f})")
        parts += [format_rate(e.tokens_per_s), f"elapsed {format_duration(e.elapsed_s)}"]
        if not e.done:
            parts.append(f"ETA {format_duration(e.eta_s)}")
        return " · ".join(parts)

    def status_line(self) -> str:
        """The short form for the app's status line."""
        e = self.last
        if e is None:
            return "Training: preparing..."
        eta = "" if e.done else f" · ETA {format_duration(e.eta_s)}"
        return (
            f"Training step {e.step}/{e.total_steps} · epoch {e.epoch:.2f} · loss {e.train_loss:.3f} · "
            f"{format_rate(e.tokens_per_s)}{eta}"
        )

    # --- layout and drawing ----------------------------------------------------------------
    def layout(self, rect: pygame.Rect) -> None:
        self.rect = pygame.Rect(rect)
        c = self.rect.inflate(-20, -20)
        self.bar.rect = pygame.Rect(c.x, c.y + 48, c.width, 20)
        plot_top = self.bar.rect.bottom + 16 + 3 * theme.line_height()
        self.plot.rect = pygame.Rect(c.x, plot_top, c.width, max(60, c.bottom - plot_top))

    def idle_help_lines(self) -> list[str]:
        """IDLE_HELP wrapped to the area's width (a small window cut the last line off)."""
        width = max(100, self.rect.width - 20)
        return [part for line in IDLE_HELP for part in wrap_text(line, theme.font(), width)]

    def draw(self, surface: pygame.Surface, running: bool) -> None:
        c = self.rect.inflate(-20, -20)
        theme.draw_text(surface, "TRAINING PROGRESS", (c.x, c.y), theme.GREEN, bold=True)
        if self.headline:
            theme.draw_text(surface, self.headline, (c.x, c.y + 22), theme.TEXT)
        idle = not running and self.events == 0
        if idle and not self.outcome:
            y = c.y + 56
            for line in self.idle_help_lines():
                theme.draw_text(surface, line, (c.x, y), theme.TEXT_DIM)
                y += theme.line_height() + 4
            return
        self.bar.draw(surface)
        y = self.bar.rect.bottom + 10
        if running or self.events:
            theme.draw_text(surface, self.stats_line(), (c.x, y), theme.CYAN)
        colour = theme.RED if self.outcome_error else theme.GREEN
        for line in self._outcome_lines:
            y += theme.line_height()
            theme.draw_text(surface, line, (c.x, y), colour)
        self.plot.draw(surface)
