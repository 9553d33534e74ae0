"""The LLM tab's chat through App.handle_event: typing, Enter, streaming, Stop, Clear, Regenerate, Copy."""

from __future__ import annotations

import pygame
import pytest
from llm_helpers import GatedStream, click, key, open_llm_tab, pump, set_field, type_text

from hyper_prime_spiral.model.chat_format import AI_ROLE, USER_ROLE, Turn, build_prompt
from hyper_prime_spiral.model.chat_session import truncate_prompt
from hyper_prime_spiral.model.sampling import generate, stream
from hyper_prime_spiral.ui.widgets import clipboard


def global_state(app) -> tuple:
    view = app.view_model
    return (app.active_tab, view.mode_index, view.zoom, app.running, app.panel_visible, app.dialog is None)


@pytest.fixture
def llm(make_app, tiny_bundle):
    return open_llm_tab(make_app(), tiny_bundle, seed="7")


def expected_reply(tab, history, message, seed) -> str:
    s = tab.settings()
    model = tab.app.model
    prompt = truncate_prompt(model.tokenizer, history, message, model.config.context_length)
    text = generate(tab.app.model, prompt, s.temperature, s.top_k, s.top_p, s.max_tokens, seed)
    return text.strip()


def test_typing_is_the_sky_blue_then_enter_streams_a_reply(llm):
    app, tab = llm
    gated = GatedStream(stream)
    tab.session.stream_fn = gated
    click(app, tab.chat_field.rect.center)
    before = global_state(app)
    type_text(app, "is the sky blue")
    key(app, pygame.K_RETURN)
    assert global_state(app) == before  # no hotkey fired
    assert tab.chat_field.text == "" and app.focus is tab.chat_field
    bubbles = tab.chat_view.messages
    assert [(m.role, m.text) for m in bubbles] == [("user", "is the sky blue"), ("ai", "")]
    assert tab.session.generating and tab.stop_button.enabled is False  # enabled at the next frame
    assert app._frame_cap(100.0) == 30  # a streaming reply keeps 30 FPS even when the user is idle
    app.update(1 / 60)
    assert tab.stop_button.enabled and not tab.send_button.enabled
    seen = []
    for _ in range(4):  # the model bubble fills piece by piece as frames run
        gated.release()
        sent = gated.sent + 1
        pump(app, lambda sent=sent: gated.sent >= sent or not tab.session.generating)
        pump(app, lambda: tab.session.job.tokens >= gated.sent or not tab.session.generating)
        seen.append(bubbles[1].text)
    assert any(seen) and seen == sorted(seen, key=len)
    gated.release(10_000)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)
    final = bubbles[1].text
    assert final.startswith(seen[-1].strip()) or final == "(empty reply)"
    assert final == (expected_reply(tab, [], "is the sky blue", 7) or "(empty reply)")
    assert "User:" not in final and "is the sky blue" not in final  # never echoes the prompt
    assert tab.messages == ["is the sky blue"]
    assert "tokens/s" in app.status and tab.session.last_tokens_per_s > 0
    assert global_state(app) == before


def test_second_message_continues_the_conversation(llm):
    app, tab = llm
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    first = tab.session.last_reply
    set_field(app, tab.chat_field, "what is a prime")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    history = [Turn(USER_ROLE, "hello"), Turn(AI_ROLE, first)]
    context = tab.app.model.config.context_length
    assert len(build_prompt(history, "what is a prime")) > context  # so the prompt was cut from the front
    assert tab.session.last_reply == expected_reply(tab, history, "what is a prime", 7)
    assert [m.role for m in tab.chat_view.messages] == ["user", "ai", "user", "ai"]


def test_stop_during_generation_ends_it(llm):
    app, tab = llm
    gated = GatedStream(stream)
    tab.session.stream_fn = gated
    tab.max_tokens.set_value(1000)
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    gated.release(3)
    pump(app, lambda: tab.session.job.tokens >= 1)
    app.update(1 / 60)
    click(app, tab.stop_button.rect.center)
    assert not tab.session.generating
    assert tab.session.history[-1].role == AI_ROLE
    assert "Stopped" in app.status
    gated.release(10_000)
    assert gated.closed.wait(10)  # the thread ended instead of generating 1000 tokens
    assert gated.sent < 1000
    app.update(1 / 60)
    assert not tab.stop_button.enabled and tab.send_button.enabled


def test_clear_empties_the_chat(llm):
    app, tab = llm
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    click(app, tab.clear_button.rect.center)
    assert tab.chat_view.messages == [] and tab.session.history == [] and tab.messages == []


def test_quitting_with_a_chat_asks_first_and_cancel_keeps_it(llm):
    app, tab = llm
    key(app, pygame.K_ESCAPE)  # leaves the chat field (focused when the tab was shown)
    key(app, pygame.K_ESCAPE)  # an empty chat: nothing to lose, still a question (never a bare key)
    assert app.running and app.dialog is not None and "Nothing will be lost" in app.dialog.message
    key(app, pygame.K_ESCAPE)  # Cancel
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    key(app, pygame.K_ESCAPE)  # leaves the chat field
    assert app.focus is None and app.running
    key(app, pygame.K_ESCAPE)  # asks instead of quitting
    assert app.running and app.dialog is not None and "chat" in app.dialog.message
    key(app, pygame.K_ESCAPE)  # Cancel
    assert app.running and app.dialog is None and len(tab.session.history) == 2
    key(app, pygame.K_q)
    key(app, pygame.K_RETURN)  # the highlighted button is Cancel
    assert app.running and app.dialog is None
    key(app, pygame.K_q)
    click(app, next(b for b in app.dialog.buttons if b.label == "Quit").rect.center)
    assert not app.running


