"""The controls on their own: Button, Slider, CheckList, ProgressBar, LinePlot, ChatView, Dialog."""

import pygame
import pytest

from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.widgets import Button, ChatView, CheckList, Dialog, LinePlot, ProgressBar, Slider
from hyper_prime_spiral.ui.widgets.line_plot import nice_ticks
from hyper_prime_spiral.ui.widgets.wrap import wrap_text


@pytest.fixture(autouse=True)
def _pygame():
    pygame.display.init()
    pygame.font.init()


def ev(kind, **attrs):
    return pygame.event.Event(kind, **attrs)


def press(widget, pos, button=1):
    widget.handle_event(ev(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))
    widget.handle_event(ev(pygame.MOUSEBUTTONDOWN, pos=pos, button=button))
    widget.handle_event(ev(pygame.MOUSEBUTTONUP, pos=pos, button=button))


def drawn_colours(draw, size=(400, 300)) -> int:
    surface = pygame.Surface(size)
    surface.fill(theme.BACKGROUND)
    draw(surface)
    return len({surface.get_at((x, y))[:3] for x in range(0, size[0], 3) for y in range(0, size[1], 3)})


def test_button_fires_on_release_inside_and_not_when_disabled():
    fired = []
    button = Button((10, 10, 100, 30), "Go", on_click=lambda: fired.append(1))
    press(button, (50, 20))
    assert fired == [1]
    button.handle_event(ev(pygame.MOUSEBUTTONDOWN, pos=(50, 20), button=1))
    button.handle_event(ev(pygame.MOUSEBUTTONUP, pos=(300, 300), button=1))  # dragged away: cancelled
    assert fired == [1]
    button.enabled = False
    press(button, (50, 20))
    assert fired == [1]
    assert drawn_colours(button.draw) > 2


def test_slider_click_drag_and_arrow_keys_when_hovered():
    values = []
    slider = Slider((0, 0, 210, 20), 0, 100, 50, step=1, on_change=values.append)
    slider.handle_event(ev(pygame.MOUSEBUTTONDOWN, pos=(5, 10), button=1))
    assert slider.value == 0
    slider.handle_event(ev(pygame.MOUSEMOTION, pos=(205, 10), rel=(200, 0), buttons=(1, 0, 0)))
    assert slider.value == 100
    slider.handle_event(ev(pygame.MOUSEBUTTONUP, pos=(205, 10), button=1))
    slider.handle_event(ev(pygame.MOUSEMOTION, pos=(400, 10), rel=(0, 0), buttons=(0, 0, 0)))
    assert not slider.handle_event(ev(pygame.KEYDOWN, key=pygame.K_LEFT, mod=0, unicode=""))
    slider.handle_event(ev(pygame.MOUSEMOTION, pos=(100, 10), rel=(0, 0), buttons=(0, 0, 0)))
    assert slider.handle_event(ev(pygame.KEYDOWN, key=pygame.K_LEFT, mod=0, unicode=""))
    assert slider.value == 99 and values[-1] == 99
    assert isinstance(slider.value, int)
    with pytest.raises(ValueError):
        Slider(minimum=1, maximum=1)


def test_checklist_toggles_rows_and_scrolls():
    changes = []
    items = [f"file_{i}.txt" for i in range(20)]
    checklist = CheckList((0, 0, 200, 104), items, on_change=changes.append)
    press(checklist, (50, 2 + 20 + 5))  # second row
    assert checklist.checked_items() == ["file_1.txt"] and len(changes) == 1
    checklist.handle_event(ev(pygame.MOUSEWHEEL, x=0, y=-3))
    assert checklist.scroll == 3
    press(checklist, (50, 2 + 5))
    assert "file_3.txt" in checklist.checked_items()
    checklist.set_all(True)
    assert len(checklist.checked_items()) == 20
    assert drawn_colours(checklist.draw) > 3


def test_progress_bar_clamps_and_draws():
    bar = ProgressBar((0, 0, 200, 16))
    bar.set(1.7, "done")
    assert drawn_colours(bar.draw) > 2
    bar.set(-1)
    assert drawn_colours(bar.draw) > 1


