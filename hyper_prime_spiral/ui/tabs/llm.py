"""LLM tab: chat with the loaded model (streaming replies), sampling controls, model panel.

Content area: the chat transcript (ChatView), a toolbar (Clear, Regenerate, Copy last reply,
tokens/s) and the input row (chat field, Send, Stop). Right panel: the model's details, a
path field with Load / Browse / Save As, the models found in the search folders, and the
sampling controls.

All slow work runs off the UI thread: generation in a `ChatSession` job (polled in `update`)
whose tokens come from a worker process (so decoding does not fight the frame loop for the
GIL); model files (start-up search, load with its progress, list, save) go through
`app.run_in_background` on its "models" lane. The model itself is app-wide
(`app.model`, changed with `app.set_model`), so a freshly trained model shows up here.
"""

from __future__ import annotations

import dataclasses
import math
from concurrent.futures import Future
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pygame

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.formatting import format_count
from hyper_prime_spiral.model.chat_format import AI_ROLE, CALL_OPEN, USER_ROLE, Turn, split_tool_use
from hyper_prime_spiral.model.chat_session import ChatSession
from hyper_prime_spiral.model.embedding_map import EmbeddingMap, embedding_map
from hyper_prime_spiral.model.generation_process import shared_generation_process
from hyper_prime_spiral.model.lens import context_pieces, tool_marks
from hyper_prime_spiral.model.sampling import SamplingSettings
from hyper_prime_spiral.storage import chat_log, search
from hyper_prime_spiral.storage.errors import ModelFileError
from hyper_prime_spiral.storage.model_dir import load_model, save_model
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.folder_paths import complete_field, expand_path
from hyper_prime_spiral.ui.tabs.base import IDLE_FPS, MODELS_LANE, Tab
from hyper_prime_spiral.ui.tabs.model_load import ModelLoad, load_error_message
from hyper_prime_spiral.ui.views.attention_window import AttentionWindow
from hyper_prime_spiral.ui.views.embedding_map_window import EmbeddingMapWindow
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.chat_view import ChatMessage, ChatView
from hyper_prime_spiral.ui.widgets.clipboard import copy_text
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker
from hyper_prime_spiral.ui.widgets.pick_list import PickList
from hyper_prime_spiral.ui.widgets.progress_bar import ProgressBar
from hyper_prime_spiral.ui.widgets.slider import Slider
from hyper_prime_spiral.ui.widgets.text_input import TextInput
from hyper_prime_spiral.ui.widgets.token_text import draw_legend
from hyper_prime_spiral.ui.widgets.wrap import wrap_text

NO_MODEL_HELP = (
    "No model loaded: train one in the Training tab, or load one by its folder path (panel on the right)."
)
NEWLINE_MARK = "↵"
_CHAT_HINT = "Type your message: Enter sends, Shift+Enter starts a new line."
_INPUT_H = 36
_ROW_H = 28
_INFO_LINES = 8
_LEGEND_H = 24
SETTINGS_SECTION = "llm"


class ChatInput(TextInput):
    """The one-line chat field; Shift+Enter adds a line break, shown as "↵" while typing.

    The mark keeps the field a plain one-line TextInput (caret, selection and scrolling work
    unchanged); `message` turns it back into a real line break for the chat bubble.
    """

    newline_on_shift_enter = True  # the focus manager then hands Shift+Enter to handle_key

    def handle_key(self, event: pygame.event.Event) -> bool:
        if event.key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            self.insert(NEWLINE_MARK)
            return True
        return super().handle_key(event)

    @property
    def message(self) -> str:
        return self.text.replace(NEWLINE_MARK, "\n").strip()


