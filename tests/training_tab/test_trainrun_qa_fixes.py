"""Regression tests for Training-tab problems seen in the real window (Xvfb walk-through)."""

from __future__ import annotations

import pygame
from test_trainrun_tab import app, click, tick_only_my_files, work  # noqa: F401  (fixtures)


def test_start_prompt_without_a_model_reads_as_a_sentence(app, work):  # noqa: F811
    """It said "...or continue training and overwrite no model is loaded?"."""
    tab = app.tab("Training")
    tick_only_my_files(app, work)
    click(app, tab.start_button.rect.center)
    assert app.dialog is not None
    message = app.dialog.message
    assert "overwrite no model" not in message
    assert "Overwrite Existing needs a loaded model" in message


def test_loss_plot_labels_only_whole_steps(app, work):  # noqa: F811
    """With 18 steps the x axis was labelled 2.5, 5, 7.5...: steps are whole numbers."""
    plot = app.tab("Training").progress_view.plot
    for step in range(1, 19):
        plot.add_point("train", step, 3.0 - step * 0.01)
    app.draw(pygame.Surface(app.size))
    ticks = plot.x_ticks(1, 18)
    assert len(ticks) >= 3
    assert all(float(t).is_integer() for t in ticks), ticks


def test_idle_help_wraps_in_a_small_window(app, work):  # noqa: F811
    """At 800x560 the last help line ran under the panel ("...STOP saves the mo")."""
    from hyper_prime_spiral.ui import theme

    app.handle_event(pygame.event.Event(pygame.VIDEORESIZE, w=800, h=560, size=(800, 560)))
    app.draw(pygame.Surface(app.size))
    view = app.tab("Training").progress_view
    lines = view.idle_help_lines()
    text = " ".join(lines)
    assert "STOP saves the model." in text
    assert all(theme.text_width(line) <= view.rect.width - 20 for line in lines)