def test_line_plot_ticks_and_series():
    ticks = nice_ticks(0.13, 2.9)
    assert ticks[0] >= 0.13 and ticks[-1] <= 2.9 and len(ticks) >= 3
    steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
    plot = LinePlot((0, 0, 400, 300), title="LOSS")
    empty = drawn_colours(plot.draw)
    for step in range(50):
        plot.add_point("train", step, 4.0 / (1 + step))
        plot.add_point("validation", step, 4.2 / (1 + step))
    plot.add_point("train", 51, float("nan"))  # ignored, not drawn
    assert len(plot.series["train"]) == 50
    assert drawn_colours(plot.draw) > empty


def test_wrap_text_breaks_words_and_long_tokens():
    font = theme.font()
    lines = wrap_text("the quick brown fox " + "x" * 200, font, 120)
    assert all(font.size(line)[0] <= 120 for line in lines)
    assert "".join(lines).replace(" ", "") == ("thequickbrownfox" + "x" * 200)


def test_chat_view_sticks_to_bottom_unless_scrolled_up():
    chat = ChatView((0, 0, 400, 200))
    surface = pygame.Surface((400, 200))
    for i in range(30):
        chat.add("user" if i % 2 == 0 else "ai", f"message number {i} " * 3)
    chat.draw(surface)
    assert chat.stuck_to_bottom
    chat.handle_event(ev(pygame.MOUSEMOTION, pos=(100, 100), rel=(0, 0), buttons=(0, 0, 0)))
    assert chat.handle_event(ev(pygame.MOUSEWHEEL, x=0, y=2))
    chat.draw(surface)
    scrolled = chat.scroll
    assert scrolled > 0
    index = chat.add("ai", "")
    for _ in range(20):
        chat.append_text(index, "streaming words ")
    chat.draw(surface)
    assert chat.scroll > scrolled  # the user's place is kept while text grows below
    chat.scroll_by(-(10**6))
    assert chat.stuck_to_bottom
    chat.append_text(index, "more")
    chat.draw(surface)
    assert chat.stuck_to_bottom
    assert chat.messages[index].text.endswith("more")


def test_chat_view_wheel_outside_is_ignored():
    chat = ChatView((0, 0, 400, 200))
    chat.handle_event(ev(pygame.MOUSEMOTION, pos=(500, 500), rel=(0, 0), buttons=(0, 0, 0)))
    assert not chat.handle_event(ev(pygame.MOUSEWHEEL, x=0, y=1))


def test_dialog_needs_one_to_three_buttons():
    with pytest.raises(ValueError):
        Dialog("t", "m", ())
    with pytest.raises(ValueError):
        Dialog("t", "m", ("a", "b", "c", "d"))
    dialog = Dialog(
        "Title", "A message long enough to wrap " * 4, ("Create New Model", "Overwrite Existing", "Cancel")
    )
    dialog.layout(pygame.Rect(0, 0, 1024, 640))
    rects = [b.rect for b in dialog.buttons]
    assert all(dialog.rect.contains(r) for r in rects)
    assert not rects[0].colliderect(rects[1]) and not rects[1].colliderect(rects[2])
    assert drawn_colours(dialog.draw, (1024, 640)) > 4


def test_text_still_renders_after_pygame_quit_and_init():
    theme.render_text("before", theme.TEXT)
    pygame.quit()
    pygame.init()
    image = theme.render_text("after quit", theme.TEXT)
    assert image.get_width() > 10
    pygame.quit()
    pygame.display.init()
    pygame.font.init()


def test_streamed_reply_wraps_exactly_like_the_whole_text():
    chat = ChatView((0, 0, 300, 400))
    index = chat.add("ai", "")
    pieces = ["The", " sky", " is", " bl", "ue because", " sunlight\nscatters", " ", " off", " air"] + [
        " molecules" * 3,
        " " + "x" * 90,
        "yz",
    ]
    for piece in pieces:
        chat.append_text(index, piece)
        streamed = list(chat._lines(chat.messages[index]))
        fresh = ChatView((0, 0, 300, 400))
        fresh.add("ai", chat.messages[index].text)
        assert streamed == fresh._lines(fresh.messages[0])
