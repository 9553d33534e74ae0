"""The lens in the LLM tab, driven by real events: tints, hover panel, attention view, embedding map."""

from __future__ import annotations

import pygame
import pytest
from llm_helpers import click, key, open_llm_tab, pump, type_text

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.model.chat_format import AI_ROLE
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.views.attention_window import AttentionWindow
from hyper_prime_spiral.ui.views.embedding_map_window import EmbeddingMapWindow
from hyper_prime_spiral.ui.widgets.token_text import BANDS, HOVER_OUTLINE, INSERTED_TINT, probability_tint


def move(app, pos):
    app.handle_event(pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=(0, 0, 0)))


def wheel(app, pos, y):
    move(app, pos)
    app.handle_event(
        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=y, flipped=False, precise_x=0.0, precise_y=float(y))
    )


@pytest.fixture
def llm(make_app, tiny_bundle):
    return open_llm_tab(make_app(), tiny_bundle, seed="3")


def _reply_with_lens(app, tab, surface):
    click(app, tab.lens_button.rect.center)
    assert tab.chat_view.lens and tab.lens_button.label == "Lens: on"
    click(app, tab.chat_field.rect.center)
    type_text(app, "is the sky blue")
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating, timeout=30)
    app.update(1 / 60)
    app.draw(surface)
    message = tab.chat_view.messages[-1]
    assert message.role == "ai" and message.insights, "the reply carries lens records"
    assert tab.chat_view.token_boxes, "the reply is drawn token by token"
    return message


def test_lens_off_by_default_and_replies_have_no_records(llm):
    app, tab = llm
    assert not tab.chat_view.lens and tab.lens_button.label == "Lens: off"
    assert tab.settings().lens is False


def test_tokens_are_tinted_hover_shows_candidates_click_opens_attention(llm):
    app, tab = llm
    surface = pygame.Surface(app.size)
    message = _reply_with_lens(app, tab, surface)
    box, _, index = tab.chat_view.token_boxes[0]
    insight = message.insights[index]
    assert surface.get_at((box.right - 1, box.bottom - 2))[:3] == probability_tint(insight.probability)
    legend_y = tab.chat_view.rect.y - 12
    legend_colours = {
        surface.get_at((x, legend_y))[:3]
        for x in range(tab.chat_view.rect.right - 400, tab.chat_view.rect.right)
    }
    assert {colour for _, colour, _ in BANDS} & legend_colours, "the legend shows the tint bands"

    move(app, box.center)  # hover: the candidates panel appears below the token
    assert tab.chat_view.hovered_token == (message, index)
    app.draw(surface)
    assert surface.get_at((box.x, box.y))[:3] == HOVER_OUTLINE  # the hovered token is outlined
    panel = tab.chat_view.hover_rect
    assert panel is not None and (panel.top == box.bottom + 4 or panel.bottom == box.y - 4)
    assert surface.get_at((panel.x + 3, panel.centery))[:3] == theme.DIALOG_BG
    assert surface.get_at((panel.centerx, panel.y))[:3] == HOVER_OUTLINE
    text_pixels = {surface.get_at((x, panel.y + 12))[:3] for x in range(panel.x + 8, panel.right - 8)}
    assert len(text_pixels) > 2, "the panel has text (the sampled token and its candidates)"
    move(app, (tab.chat_view.rect.x + 2, tab.chat_view.rect.y + 2))  # away: the panel goes
    app.draw(surface)
    assert tab.chat_view.hover_rect is None

    click(app, box.center)  # click: the attention view opens for that token
    window = app.dialog
    assert isinstance(window, AttentionWindow) and window.insight is insight
    app.draw(surface)
    layers, heads, n = insight.attention.shape
    assert len(window.strip_rects) == layers * heads
    strip = window.strip_rects[(0, 0)]
    colours = {surface.get_at((x, strip.centery))[:3] for x in range(strip.x, strip.right)}
    assert len(colours) > 1, "a heat strip shows different weights"
    other = (0, 1 - window.selected[1])
    click(app, window.strip_rects[other].center)
    assert window.selected == other
    key(app, pygame.K_ESCAPE)
    assert app.dialog is None and window.closed


def test_the_lens_setting_is_remembered(llm, make_app):
    app, tab = llm
    click(app, tab.lens_button.rect.center)
    tab.shutdown()
    assert app_settings.load_settings()[0]["llm"]["lens"] is True
    again = make_app().tab("LLM")
    again.start()
    assert again.chat_view.lens and again.settings().lens