class LLMTab(Tab):
    """`chat_field` (Enter sends), `model_path_field` (Enter loads, Tab completes), `messages` (sent)."""

    name = "LLM"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.messages: list[str] = []
        self.session = ChatSession(app.model, stream_fn=shared_generation_process().stream)
        # Model-file work in flight (None: none); each ends in a callback on the UI thread.
        self.loader: ModelLoad | None = None
        self.startup: ModelLoad | None = None  # the start-up search for the newest model
        self.listing: Future | None = None
        self.saving: Future | None = None
        self.found_models: list[search.ModelInfo] = []
        self._reply_message: ChatMessage | None = None
        self._startup_choice = False
        self._last_model: str | None = None  # the model the user chose last (kept in the settings)
        self._map_cache: tuple[Any, EmbeddingMap] | None = None

        self.chat_view = ChatView(empty_text=NO_MODEL_HELP)
        self.chat_field = ChatInput(
            placeholder=NO_MODEL_HELP, max_length=2000, on_submit=lambda _field: self.send()
        )
        self.send_button = Button(label="Send", on_click=self.send, kind="primary")
        self.stop_button = Button(label="Stop", on_click=self.stop, kind="danger", enabled=False)
        self.clear_button = Button(label="Clear", on_click=self.clear_chat)
        self.regenerate_button = Button(label="Regenerate", on_click=self.regenerate)
        self.copy_button = Button(label="Copy last reply", on_click=self.copy_last_reply)
        self.copy_chat_button = Button(label="Copy chat", on_click=self.copy_conversation)
        self.save_chat_button = Button(label="Save chat", on_click=self.save_conversation)
        self.restore_button = Button(label="Restore last chat", on_click=self.restore_last_chat)
        self.restore_button.visible = False
        self.restorable: chat_log.Conversation | None = None  # the autosaved chat, until used or replaced
        self._saved_turns = 0  # history length at the last Save chat
        self.lens_button = Button(label=_switch_label("Lens", False), on_click=self.toggle_lens)
        self.map_button = Button(label="Embedding map", on_click=self.open_embedding_map)
        self.guard_numbers = SamplingSettings().guard_numbers
        self.guard_button = Button(label="", on_click=self.toggle_guard)
        self.set_guard(self.guard_numbers)
        self.chat_view.on_token_click = self.open_attention

        self.model_path_field = TextInput(
            label="Model folder (Enter loads, Tab completes):",
            placeholder="~/path/to/model",
            max_length=500,
            text=app.model_path or "",
            on_submit=lambda _field: self.load_typed_path(),
            on_tab=self._complete_path,
        )
        self.load_button = Button(label="Load", on_click=self.load_typed_path)
        self.browse_button = Button(label="Browse...", on_click=self.browse)
        self.save_as_button = Button(label="Save As...", on_click=self.save_as, enabled=False)
        self.model_list = PickList(on_pick=self._model_picked, empty_text="(no models found)")
        self.load_progress = ProgressBar()

        defaults = SamplingSettings()  # the one place the sampling defaults live
        self.temperature = Slider(
            minimum=0.0, maximum=2.0, value=defaults.temperature, label="Temperature", step=0.05
        )
        self.top_k = Slider(
            minimum=0, maximum=200, value=defaults.top_k, label="Top-k (0 = off)", step=1, fmt="d"
        )
        self.top_p = Slider(minimum=0.05, maximum=1.0, value=defaults.top_p, label="Top-p", step=0.05)
        self.max_tokens = Slider(
            minimum=1, maximum=1000, value=defaults.max_tokens, label="Max new tokens", step=1, fmt="d"
        )
        self.seed_field = TextInput(  # blank = a new random seed for every reply
            label="Seed (blank = random):",
            numeric="int",
            minimum=0,
            maximum=2**31 - 1,
            max_length=10,
            allow_empty=True,
        )

        self.fields = [self.chat_field, self.model_path_field, self.seed_field]
        self.content_widgets = [
            self.chat_view,
            self.chat_field,
            self.send_button,
            self.stop_button,
            self.clear_button,
            self.regenerate_button,
            self.copy_button,
            self.copy_chat_button,
            self.save_chat_button,
            self.restore_button,
            self.lens_button,
            self.map_button,
        ]
        self.panel_widgets = [
            self.model_path_field,
            self.load_button,
            self.browse_button,
            self.save_as_button,
            self.model_list,
            self.temperature,
            self.top_k,
            self.top_p,
            self.max_tokens,
            self.seed_field,
            self.guard_button,
        ]

    # --- life cycle --------------------------------------------------------------------------
    def start(self) -> None:
        """Load the newest model of the search order in the background (never blocks start-up)."""
        self.restore_settings()
        self._last_model = self.remembered_model()
        self._offer_last_chat()
        if self.app.model is None:
            startup = self.startup = ModelLoad(None)
            self.app.run_in_background(
                search.load_newest_model,
                self.app.model_path,
                self._last_model,
                on_done=lambda result: self._startup_done(startup, result),
                on_error=lambda exc: self._startup_failed(startup, exc),
                lane=MODELS_LANE,
            )
        self.refresh_model_list()

    def on_show(self) -> None:
        """Typing is this tab's job: the chat field takes the keyboard as soon as the tab shows."""
        self.refresh_model_list()
        self.app.focus_field(self.chat_field)

    def handle_hotkey(self, event: pygame.event.Event) -> bool:
        """A printable key with nothing focused (after Escape, or a click elsewhere) goes to the chat
        field, so a sentence typed here is never taken for hotkeys (a `q` must not quit)."""
        text = getattr(event, "unicode", "")
        if event.mod & (pygame.KMOD_CTRL | pygame.KMOD_ALT | pygame.KMOD_META):
            return False
        if not (text and text.isprintable()) or not self.chat_field.enabled:
            return False
        self.app.focus_manager.focus_and_type(self.chat_field, text)
        return True

    def shutdown(self) -> None:
        self.session.stop()
        self._autosave()
        problem = app_settings.update_section(SETTINGS_SECTION, self.settings_values())
        if problem:
            self.app.set_status(problem, error=True)

    # --- settings (the sampling values survive a restart) ---------------------------------------
    def _sliders(self) -> dict[str, Slider]:
        return {
            "temperature": self.temperature,
            "top_k": self.top_k,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
        }

    def settings_values(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: slider.value for key, slider in self._sliders().items()}
        values["seed"] = self.seed_field.text.strip()
        if self._last_model:
            values["last_model"] = self._last_model
        values["lens"] = self.chat_view.lens
        values["guard_numbers"] = self.guard_numbers
        return values

    def restore_settings(self) -> None:
        """Sliders and seed from the settings file; a bad value keeps the default and says so."""
        data, problem = app_settings.load_settings()
        section = data.get(SETTINGS_SECTION, {})
        if not isinstance(section, dict):
            problem = problem or f"Saved LLM settings are not an object ({section!r:.40}); using defaults."
            section = {}
        for key, slider in self._sliders().items():
            value = section.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
                slider.set_value(value, notify=False)
            elif value is not None:
                problem = problem or f"Saved LLM setting {key}={value!r} is invalid; using the default."
        seed = section.get("seed")
        if isinstance(seed, str):
            try:
                self.seed_field.set_text(seed)
            except ValueError:
                problem = problem or f"Saved LLM seed {seed!r} is invalid; using a random seed."
        lens = section.get("lens")
        if isinstance(lens, bool):
            self.set_lens(lens)
        elif lens is not None:
            problem = problem or f"Saved LLM setting lens={lens!r} is invalid; the lens stays off."
        guard = section.get("guard_numbers")
        if isinstance(guard, bool):
            self.set_guard(guard)
        elif guard is not None:
            problem = problem or f"Saved LLM setting guard_numbers={guard!r} is invalid; the guard stays on."
        if problem:
            self.app.set_status(problem, error=True)

    @property
    def idle_fps(self) -> int:
        return 30 if self.session.generating else IDLE_FPS  # a streaming reply: 30 reads smoothly

    def quit_warning(self) -> str | None:
        """Escape leaves the chat field and a second Escape quits: ask before a chat is lost."""
        if self.session.generating:
            return "A reply is still being written and the chat will be lost."
        if len(self.session.history) > self._saved_turns:
            return "The chat is not saved (Save chat exports it; the app also keeps it for the next start)."
        return None

    def remembered_model(self) -> str | None:
        """The model the user loaded (or trained, or saved) last, from the settings file."""
        data, _problem = app_settings.load_settings()
        section = data.get(SETTINGS_SECTION)
        last = section.get("last_model") if isinstance(section, dict) else None
        return last if isinstance(last, str) and last else None

    def remember_model(self, bundle: Any) -> None:
        """Note the model in the settings, so the next start loads it again (if still valid)."""
        if bundle is None or bundle.path is None or self._startup_choice:
            return
        self._last_model = str(bundle.path)
        problem = app_settings.update_section(SETTINGS_SECTION, self.settings_values())
        if problem:
            self.app.set_status(problem, error=True)

    def on_model_changed(self, bundle: Any) -> None:
        """The app's model changed (loaded here, trained in the Training tab, or Save As)."""
        self.remember_model(bundle)
        self.session.set_model(bundle)
        self._finish_reply()
        if bundle is not None:
            shared_generation_process().start()  # warm up the worker before the first message
        self._enable_buttons()
        self.save_as_button.enabled = bundle is not None
        self.chat_field.placeholder = NO_MODEL_HELP if bundle is None else _CHAT_HINT
        self.chat_view.empty_text = NO_MODEL_HELP if bundle is None else "Start a conversation..."
        if bundle is not None and bundle.path is not None and self.app.focus is not self.model_path_field:
            self.model_path_field.set_text(str(bundle.path))  # (never under the user's typing)
        self._select_current_in_list()
        self.refresh_model_list()

    # --- chat --------------------------------------------------------------------------------
    def settings(self) -> SamplingSettings:
        seed = self.seed_field.value if self.seed_field.text.strip() else None
        return SamplingSettings(
            temperature=round(float(self.temperature.value), 4),
            top_k=int(self.top_k.value),
            top_p=round(float(self.top_p.value), 4),
            max_tokens=int(self.max_tokens.value),
            seed=int(seed) if seed is not None else None,
            lens=self.chat_view.lens,
            guard_numbers=self.guard_numbers,
        )

    def send(self) -> None:
        text = self.chat_field.message
        if not text:
            self.app.set_status("Type a message first.", error=True)
            return
        if self.session.generating:
            self.app.set_status("A reply is still being generated: press Stop first.", error=True)
            return
        self.messages.append(text)
        self.chat_field.clear()
        if self.is_active and self.app.dialog is None:
            self.app.focus_field(self.chat_field)  # after a click on Send, typing goes on in the field
        if self.session.bundle is None:
            self.session.history.append(Turn(USER_ROLE, text))
            self._rebuild_chat()
            self.app.set_status(NO_MODEL_HELP + " Then press Regenerate to answer.", error=True)
            return
        self.session.settings = self.settings()
        try:
            self.session.send(text)
        except ValueError as exc:
            self.app.set_status(str(exc), error=True)
            return
        self.chat_view.add("user", text)
        self._start_reply()
        self.app.set_status("Generating...")

    def stop(self) -> None:
        if self.session.generating:
            self.session.stop()
            self._finish_reply()
            self.app.set_status(f"Stopped. {self._speed_text()}")

    def regenerate(self) -> None:
        self.session.settings = self.settings()
        try:
            self.session.regenerate()
        except ValueError as exc:
            message = str(exc)
            self.app.set_status(message[:1].upper() + message[1:], error=True)
            return
        self._rebuild_chat()
        self._start_reply()
        self.app.set_status("Regenerating the last reply...")

    def clear_chat(self) -> None:
        self._saved_turns = 0
        self.session.clear()
        self.messages.clear()
        self._reply_message = None
        self.chat_view.clear()
        self.app.set_status("Chat cleared.")

    def copy_last_reply(self) -> None:
        reply = self.session.last_reply
        if reply and CALL_OPEN in reply:  # the answer, without the prime engine's calls and results
            reply = split_tool_use(reply)[1]
        if not reply:
            self.app.set_status("No reply to copy yet.", error=True)
            return
        copy_text(reply)
        self.app.set_status(f"Copied the last reply ({len(reply)} characters) to the clipboard.")

    def _start_reply(self) -> None:
        index = self.chat_view.add("ai", "")
        self._reply_message = self.chat_view.messages[index]
        if self.session.job is not None:
            self._reply_message.insights = self.session.job.insights  # grows as the reply streams
        self.chat_view.scroll = 0  # a new reply brings the view back to the bottom

    def _rebuild_chat(self) -> None:
        """Show the session's history (after structural changes: regenerate, no-model sends)."""
        scroll = self.chat_view.scroll
        self.chat_view.messages.clear()
        for number, turn in enumerate(self.session.history):
            index = self.chat_view.add("ai" if turn.role == AI_ROLE else "user", turn.text)
            self.chat_view.messages[index].insights = self.session.insights.get(number)
        self.chat_view.scroll = scroll
        self._reply_message = None

    def _finish_reply(self) -> None:
        """The job ended: show the final (cleaned) reply and report errors."""
        message, self._reply_message = self._reply_message, None
        if message is None:
            return
        last = self.session.history[-1] if self.session.history else None
        if last is not None and last.role == AI_ROLE:
            message.text = last.text or "(empty reply)"
            message.insights = self.session.insights.get(len(self.session.history) - 1)
        elif not message.text:
            message.text = "(no reply)"
        if self.session.last_error:
            self.app.set_status(self.session.last_error, error=True)
        self._autosave()

    # --- conversations: copy, save, autosave, restore -------------------------------------------
    def conversation(self) -> chat_log.Conversation:
        model = self.session.bundle.name if self.session.bundle is not None else None
        return chat_log.Conversation(
            tuple(self.session.history), model, settings=dataclasses.asdict(self.settings())
        )

    def copy_conversation(self) -> None:
        chat = self.conversation()
        if not chat.turns:
            self.app.set_status("No chat to copy yet.", error=True)
            return
        copy_text(chat_log.to_markdown(chat))
        self.app.set_status(f"Copied the chat ({len(chat.turns)} messages) to the clipboard as Markdown.")

    def save_conversation(self) -> None:
        """Export the chat as Markdown and JSON into the documents folder (named by date)."""
        try:
            path = chat_log.export_conversation(self.conversation())
        except chat_log.ChatFileError as exc:
            self.app.set_status(f"Chat not saved: {exc}", error=True)
            return
        self._saved_turns = len(self.session.history)
        self.app.set_status(f"Saved the chat as {path} (and {path.with_suffix('.json').name})")

    def _autosave(self) -> None:
        """Keep the current chat for the next start (an empty chat keeps the previous one)."""
        if not self.session.history:
            return
        try:
            chat_log.autosave(self.conversation())
        except chat_log.ChatFileError as exc:
            self.app.set_status(f"Could not autosave the chat: {exc}", error=True)
            return
        self.restorable = None  # the file now holds this chat: nothing else to offer
        self.restore_button.visible = False

    def _offer_last_chat(self) -> None:
        try:
            self.restorable = chat_log.load_autosave()
        except chat_log.ChatFileError as exc:
            self.app.set_status(f"The last chat cannot be restored: {exc}", error=True)
            return
        self.restore_button.visible = self.restorable is not None

    def restore_last_chat(self) -> None:
        chat = self.restorable
        if chat is None:
            self.app.set_status("No earlier chat to restore.", error=True)
            return
        if self.session.generating:
            self.app.set_status("A reply is still being generated: press Stop first.", error=True)
            return
        self.session.clear()
        self.session.history.extend(chat.turns)
        self.restorable = None
        self.restore_button.visible = False
        self._saved_turns = len(chat.turns)  # it is on disk already (the autosave)
        self._rebuild_chat()
        when = chat.saved or "earlier"
        self.app.set_status(f"Restored the last chat ({len(chat.turns)} messages, {when}).")

    # --- lens ---------------------------------------------------------------------------------
    def toggle_lens(self) -> None:
        self.set_lens(not self.chat_view.lens)
        if self.chat_view.lens:
            self.app.set_status(
                "Lens on: new replies are tinted by probability; hover a token for its alternatives, "
                "click it for its attention."
            )
        else:
            self.app.set_status("Lens off.")

    # --- number guard -------------------------------------------------------------------------
    def toggle_guard(self) -> None:
        self.set_guard(not self.guard_numbers)
        if self.guard_numbers:
            self.app.set_status("Number guard on: calls and answers copy long numbers from the chat.")
        else:
            self.app.set_status("Number guard off: the model writes every digit itself, mistakes included.")

    def set_guard(self, on: bool) -> None:
        self.guard_numbers = on
        self.guard_button.label = _switch_label("Number guard", on)

    def set_lens(self, on: bool) -> None:
        self.chat_view.lens = on
        self.lens_button.label = _switch_label("Lens", on)
        if self.content_rect.width > 0:
            self.layout(self.content_rect, self.panel_rect)

    def open_attention(self, message: ChatMessage, index: int) -> None:
        """A click on a lens token: its attention over the context, per layer and head."""
        insight = (message.insights or [])[index]
        if insight.inserted:
            self.app.set_status(
                "That is a tool result inserted by the prime engine: it was not sampled, so it has no "
                "attention of its own.",
                error=True,
            )
            return
        bundle = self.session.bundle
        if bundle is None:
            self.app.set_status(NO_MODEL_HELP, error=True)
            return
        config = bundle.config
        fits = insight.attention.shape[:2] == (config.layers, config.heads)
        if not fits or int(insight.context_ids.max(initial=0)) >= config.vocab_size:
            message = "That reply came from another model: reload it to see its attention."
            self.app.set_status(message, error=True)
            return
        pieces = context_pieces(bundle.tokenizer, insight.context_ids)
        self.app.open_dialog(AttentionWindow(insight, pieces, tool_marks(pieces)))

    def open_embedding_map(self) -> None:
        bundle = self.app.model
        if bundle is None:
            self.app.set_status(
                "No model loaded: the embedding map shows a model's tokens. " + NO_MODEL_HELP, error=True
            )
            return
        if self._map_cache is None or self._map_cache[0] is not bundle:
            self._map_cache = (bundle, embedding_map(bundle))
        self.app.open_dialog(EmbeddingMapWindow(self._map_cache[1], bundle.name))

    def _speed_text(self) -> str:
        if self.session.last_tokens_per_s is None:
            return ""
        return f"{self.session.last_tokens} tokens, {self.session.last_tokens_per_s:.1f} tokens/s"

    # --- models ------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.loader is not None or self.startup is not None

    def load_typed_path(self) -> None:
        text = self.model_path_field.text.strip()
        if not text:
            self.app.set_status("Type a model folder's path first (or use Browse...).", error=True)
            return
        try:  # a path, or a name the model list shows (the same rule as `--model`)
            path = search.resolve_model_reference(str(expand_path(text)), self.app.model_path)
        except ModelFileError as exc:
            kept = f" (kept '{self.app.model.name}')" if self.app.model is not None else ""
            self.app.set_status(f"{exc}{kept}", error=True)
            return
        self.load_path(path)

    def load_path(self, path: Path) -> None:
        """Load the model directory `path` in the background; the current model stays until it succeeds."""
        if self.loader is not None:
            self.app.set_status(f"Still loading {self.loader.path}; wait a moment.", error=True)
            return
        self.startup = None  # an explicit choice wins over the start-up search
        loader = self.loader = ModelLoad(Path(path).expanduser())
        self.app.run_in_background(
            partial(load_model, progress=loader.progress),
            loader.path,
            on_done=self._loaded,
            on_error=lambda exc: self._load_failed(loader, exc),
            lane=MODELS_LANE,
        )
        self.app.set_status(f"Loading {path} ...")

    def _complete_path(self, field: TextInput) -> bool:
        return complete_field(field)  # False: nothing to complete, Tab moves focus as usual

    def browse(self) -> None:
        typed = self.model_path_field.text.strip()
        if typed:
            start = expand_path(typed)
        elif self.app.model is not None and self.app.model.path is not None:
            start = self.app.model.path.parent
        else:
            start = search.search_folders(self.app.model_path)[0].path
        picker = FolderPicker(start, on_choose=self._folder_chosen)
        self.app.open_dialog(picker)

    def _folder_chosen(self, folder: Path) -> None:
        self.model_path_field.set_text(str(folder))
        self.load_path(folder)

    def refresh_model_list(self) -> None:
        if self.listing is None:
            self.listing = self.app.run_in_background(
                search.find_models,
                self.app.model_path,
                on_done=self._models_found,
                on_error=lambda _exc: self._models_found([]),  # an unreadable folder lists nothing
                lane=MODELS_LANE,
            )

    def _select_current_in_list(self) -> None:
        """Highlight the loaded model's row (if it is one of the models found)."""
        model = self.app.model
        paths = [info.path for info in self.found_models]
        current = model.path if model is not None else None
        self.model_list.selected = paths.index(current) if current in paths else None

    def _model_picked(self, index: int) -> None:
        if not 0 <= index < len(self.found_models):
            return
        info = self.found_models[index]
        if not info.valid:
            self.app.set_status(f"{info.name}: {info.error}", error=True)
            return
        self.model_path_field.set_text(str(info.path))
        self.load_path(info.path)

    def save_as(self) -> None:
        bundle = self.app.model
        if bundle is None:
            self.app.set_status("No model to save: load or train one first.", error=True)
            return
        field = TextInput(placeholder="new model name", max_length=search.MAX_NAME_LENGTH)
        base = bundle.name if bundle.path is not None else "model"
        field.set_text(f"{base}-copy")
        try:
            folder = search.default_save_folder()
        except ModelFileError as exc:
            self.app.set_status(str(exc), error=True)
            return

        def validate(_label: str | None, name: str | None) -> str | None:
            problem = search.model_name_problem(name or "")
            if problem:
                return problem
            if search.model_exists(name or "", folder):
                return f"a model called {name!r} already exists in {folder}"
            return None

        def answer(label: str | None, name: str | None) -> None:
            if label == "Save" and name:
                self._start_save(bundle, folder / name)

        self.app.open_dialog(
            Dialog(
                "Save model as",
                f"Save a copy of '{bundle.name}' under a new name in {folder}.",
                ("Save", "Cancel"),
                text_field=field,
                validate=validate,
                on_result=answer,
            )
        )

    def _start_save(self, bundle: Any, target: Path) -> None:
        self.saving = self.app.run_in_background(
            save_model, target, bundle, on_done=self._saved, on_error=self._save_failed, lane=MODELS_LANE
        )
        self.app.set_status(f"Saving a copy as {target} ...")

    # --- frame -------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        self._poll_generation()
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        self.stop_button.enabled = self.session.generating
        self.send_button.enabled = not self.session.generating
        self.regenerate_button.enabled = self.session.bundle is not None and not self.session.generating

    def _poll_generation(self) -> None:
        if self._reply_message is None:
            return
        self.session.poll()
        if self.session.generating:
            self._reply_message.text = self.session.pending_reply or ""
        else:
            self._finish_reply()
            if not self.session.last_error:
                self.app.set_status(f"Reply done: {self._speed_text()}")

    # --- model-file work finished (run_in_background callbacks, on the UI thread) ----------
    def _startup_done(self, startup: ModelLoad, result: Any) -> None:
        if startup is not self.startup:
            return  # an explicit load replaced the start-up search
        self.startup = None
        if self.app.model is not None:
            return
        if result.bundle is not None:
            self._startup_choice = True  # the search chose it, not the user: not remembered
            try:
                self.app.set_model(result.bundle, result.message)
            finally:
                self._startup_choice = False
        else:
            hint = "Train one in the Training tab, or load one by its folder path."
            self.app.set_status(f"{result.message}. {hint}")

    def _startup_failed(self, startup: ModelLoad, exc: BaseException) -> None:
        if startup is not self.startup:
            return
        self.startup = None
        if self.app.model is None:
            self.app.set_status(f"Start-up model search failed: {type(exc).__name__}: {exc}", error=True)

    def _loaded(self, bundle: Any) -> None:
        self.loader = None
        self.app.set_model(bundle, f"Loaded model '{bundle.name}' from {bundle.path.parent}")

    def _load_failed(self, loader: ModelLoad, exc: BaseException) -> None:
        self.loader = None
        kept = f" (kept '{self.app.model.name}')" if self.app.model is not None else ""
        self.app.set_status(load_error_message(loader.path, exc) + kept, error=True)

    def _models_found(self, found: list[Any]) -> None:
        self.listing = None
        self.found_models = found or []
        self.model_list.set_items(
            [_model_row(info) for info in self.found_models],
            dim=[i for i, info in enumerate(self.found_models) if not info.valid],
        )
        self._select_current_in_list()

    def _saved(self, saved: Path) -> None:
        self.saving = None
        path = Path(saved)
        copy = dataclasses.replace(self.app.model, path=path) if self.app.model is not None else None
        self.app.set_model(copy, f"Saved a copy as '{path.name}' in {path.parent}")

    def _save_failed(self, exc: BaseException) -> None:
        self.saving = None
        message = str(exc) if isinstance(exc, ModelFileError) else f"{type(exc).__name__}: {exc}"
        self.app.set_status(message, error=True)

    # --- layout and drawing ------------------------------------------------------------------
    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        super().layout(content_rect, panel_rect)
        c = content_rect.inflate(-20, -20)
        input_y = c.bottom - _INPUT_H
        toolbar = (
            (self.clear_button, 70),
            (self.regenerate_button, 100),
            (self.copy_button, 130),
            (self.copy_chat_button, 90),
            (self.save_chat_button, 90),
            (self.restore_button, 140),
            (self.lens_button, 90),
            (self.map_button, 130),
        )
        rows = _flow_rows([width for _, width in toolbar], c.width, gap=8)
        toolbar_y = input_y - 8 - len(rows) * (_ROW_H + 6) + 6
        index = 0
        for row, widths in enumerate(rows):  # narrow windows wrap the buttons onto more rows
            x = c.x
            for width in widths:
                button = toolbar[index][0]
                button.rect = pygame.Rect(x, toolbar_y + row * (_ROW_H + 6), width, _ROW_H)
                x += width + 8
                index += 1
        legend_h = _LEGEND_H if self.chat_view.lens else 0
        chat_h = max(40, toolbar_y - 8 - c.y - legend_h)
        self.chat_view.rect = pygame.Rect(c.x, c.y + legend_h, c.width, chat_h)
        self.chat_field.rect = pygame.Rect(c.x, input_y, c.width - 200, _INPUT_H)
        self.send_button.rect = pygame.Rect(c.right - 190, input_y, 90, _INPUT_H)
        self.stop_button.rect = pygame.Rect(c.right - 90, input_y, 90, _INPUT_H)

        p = panel_rect
        x, w = p.x + 10, p.width - 20
        y = p.y + 10 + 22 + _INFO_LINES * theme.line_height(theme.SMALL_FONT_SIZE) + 10
        self.load_progress.rect = pygame.Rect(x, y, w, 14)
        y += 40
        self.model_path_field.rect = pygame.Rect(x, y, w, _ROW_H)
        y += _ROW_H + 6
        third = (w - 10) // 3
        self.load_button.rect = pygame.Rect(x, y, third, _ROW_H)
        self.browse_button.rect = pygame.Rect(x + third + 5, y, third, _ROW_H)
        self.save_as_button.rect = pygame.Rect(x + 2 * (third + 5), y, w - 2 * (third + 5), _ROW_H)
        list_top = y + _ROW_H + 26
        sampling_h = 22 + 4 * 44 + 22 + _ROW_H + 10
        list_h = max(44, p.bottom - 10 - sampling_h - list_top)
        self.model_list.rect = pygame.Rect(x, list_top, w, list_h)
        y = self.model_list.rect.bottom + 22 + 26
        for slider in (self.temperature, self.top_k, self.top_p, self.max_tokens):
            slider.rect = pygame.Rect(x, y, w, 18)
            y += 44
        half = (w - 8) // 2  # the seed and the number guard share the last row
        self.seed_field.rect = pygame.Rect(x, y + 4, half, _ROW_H)
        self.guard_button.rect = pygame.Rect(x + half + 8, y + 4, w - half - 8, _ROW_H)

    def draw_content(self, surface: pygame.Surface) -> None:
        super().draw_content(surface)
        if self.chat_view.lens:
            draw_legend(surface, (self.chat_view.rect.right, self.chat_view.rect.y - _LEGEND_H))
        speed = self._speed_text() if self.chat_view.messages else ""
        if self.session.generating and self.session.job is not None:
            speed = f"generating... {self.session.job.tokens} tokens"
        if speed:
            rect = self.clear_button.rect
            right = self.chat_view.rect.right
            row = [b for b in self.content_widgets if isinstance(b, Button) and b.rect.y == rect.y]
            row_end = max(b.rect.right for b in row if b.visible)
            if right - theme.text_width(speed) < row_end + 10:
                return  # a narrow window: no room beside the buttons
            theme.draw_text(surface, speed, (right, rect.centery), theme.TEXT_DIM, anchor="midright")

    def draw_panel(self, surface: pygame.Surface) -> None:
        p = self.panel_rect
        x, y, w = p.x + 10, p.y + 10, p.width - 20
        theme.draw_text(surface, "MODEL", (x, y), theme.GREEN, bold=True)
        small = theme.SMALL_FONT_SIZE
        line_h = theme.line_height(small)
        y += 22
        for label, value, colour in self._info_lines():
            for line in _wrapped(value, w, small) if not label else (label + value,):
                theme.draw_text(surface, _fit(line, w, small), (x, y), colour, size=small)
                y += line_h
        if self.loading:
            load = self.loader or self.startup
            assert load is not None
            elapsed = load.elapsed
            what = load.path.name if load.path is not None else "newest model"
            # A model being loaded shows the share of its tensor bytes read; the start-up
            # search (several folders, unknown total) shows a moving bar.
            fraction = load.fraction if load.path is not None else elapsed % 1.0
            self.load_progress.set(fraction, f"loading {what}... {elapsed:.1f} s")
            self.load_progress.draw(surface)
        list_label_y = self.model_list.rect.y - 4
        theme.draw_text(
            surface,
            "Models found (click to load):",
            (x, list_label_y),
            theme.FIELD_LABEL,
            anchor="bottomleft",
        )
        theme.draw_text(surface, "SAMPLING", (x, self.model_list.rect.bottom + 10), theme.GREEN, bold=True)
        super().draw_panel(surface)

    def _info_lines(self) -> list[tuple[str, str, theme.Colour]]:
        bundle = self.app.model
        if bundle is None:
            state = "Looking for models..." if self.startup is not None else "Not loaded"
            return [("Status: ", state, theme.RED), ("", NO_MODEL_HELP, theme.TEXT_DIM)]
        c = bundle.config
        record = bundle.training
        tokenizer = bundle.tokenizer
        steps = record.steps
        if steps is None and bundle.optimizer is not None:
            steps = bundle.optimizer.step
        steps_text = f"{steps:,}" if steps is not None else "unknown"
        kept = record.kept_step
        if kept is not None and kept != steps:
            steps_text += f" (kept step {kept:,})"  # the step of the lowest validation loss
        val = record.val_loss
        return [
            ("Name: ", bundle.name, theme.TEXT_BRIGHT),
            ("Path: ", _path_text(bundle.path), theme.TEXT),
            ("Parameters: ", f"{bundle.n_params:,}", theme.TEXT),
            ("Layers / width / heads: ", f"{c.layers} / {c.dim} / {c.heads}", theme.TEXT),
            ("Tokenizer: ", f"{getattr(tokenizer, 'kind', '?')}, vocabulary {c.vocab_size:,}", theme.TEXT),
            ("Context: ", f"{c.context_length} tokens", theme.TEXT),
            ("Training steps: ", steps_text, theme.TEXT),
            ("Validation loss: ", f"{val:.4f}" if val is not None else "unknown", theme.TEXT),
        ]


