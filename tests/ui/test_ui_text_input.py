"""TextInput through the app: caret, selection, clipboard, numeric refusal, scrolling."""

import pygame
import pytest
from ui_events import clear_field, click, ctrl, key, type_text

from hyper_prime_spiral.training.presets import CHAT_RECIPE
from hyper_prime_spiral.ui.widgets import clipboard
from hyper_prime_spiral.ui.widgets.text_input import TextInput

LR, BATCH, CONTEXT = f"{CHAT_RECIPE.lr:g}", str(CHAT_RECIPE.batch), str(CHAT_RECIPE.context)  # tab defaults

SHIFT = pygame.KMOD_LSHIFT


@pytest.fixture
def chat(app):
    """The chat field, focused."""
    llm = app.tab("LLM")
    app.switch_tab("LLM")
    click(app, llm.chat_field.rect.center)
    assert app.focus is llm.chat_field
    return llm.chat_field


@pytest.fixture
def training(app):
    app.switch_tab("Training")
    return app.tab("Training")


def test_caret_moves_and_edits_happen_at_the_caret(app, chat):
    type_text(app, "hello")
    key(app, pygame.K_LEFT)
    key(app, pygame.K_LEFT)
    type_text(app, "X")
    assert chat.text == "helXlo" and chat.caret == 4
    key(app, pygame.K_HOME)
    type_text(app, "A")
    assert chat.text == "AhelXlo"
    key(app, pygame.K_END)
    key(app, pygame.K_BACKSPACE)
    assert chat.text == "AhelXl"
    key(app, pygame.K_HOME)
    key(app, pygame.K_DELETE)
    assert chat.text == "helXl" and chat.caret == 0
    key(app, pygame.K_RIGHT)
    key(app, pygame.K_BACKSPACE)
    assert chat.text == "elXl" and chat.caret == 0
    key(app, pygame.K_LEFT)  # stays at 0
    assert chat.caret == 0


def test_ctrl_arrows_jump_words(app, chat):
    type_text(app, "one two three")
    key(app, pygame.K_LEFT, mod=pygame.KMOD_LCTRL)
    assert chat.caret == len("one two ")
    key(app, pygame.K_BACKSPACE, mod=pygame.KMOD_LCTRL)
    assert chat.text == "one three"


def test_shift_arrows_select_and_typing_replaces_the_selection(app, chat):
    type_text(app, "sky blue")
    for _ in range(4):
        key(app, pygame.K_LEFT, mod=SHIFT)
    assert chat.selected_text == "blue"
    type_text(app, "red")
    assert chat.text == "sky red" and chat.selection() is None
    key(app, pygame.K_HOME, mod=SHIFT)
    assert chat.selected_text == "sky red"
    key(app, pygame.K_RIGHT)  # collapses to the end of the selection
    assert chat.selection() is None and chat.caret == len("sky red")


def test_ctrl_a_then_backspace_clears(app, chat):
    type_text(app, "some text")
    ctrl(app, pygame.K_a)
    assert chat.selected_text == "some text"
    key(app, pygame.K_BACKSPACE)
    assert chat.text == ""


def test_copy_cut_paste(app, chat):
    type_text(app, "abc")
    ctrl(app, pygame.K_a)
    ctrl(app, pygame.K_c)
    key(app, pygame.K_END)
    ctrl(app, pygame.K_v)
    assert chat.text == "abcabc"
    key(app, pygame.K_HOME, mod=SHIFT)
    ctrl(app, pygame.K_x)
    assert chat.text == ""
    ctrl(app, pygame.K_v)
    ctrl(app, pygame.K_v)
    assert chat.text == "abcabcabcabc"


def test_paste_works_with_the_private_clipboard_when_the_system_one_fails(app, chat, monkeypatch):
    def broken(*_args):
        raise pygame.error("no clipboard")

    monkeypatch.setattr(pygame.scrap, "put_text", broken)
    monkeypatch.setattr(pygame.scrap, "get_text", broken)
    type_text(app, "private")
    ctrl(app, pygame.K_a)
    ctrl(app, pygame.K_c)
    key(app, pygame.K_END)
    ctrl(app, pygame.K_v)
    assert chat.text == "privateprivate"
    assert clipboard.paste_text() == "private"


def test_pasted_newlines_become_spaces_and_max_length_holds(app):
    field = TextInput(max_length=8)
    app.tab("LLM").fields.append(field)
    app.focus_field(field)
    clipboard.copy_text("ab\ncd")
    ctrl(app, pygame.K_v)
    assert field.text == "ab cd"
    type_text(app, "123456")
    assert field.text == "ab cd123" and len(field.text) == 8


def test_click_places_the_caret(app, chat):
    type_text(app, "abcdef")
    click(app, (chat.rect.x + 2, chat.rect.centery))
    assert chat.caret == 0
    click(app, (chat.rect.right - 3, chat.rect.centery))
    assert chat.caret == 6


