"""The LLM tab's conversations: Save chat (Markdown + JSON, by date), Copy chat, the autosave and Restore."""

from __future__ import annotations

import json
from datetime import datetime

import pygame
import pytest
from llm_helpers import click, key, pump, set_field

from hyper_prime_spiral.model.chat_format import AI_ROLE, USER_ROLE, Turn
from hyper_prime_spiral.storage import chat_log
from hyper_prime_spiral.ui.widgets import clipboard


@pytest.fixture
def documents(tmp_path, monkeypatch):
    folder = tmp_path / "Documents" / "hyper-prime-spiral"
    monkeypatch.setattr(chat_log, "documents_folder", lambda: folder)
    return folder


def _chat(app, tab, text):
    set_field(app, tab.chat_field, text)
    key(app, pygame.K_RETURN)
    pump(app, lambda: not tab.session.generating)
    app.update(1 / 60)


def test_export_round_trip_by_date(tmp_path):
    chat = chat_log.Conversation((Turn(USER_ROLE, "why 7?"), Turn(AI_ROLE, "7 is prime.\nyes")), "tiny")
    when = datetime(2026, 11, 29, 1, 2, 3)
    first = chat_log.export_conversation(chat, tmp_path, when)
    second = chat_log.export_conversation(chat, tmp_path, when)  # same second: a new name, nothing replaced
    assert first.name == "chat-2026-11-29-010203.md" and second.name == "chat-2026-11-29-010203-2.md"
    markdown = first.read_text(encoding="utf-8")
    assert (
        "# Chat with tiny" in markdown
        and "**User:** why 7?" in markdown
        and "**AI:** 7 is prime.\nyes" in markdown
    )
    back = chat_log.read_conversation(first.with_suffix(".json"))
    assert back.turns == chat.turns and back.model == "tiny" and back.saved == "2026-11-29T01:02:03"


def test_damaged_chat_files_are_refused_with_their_name(tmp_path):
    bad = tmp_path / "chat.json"
    for content in (
        "{",
        json.dumps({"format": "other"}),
        json.dumps(
            {
                **chat_log.to_json(chat_log.Conversation((Turn(USER_ROLE, "hi"),))),
                "turns": [{"role": "Robot", "text": "x"}],
            }
        ),
    ):
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(chat_log.ChatFileError, match="chat.json"):
            chat_log.read_conversation(bad)
    with pytest.raises(chat_log.ChatFileError, match="empty"):
        chat_log.export_conversation(chat_log.Conversation(()), tmp_path)


def test_save_and_copy_chat_buttons(make_app, tiny_bundle, documents):
    app = make_app()
    pump(app, lambda: app.tab("LLM").startup is None)
    app.set_model(tiny_bundle, "test model")
    app.switch_tab("LLM")
    tab = app.tab("LLM")
    click(app, tab.save_chat_button.rect.center)
    assert app.status_error and "empty" in app.status and not documents.exists()
    _chat(app, tab, "hello there")
    assert tab.quit_warning() is not None  # not saved yet
    click(app, tab.save_chat_button.rect.center)
    assert not app.status_error, app.status
    (saved,) = documents.glob("chat-*.json")
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert [t["role"] for t in doc["turns"]] == ["User", "AI"] and doc["turns"][0]["text"] == "hello there"
    assert doc["settings"]["temperature"] == pytest.approx(tab.temperature.value)
    assert saved.with_suffix(".md").exists() and tab.quit_warning() is None
    click(app, tab.copy_chat_button.rect.center)
    assert (
        clipboard.paste_text().startswith("# Chat with") and "**User:** hello there" in clipboard.paste_text()
    )


def test_the_last_chat_is_autosaved_and_offered_at_the_next_start(make_app, tiny_bundle):
    app = make_app()
    pump(app, lambda: app.tab("LLM").startup is None)
    app.set_model(tiny_bundle, "test model")
    tab = app.tab("LLM")
    assert not tab.restore_button.visible  # nothing saved yet
    app.switch_tab("LLM")
    _chat(app, tab, "remember me")
    kept = chat_log.load_autosave()
    assert kept is not None and kept.turns[0] == Turn(USER_ROLE, "remember me")
    click(app, tab.clear_button.rect.center)
    app.close()  # an empty chat does not replace the saved one
    assert chat_log.load_autosave().turns == kept.turns

    again = make_app()
    tab2 = again.tab("LLM")
    again.switch_tab("LLM")
    assert tab2.restore_button.visible and tab2.session.history == []
    click(again, tab2.restore_button.rect.center)
    assert tab2.session.history == list(kept.turns) and not tab2.restore_button.visible
    assert [m.text for m in tab2.chat_view.messages][0] == "remember me" and "Restored" in again.status


def test_a_damaged_autosave_is_reported_and_kept(make_app):
    path = chat_log.autosave_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not json", encoding="utf-8")
    app = make_app()
    assert app.status_error and "last-chat.json" in app.status
    assert not app.tab("LLM").restore_button.visible and path.read_text(encoding="utf-8") == "not json"