def _path_text(path: Path | None) -> str:
    if path is None:
        return "(not saved)"
    return f"built-in (read-only), {path}" if search.is_builtin(path) else str(path)


def _switch_label(name: str, on: bool) -> str:
    """The label of a toolbar or panel switch ("Lens: on")."""
    return f"{name}: {'on' if on else 'off'}"


def _flow_rows(widths: list[int], available: int, gap: int) -> list[list[int]]:
    """Split widths into rows that fit `available` pixels (each row holds at least one)."""
    rows: list[list[int]] = [[]]
    used = 0
    for width in widths:
        if rows[-1] and used + gap + width > available:
            rows.append([])
            used = 0
        used += (gap if rows[-1] else 0) + width
        rows[-1].append(width)
    return rows


def _model_row(info: search.ModelInfo) -> str:
    if not info.valid:
        return f"{info.name}  (broken)"
    loss = f", val loss {info.val_loss:.3f}" if info.val_loss is not None else ""
    params = format_count(info.n_params) if info.n_params else "?"
    label = "built-in, " if info.builtin else ""
    return f"{info.name}  ({label}{params} params{loss})"


@lru_cache(maxsize=64)
def _wrapped(text: str, width: int, size: int) -> tuple[str, ...]:
    return tuple(wrap_text(text, theme.font(size), width))


@lru_cache(maxsize=256)
def _fit(text: str, width: int, size: int) -> str:
    """`text`, shortened in the middle with "…" so it fits `width` pixels."""
    if theme.text_width(text, size) <= width:
        return text
    head, tail = text[: len(text) // 2], text[len(text) // 2 :]
    while (head or tail) and theme.text_width(f"{head}…{tail}", size) > width:
        if len(head) >= len(tail):
            head = head[:-1]
        else:
            tail = tail[1:]
    return f"{head}…{tail}"