def test_a_bad_saved_lens_value_keeps_it_off_and_says_so(make_app):
    app_settings.update_section("llm", {"lens": "yes"})
    app = make_app()
    tab = app.tab("LLM")
    tab.start()
    assert not tab.chat_view.lens
    assert app.status_error and "lens" in app.status


def test_a_tool_result_token_says_it_was_not_sampled(llm):
    from hyper_prime_spiral.model.lens import inserted_text

    app, tab = llm
    surface = pygame.Surface(app.size)
    message = _reply_with_lens(app, tab, surface)
    _, _, index = tab.chat_view.token_boxes[0]
    message.insights[index] = inserted_text(message.insights[index].text, [1])
    app.draw(surface)
    box = tab.chat_view.token_boxes[0][0]
    assert surface.get_at((box.right - 1, box.bottom - 2))[:3] == INSERTED_TINT
    click(app, box.center)
    assert app.dialog is None and app.status_error and "not sampled" in app.status


def test_embedding_map_hover_find_zoom_and_pan(llm):
    app, tab = llm
    surface = pygame.Surface(app.size)
    click(app, tab.map_button.rect.center)
    window = app.dialog
    assert isinstance(window, EmbeddingMapWindow)
    app.draw(surface)
    screen = window.to_screen(window.emap.points)
    inside = [i for i, (x, y) in enumerate(screen) if window.map_rect.collidepoint(x, y)]
    assert len(inside) == len(window.emap.labels)  # zoom 1 fits every token
    target = inside[len(inside) // 2]
    pos = (int(screen[target][0]), int(screen[target][1]))
    move(app, pos)
    assert window.hovered is not None
    app.draw(surface)
    hx, hy = (int(v) for v in window.to_screen(window.emap.points[[window.hovered]])[0])
    assert abs(hx - pos[0]) <= 10 and abs(hy - pos[1]) <= 10
    ring = [surface.get_at((hx - dx, hy))[:3] for dx in range(4, 8)]
    assert theme.CYAN in ring  # the hover ring
    assert len(window.emap.neighbours(window.hovered)) == 8

    type_text(app, "e")  # typing highlights the token and centres on it
    e_id = app.model.tokenizer.encode("e")[0]
    assert window.highlighted == [e_id] and not window.message_error
    centre = window.to_screen(window.emap.points[[e_id]])[0]
    assert abs(centre[0] - window.map_rect.centerx) < 1 and abs(centre[1] - window.map_rect.centery) < 1
    app.draw(surface)
    ring = [surface.get_at((window.map_rect.centerx - dx, window.map_rect.centery))[:3] for dx in range(5, 9)]
    assert theme.YELLOW in ring  # the found token's ring
    type_text(app, "zzz")
    assert window.highlighted == [] and window.message_error and "no token" in window.message

    zoom = window.zoom
    wheel(app, window.map_rect.center, 2)
    assert window.zoom == pytest.approx(zoom * 1.25**2)
    before = window.centre.copy()
    start = (window.map_rect.centerx, window.map_rect.centery)
    move(app, start)
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=start, button=1))
    move(app, (start[0] + 40, start[1]))
    app.handle_event(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(start[0] + 40, start[1]), button=1))
    assert window.centre[0] == pytest.approx(before[0] - 40 / window.scale)
    click(app, window.close_button.rect.center)
    assert app.dialog is None


def test_embedding_map_without_a_model_says_so(make_app):
    app = make_app()
    tab = app.tab("LLM")
    app.switch_tab("LLM")
    app.draw(pygame.Surface(app.size))
    click(app, tab.map_button.rect.center)
    assert app.dialog is None and app.status_error and "embedding map" in app.status


def test_history_keeps_each_replys_records_after_regenerate(llm):
    app, tab = llm
    surface = pygame.Surface(app.size)
    _reply_with_lens(app, tab, surface)
    click(app, tab.regenerate_button.rect.center)
    pump(app, lambda: not tab.session.generating, timeout=30)
    app.update(1 / 60)
    last = len(tab.session.history) - 1
    assert tab.session.history[last].role == AI_ROLE
    assert tab.chat_view.messages[-1].insights is tab.session.insights[last]