def test_long_text_scrolls_horizontally_to_keep_the_caret_visible(app, chat):
    type_text(app, "w" * 300)
    app.draw(pygame.Surface(app.size))
    assert chat.scroll_x > 0
    caret_on_screen = chat.rect.x + 6 + chat.caret_pixel() - chat.scroll_x
    assert chat.rect.x <= caret_on_screen <= chat.rect.right
    key(app, pygame.K_HOME)
    app.draw(pygame.Surface(app.size))
    assert chat.scroll_x == 0


def test_numeric_field_refuses_a_non_number_and_keeps_the_previous_value(app, training):
    click(app, training.form.fields["lr"].rect.center)
    clear_field(app)
    type_text(app, "abc")
    key(app, pygame.K_RETURN)
    assert app.status_error and "not a number" in app.status
    lr = training.form.fields["lr"]
    assert lr.text == LR and lr.value == pytest.approx(CHAT_RECIPE.lr)


def test_numeric_field_refuses_out_of_range_on_leaving_the_field(app, training):
    click(app, training.form.fields["epochs"].rect.center)
    clear_field(app)
    type_text(app, "0")
    key(app, pygame.K_TAB)
    assert app.status_error and "outside" in app.status
    assert training.form.fields["epochs"].text == "10" and training.form.fields["epochs"].value == 10
    assert app.focus is training.form.fields["batch_size"]
    clear_field(app)
    type_text(app, "2.5")  # not a whole number
    key(app, pygame.K_ESCAPE)
    batch = training.form.fields["batch_size"]
    assert batch.value == CHAT_RECIPE.batch and batch.text == BATCH


def test_numeric_field_accepts_a_valid_value(app, training):
    click(app, training.form.fields["workers"].rect.center)
    clear_field(app)
    type_text(app, "2")
    key(app, pygame.K_RETURN)
    assert training.form.fields["workers"].value == 2
    assert not app.status_error


def test_start_training_reports_a_refused_field(app, training):
    click(app, training.form.fields["lr"].rect.center)
    clear_field(app)
    type_text(app, "-1")
    click(app, training.start_button.rect.center)
    assert app.status_error and training.form.fields["lr"].value == pytest.approx(CHAT_RECIPE.lr)


def test_key_repeat_and_text_input_follow_focus(app, chat):
    assert pygame.key.get_repeat() != (0, 0)
    key(app, pygame.K_ESCAPE)
    assert pygame.key.get_repeat() == (0, 0)


def test_bad_initial_numeric_text_is_a_programming_error():
    with pytest.raises(ValueError):
        TextInput(text="x", numeric="int")
    with pytest.raises(ValueError):
        TextInput(numeric="hex")


def test_placeholder_and_label_are_drawn(app):
    field = TextInput((20, 60, 200, 28), label="Label:", placeholder="type here")
    surface = pygame.Surface((300, 120))
    surface.fill((0, 0, 0))
    field.draw(surface)
    label_area = surface.subsurface((20, 40, 60, 18))
    text_area = surface.subsurface((26, 64, 80, 20))
    assert pygame.transform.average_color(label_area)[:3] != (0, 0, 0)
    assert len({text_area.get_at((x, y))[:3] for x in range(80) for y in range(20)}) > 3


def test_set_text_refuses_an_invalid_number_without_changing_the_field():
    field = TextInput(text="12", numeric="int", minimum=1, maximum=100)
    with pytest.raises(ValueError):
        field.set_text("500")
    assert field.text == "12" and field.value == 12
    field.set_text("7")
    assert field.text == "7" and field.value == 7 and field.caret == 1


def test_optional_numeric_field_accepts_blank():
    field = TextInput(text="5", numeric="int", minimum=0, maximum=9, allow_empty=True)
    field.set_text("")
    assert field.commit() is None and field.value is None
    field.insert("x")
    assert "not a whole number" in field.commit()
    assert field.text == ""


def test_shifted_and_unicode_characters_are_typed_as_sent(app, chat):
    type_text(app, "Hello World! (I = 2+2?)")
    app.handle_event(pygame.event.Event(pygame.TEXTINPUT, text="é°✓"))
    assert chat.text == "Hello World! (I = 2+2?)é°✓"
    assert app.active_tab == "LLM" and app.running


def test_double_click_selects_a_word_and_triple_click_everything(app, chat):
    type_text(app, "why is the sky blue")
    chat.scroll_x = 0
    x = chat.rect.x + 6 + chat.caret_pixel() // 2  # somewhere inside "the"
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, chat.rect.centery), button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, chat.rect.centery), button=1))
    assert chat.selection() is None
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, chat.rect.centery), button=1))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, chat.rect.centery), button=1))
    assert chat.selected_text in {"the", "is", "sky"}
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, chat.rect.centery), button=1))
    assert chat.selected_text == "why is the sky blue"
