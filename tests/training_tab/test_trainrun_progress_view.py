"""The Training tab's progress area: plot thinning, best losses, and the text it shows."""

from __future__ import annotations

import pygame

from hyper_prime_spiral.training.trainer import ProgressEvent
from hyper_prime_spiral.ui.tabs.training_progress import MAX_PLOT_POINTS, ProgressView


def event(step, total=10_000, loss=None, val=None, done=False):
    loss = 5.0 - step / total if loss is None else loss
    return ProgressEvent(
        step, total, step / 100, loss, val, 12_345.0, step * 0.1, (total - step) * 0.1, done=done
    )


def test_long_runs_keep_a_bounded_number_of_plot_points_including_the_last():
    view = ProgressView()
    view.started(10_000)
    for step in range(1, 10_001):
        view.add(event(step, val=4.0 if step % 500 == 0 else None, done=step == 10_000))
    train = view.plot.series["train"]
    assert len(train) <= MAX_PLOT_POINTS + 1
    assert train[0][0] == 1 and train[-1][0] == 10_000
    assert [x for x, _ in train] == sorted(x for x, _ in train)
    assert len(view.plot.series["validation"]) == 20
    assert view.bar.value == 1.0 and "step 10000 / 10000" in view.bar.text


def test_best_losses_and_text_lines():
    view = ProgressView()
    view.add(event(1, total=3, loss=3.0))
    view.add(event(2, total=3, loss=2.0, val=2.5))
    view.add(event(3, total=3, loss=2.4))
    assert view.best_train == 2.0 and view.best_val == 2.5
    stats = view.stats_line()
    assert "loss 2.4000 (best 2.0000)" in stats and "val 2.5000" in stats
    assert "12.3k tok/s" in stats and "ETA" in stats
    assert view.status_line().startswith("Training step 3/3 · epoch 0.03 · loss 2.400")


def test_the_view_draws_idle_running_and_failed():
    pygame.font.init()
    surface = pygame.Surface((900, 600))
    view = ProgressView()
    view.layout(pygame.Rect(0, 40, 900, 560))
    view.draw(surface, running=False)
    view.reset("New model 'x'")
    view.add(event(5, total=10, val=3.0))
    view.draw(surface, running=True)
    view.finish("Training data: a.txt: the file is empty", error=True)
    view.draw(surface, running=False)
    assert view.outcome_error and view._outcome_lines