def test_regenerate_replaces_the_last_reply(llm):
    app, tab = llm
    set_field(app, tab.chat_field, "is the sky blue")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    tab.seed_field.set_text("12345")
    click(app, tab.regenerate_button.rect.center)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)
    expected = expected_reply(tab, [], "is the sky blue", 12345)
    assert tab.session.history == [Turn(USER_ROLE, "is the sky blue"), Turn(AI_ROLE, expected)]
    assert [(m.role, m.text) for m in tab.chat_view.messages] == [
        ("user", "is the sky blue"),
        ("ai", expected or "(empty reply)"),
    ]


def test_regenerate_with_nothing_sent_explains(llm):
    app, tab = llm
    click(app, tab.regenerate_button.rect.center)
    assert app.status_error and "send a message first" in app.status


def test_copy_last_reply_puts_it_on_the_clipboard(llm):
    app, tab = llm
    click(app, tab.copy_button.rect.center)
    assert app.status_error and "No reply" in app.status
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    click(app, tab.copy_button.rect.center)
    assert clipboard.paste_text() == tab.session.last_reply


def test_sampling_controls_reach_the_sampler(llm):
    app, tab = llm
    calls = []

    def recording(bundle, prompt, **sampling):
        calls.append(sampling)
        yield "ok"

    tab.session.stream_fn = recording
    tab.temperature.set_value(1.3)
    tab.top_k.set_value(5)
    tab.top_p.set_value(0.5)
    tab.max_tokens.set_value(17)
    set_field(app, tab.chat_field, "hi")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    assert calls == [{"temperature": 1.3, "top_k": 5, "top_p": 0.5, "max_tokens": 17, "seed": 7}]


def test_bad_seed_is_refused_and_blank_means_random(llm):
    app, tab = llm
    set_field(app, tab.seed_field, "abc")
    key(app, pygame.K_RETURN)
    assert app.status_error and "Seed" in app.status and tab.seed_field.text == "7"
    set_field(app, tab.seed_field, "")
    key(app, pygame.K_RETURN)
    assert tab.seed_field.text == "" and tab.settings().seed is None


def test_without_a_model_the_input_explains_how_to_get_one(make_app):
    app = make_app()
    tab = app.tab("LLM")
    pump(app, lambda: tab.startup is None)
    assert app.model is None and "No model loaded" in app.status
    assert "Training tab" in tab.chat_field.placeholder
    app.switch_tab("LLM")
    set_field(app, tab.chat_field, "is the sky blue")
    key(app, pygame.K_RETURN)
    assert app.status_error and "Training tab" in app.status
    assert [(m.role, m.text) for m in tab.chat_view.messages] == [("user", "is the sky blue")]
    assert tab.chat_field.text == ""


def test_a_failing_sampler_is_reported_in_the_status_line(llm):
    app, tab = llm

    def broken(bundle, prompt, **sampling):
        raise RuntimeError("the model exploded")
        yield ""  # pragma: no cover

    tab.session.stream_fn = broken
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)
    assert app.status_error and "the model exploded" in app.status
    assert tab.chat_view.messages[-1].text == "(no reply)"


@pytest.mark.parametrize("size", [(1600, 900), (1024, 640)])
def test_the_tab_draws_with_a_model_and_a_reply(llm, size):
    app, tab = llm
    app.resize(size)
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    surface = pygame.Surface(size)
    app.draw(surface)
    for widget in tab.panel_widgets + tab.content_widgets:
        assert surface.get_rect().contains(widget.rect), widget
    assert tab.seed_field.rect.bottom <= tab.panel_rect.bottom
    pixels = pygame.surfarray.array3d(surface.subsurface(tab.chat_view.rect))
    assert len({tuple(p) for p in pixels.reshape(-1, 3)[::37]}) > 3  # bubbles were drawn


def test_shift_enter_adds_a_line_break_and_enter_sends(llm):
    app, tab = llm
    calls = []

    def recording(bundle, prompt, **sampling):
        calls.append(prompt)
        yield "ok"

    tab.session.stream_fn = recording
    set_field(app, tab.chat_field, "line one")
    key(app, pygame.K_RETURN, pygame.KMOD_LSHIFT)
    type_text(app, "line two")
    assert tab.session.history == [] and tab.chat_field.text == "line one↵line two"
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    assert tab.chat_view.messages[0].text == "line one\nline two"
    assert calls == [build_prompt([], "line one line two")]  # one turn is one line in the chat format


def test_the_wheel_scrolls_the_chat_and_a_new_message_returns_to_the_bottom(llm):
    app, tab = llm
    for i in range(40):
        tab.session.history.append(Turn(USER_ROLE if i % 2 == 0 else AI_ROLE, f"message {i} " * 12))
    tab._rebuild_chat()
    app.draw(pygame.Surface(app.size))
    zoom = app.view_model.zoom
    centre = tab.chat_view.rect.center
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=centre, rel=(0, 0), buttons=(0, 0, 0)))
    wheel = pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=2, flipped=False, precise_x=0.0, precise_y=2.0)
    app.handle_event(wheel)
    assert tab.chat_view.scroll > 0 and app.view_model.zoom == zoom  # the chat scrolled, not a view
    set_field(app, tab.chat_field, "hello")
    key(app, pygame.K_RETURN)
    assert tab.chat_view.stuck_to_bottom
    pump(app, lambda: not tab.session.generating)
