"""Training tab: choose data and parameters, START TRAINING (Create New / Overwrite / Cancel),
watch the run live, STOP saves.

The parameters live in `training_form.TrainingForm` (fields <-> settings file <-> run
parameters, one table of keys), the chosen files in `corpus_selection.CorpusSelection`; the tab
arranges them, runs the three-dialog start flow and talks to `training.run_controller.TrainingRun`,
which does the work on its own thread (and the worker pool); every frame `update` drains the run's
message queue, so the window keeps its frame rate whatever training does. A finished run's
model becomes the app's current model (the LLM tab chats with it at once).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pygame

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.storage import ModelFileError
from hyper_prime_spiral.storage.search import (
    default_save_folder,
    model_exists,
    model_name_problem,
    writable_target,
)
from hyper_prime_spiral.training.corpus_files import CorpusFile
from hyper_prime_spiral.training.presets import PRESETS, Recipe
from hyper_prime_spiral.training.run_controller import (
    ContinueModel,
    NewModel,
    RunFailed,
    RunSaved,
    RunStarted,
    TrainingRun,
)
from hyper_prime_spiral.training.trainer import ProgressEvent
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.tabs.base import Tab
from hyper_prime_spiral.ui.tabs.corpus_selection import CorpusSelection
from hyper_prime_spiral.ui.tabs.training_form import TrainingForm
from hyper_prime_spiral.ui.tabs.training_progress import ProgressView
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.text_input import TextInput

SETTINGS_SECTION = "training"
STATUS_INTERVAL_S = 0.25  # the status line follows the run at most this often
SHUTDOWN_WAIT_S = 300.0  # closing the app waits this long for STOP + save
_MIN_LIST_HEIGHT = 66  # three rows of the file list
CREATE, OVERWRITE, CANCEL = "Create New Model", "Overwrite Existing", "Cancel"

_ROW = 48  # a labelled field: label above a 28-px box
_SMALL_BUTTON_H = 24


class TrainingTab(Tab):
    """`form` (parameters and new-model choices: `form.fields[key]`), `data` (the corpus files,
    `data.file_list`, `data.path_field`), `start_button` (START TRAINING / STOP), `progress_view`;
    `run` is the TrainingRun while one exists."""

    name = "Training"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.form = TrainingForm(on_change=self._choice_changed)
        self.data = CorpusSelection(app, tokenizer_kind=lambda: self.form.tokenizer_kind)
        self.fields = [*self.form.numeric_fields, self.data.path_field]
        self._shortfall = 0
        self.start_button = Button(label="START TRAINING", on_click=self.start_or_stop, kind="primary")
        self.progress_view = ProgressView()
        self.data_controls = [*self.data.buttons, *self.form.choice_buttons]
        self.panel_widgets = [
            *self.fields,
            *self.form.choice_buttons,
            self.data.rescan_button,
            self.data.all_button,
            self.data.none_button,
            self.data.file_list,
            self.data.add_button,
            self.data.browse_button,
            self.start_button,
        ]
        self.run: TrainingRun | None = None
        self._last_status = 0.0
        self._headers: dict[str, int] = {}
        self._settings_problem = self._load_settings()

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.data.rescan()
        if self._settings_problem:
            self.app.set_status(self._settings_problem, error=True)

    def shutdown(self) -> None:
        """Closing the app: a running job stops after its step and saves before we return."""
        run = self.run
        if run is not None and run.running:
            run.stop()
            self.app.set_status("Stopping training and saving the model before closing...")
            _show_one_frame(self.app)
            run.join(SHUTDOWN_WAIT_S)
        self.save_settings()

    quit_buttons = ("Stop, save and quit", "Keep training")

    def quit_warning(self) -> str | None:
        if self.run is not None and self.run.running:
            return "Training is running. Quitting stops it after the current step and saves the model first."
        return None

    @property
    def training(self) -> bool:
        """A run exists whose final message (saved / failed) has not been shown yet."""
        return self.run is not None

    # --- settings ----------------------------------------------------------------------------
    def _load_settings(self) -> str | None:
        data, problem = app_settings.load_settings()
        section = data.get(SETTINGS_SECTION, {})
        if not isinstance(section, dict):
            return problem or f"Saved training settings are not an object ({section!r:.40}); using defaults."
        problem = self.form.load(section) or problem
        self.data.load(section)
        return problem

    def settings_values(self) -> dict[str, Any]:
        return {**self.form.values(), **self.data.values()}

    def save_settings(self) -> None:
        self.form.commit()
        problem = app_settings.update_section(SETTINGS_SECTION, self.settings_values())
        if problem:
            self.app.set_status(problem, error=True)

    def _choice_changed(self, what: str) -> None:
        if what == "size":
            name = self.form.preset_name
            self.app.set_status(f"New models: {name} ({PRESETS[name].describe()}).")
        else:
            self.data.selection_changed()  # tokens are counted as the chosen tokenizer splits them

    # --- starting --------------------------------------------------------------------------------
    def _loaded_model(self):
        return self.app.model

    def start_or_stop(self) -> None:
        """The START TRAINING / STOP button."""
        if self.training:
            self.stop()
            return
        params = self.form.parameters()
        if isinstance(params, str):
            self.app.set_status(params, error=True)
            return
        files = self.data.selected_files()
        if not files:
            self.app.set_status("Tick at least one training file (or add one by its path).", error=True)
            return
        self.save_settings()
        length = self.form.length_text(params)
        lr = self.form.fields["lr"].text
        self.app.set_status(
            f"Ready to train: lr {lr}, {length}, batch {params.batch}, "
            f"workers {params.workers_to_use()[0]}. Choose Create New or Overwrite."
        )
        model = self._loaded_model()
        can_overwrite = model is not None and model.path is not None
        other = (
            f"or continue training and overwrite the loaded model '{model.name}'?"
            if can_overwrite
            else "(Overwrite Existing needs a loaded model: none is loaded.)"
        )
        preset = PRESETS[self.form.preset_name]
        dialog = Dialog(
            "Start training",
            f"Train on {self.data.selection_text}; {length}, batch {params.batch}, lr {lr}. "
            f"Create a new {preset.name} model ({preset.describe()}, {self.form.tokenizer_kind} tokenizer), "
            f"{other}",
            (CREATE, OVERWRITE, CANCEL),
            default=0,
            cancel=2,
            on_result=lambda label, _text: self._start_choice(label, params, files),
        )
        dialog.buttons[1].enabled = can_overwrite
        self.app.open_dialog(dialog)

    def _start_choice(self, label: str | None, params: Recipe, files: list[CorpusFile]) -> None:
        if label == CREATE:
            self._ask_name(params, files)
        elif label == OVERWRITE:
            self._confirm_overwrite(params, files)
        else:
            self.app.set_status("Training cancelled; nothing changed.")

    def suggested_name(self, folder: Path) -> str:
        base = f"{self.form.preset_name}-{self.form.tokenizer_kind}"
        name, n = base, 1
        while model_exists(name, folder):
            n += 1
            name = f"{base}-{n}"
        return name

    def _ask_name(self, params: Recipe, files: list[CorpusFile]) -> None:
        try:
            folder = default_save_folder()
        except ModelFileError as exc:
            self.app.set_status(str(exc), error=True)
            return
        preset = PRESETS[self.form.preset_name]
        field = TextInput(text=self.suggested_name(folder), max_length=64, placeholder="model name")

        def validate(_label: str | None, text: str | None) -> str | None:
            name = text or ""
            problem = model_name_problem(name)
            if problem:
                return f"Invalid name: {problem}."
            if model_exists(name, folder):
                return f"'{name}' already exists; choose another name."
            return None

        def answer(label: str | None, text: str | None) -> None:
            if label == "Create" and text:
                target = NewModel(folder / text, preset, self.form.tokenizer_kind)
                self._launch(
                    target, params, files, f"New model '{text}' · {preset.name} · {self.form.tokenizer_kind}"
                )
            else:
                self.app.set_status("Training cancelled; nothing changed.")

        self.app.open_dialog(
            Dialog(
                "Create new model",
                f"Name of the new {preset.name} model ({preset.describe()}, {self.form.tokenizer_kind} "
                f"tokenizer). It is saved in {folder}.",
                ("Create", "Cancel"),
                default=0,
                cancel=1,
                text_field=field,
                validate=validate,
                on_result=answer,
            )
        )

    def _confirm_overwrite(self, params: Recipe, files: list[CorpusFile]) -> None:
        model = self._loaded_model()
        if model is None or model.path is None:
            self.app.set_status("No model is loaded to overwrite.", error=True)
            return
        c = model.config
        try:
            save_to = writable_target(model.path)  # the built-in model is read-only: a copy
        except ModelFileError as exc:
            self.app.set_status(str(exc), error=True)
            return
        copy = save_to != Path(model.path)

        def answer(label: str | None, _text: str | None) -> None:
            if label == "Overwrite":
                headline = (
                    f"Continuing '{model.name}' · {c.layers} layers · width {c.dim} · {model.tokenizer.kind}"
                )
                target = ContinueModel(model, save_to=save_to if copy else None)
                self._launch(target, params, files, headline)
            else:
                self.app.set_status("Overwrite declined; nothing changed.")

        where = (
            f"save the result as a new model {save_to} (the built-in model is read-only and stays as it is)"
            if copy
            else f"save over {model.path}? The current version stays on disk until the new one is complete"
        )
        dialog = Dialog(
            "Overwrite model?",
            f"Continue training '{model.name}' ({c.layers} layers, width {c.dim}, context "
            f"{c.context_length}, {model.tokenizer.kind} tokenizer) and {where}.",
            ("Overwrite", "Cancel"),
            default=1,
            cancel=1,
            on_result=answer,
        )
        dialog.buttons[0].kind = "danger"
        self.app.open_dialog(dialog)

    def _launch(self, target, params: Recipe, files: list[CorpusFile], headline: str) -> None:
        self.run = TrainingRun([f.path for f in files], params, target)
        workers = params.workers_to_use()[0]
        self.progress_view.reset(
            f"{headline} · {len(files)} file{'s' if len(files) != 1 else ''} · "
            f"{workers} worker{'s' if workers != 1 else ''}"
        )
        self.run.start()
        self._set_running(True)
        self.app.set_status("Training: preparing the data and the model...")

    def stop(self) -> None:
        if self.run is None or self.run.stop_requested:
            return
        self.run.stop()
        self.start_button.label = "STOPPING..."
        self.start_button.enabled = False
        self.app.set_status("Stopping after the current step; the model will be saved.")

    def _set_running(self, running: bool) -> None:
        for field in self.fields:
            field.enabled = not running
        for button in self.data_controls:
            button.enabled = not running
        self.start_button.enabled = True
        self.start_button.label = "STOP" if running else "START TRAINING"
        self.start_button.kind = "danger" if running else "primary"

    def handle_event(self, event: pygame.event.Event) -> bool:
        """While training, the file list is read-only (the run already has its files)."""
        if (
            self.training
            and event.type == pygame.MOUSEBUTTONDOWN
            and event.button == 1
            and self.data.file_list.rect.collidepoint(event.pos)
        ):
            self.app.set_status("The data cannot change while training runs; STOP first.")
            return True
        return super().handle_event(event)

    # --- progress ---------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        run = self.run
        if run is None:
            return
        progressed = False
        for message in run.poll():
            if isinstance(message, ProgressEvent):
                self.progress_view.add(message)
                progressed = True
            elif isinstance(message, RunStarted):
                self.progress_view.started(message.total_steps)
                if message.note:
                    self.app.set_status(f"Note: {message.note}.")
            elif isinstance(message, RunSaved):
                self._finished(message)
            elif isinstance(message, RunFailed):
                self._failed(message)
        now = time.monotonic()
        if progressed and self.run is not None and now - self._last_status >= STATUS_INTERVAL_S:
            self._last_status = now
            self.app.set_status(self.progress_view.status_line())

    def _finished(self, outcome: RunSaved) -> None:
        self.run = None
        self._set_running(False)
        self.progress_view.finish(outcome.message)
        if outcome.bundle is not None:
            self.app.set_model(outcome.bundle, outcome.message)
        self.app.set_status(outcome.message)

    def _failed(self, outcome: RunFailed) -> None:
        self.run = None
        self._set_running(False)
        self.progress_view.finish(outcome.message, error=True)
        if outcome.path is not None and outcome.bundle is not None:
            self.app.set_model(outcome.bundle, outcome.message)  # what a crashed run kept is now on disk
        self.app.set_status(outcome.message, error=True)

    # --- layout and drawing -------------------------------------------------------------------------
    def layout(self, content_rect: pygame.Rect, panel_rect: pygame.Rect) -> None:
        super().layout(content_rect, panel_rect)
        self.progress_view.layout(content_rect)
        x, w = panel_rect.x + 10, panel_rect.width - 20
        half = (w - 10) // 2
        y = panel_rect.y + 58
        self._headers = {"PARAMETERS": y}
        y += 38
        for i, field in enumerate(self.form.numeric_fields):
            row, column = divmod(i, 2)
            field.rect = pygame.Rect(x + column * (half + 10), y + row * _ROW, half, 28)
        y += ((len(self.form.numeric_fields) + 1) // 2 - 1) * _ROW + 28 + 8
        self._headers["size"] = y
        y = _button_row(list(self.form.size_buttons.values()), x + 70, y, w - 70)
        self._headers["size_info"] = y + 2
        y += 20
        self._headers["tokenizer"] = y
        y = _button_row(list(self.form.tokenizer_buttons.values()), x + 70, y, w - 70) + 10
        self._headers["TRAINING DATA"] = y
        data = self.data
        y = _button_row([data.rescan_button, data.all_button, data.none_button], x, y + 20, w) + 6
        bottom = panel_rect.bottom - 10
        self.start_button.rect = pygame.Rect(x, bottom - 36, w, 36)
        self._headers["selection"] = self.start_button.rect.y - 22
        data.path_field.rect = pygame.Rect(x, self._headers["selection"] - 34, w - 142, 28)
        data.browse_button.rect = pygame.Rect(x + w - 134, data.path_field.rect.y, 76, 28)
        data.add_button.rect = pygame.Rect(x + w - 52, data.path_field.rect.y, 52, 28)
        list_bottom = data.path_field.rect.y - 24
        self._shortfall = max(0, _MIN_LIST_HEIGHT - (list_bottom - y))
        data.file_list.rect = pygame.Rect(x, y, w, max(_MIN_LIST_HEIGHT, list_bottom - y))

    def panel_shortfall(self) -> int:
        return self._shortfall  # a short window: the file list would overlap the path field

    def draw_content(self, surface: pygame.Surface) -> None:
        self.progress_view.draw(surface, self.training)

    def draw_panel(self, surface: pygame.Surface) -> None:
        x, y = self.panel_rect.x + 10, self.panel_rect.y + 10
        theme.draw_text(surface, "TRAINING", (x, y), theme.GREEN, bold=True)
        if self.training:
            state, colour = ("Stopping..." if self.run.stop_requested else "Training..."), theme.ORANGE
        else:
            state, colour = "Ready", theme.GREEN
        theme.draw_text(
            surface, f"Status: {state}", (self.panel_rect.right - 10, y), colour, anchor="topright"
        )
        model = self._loaded_model()
        model_text = f"Model: {model.name}" if model is not None else "Model: none loaded"
        theme.draw_text(surface, model_text, (x, y + 22), theme.TEXT if model is not None else theme.TEXT_DIM)
        h = self._headers
        theme.draw_text(surface, "PARAMETERS", (x, h["PARAMETERS"]), theme.GREEN, bold=True)
        theme.draw_text(surface, "Size:", (x, h["size"] + 4), theme.FIELD_LABEL)
        info = f"{PRESETS[self.form.preset_name].describe()} (new models)"
        theme.draw_text(surface, info, (x, h["size_info"]), theme.TEXT_DIM, size=theme.SMALL_FONT_SIZE)
        theme.draw_text(surface, "Tokenizer:", (x, h["tokenizer"] + 4), theme.FIELD_LABEL)
        theme.draw_text(surface, "TRAINING DATA", (x, h["TRAINING DATA"]), theme.GREEN, bold=True)
        theme.draw_text(
            surface, self.data.selection_text, (x, h["selection"]), theme.CYAN, size=theme.SMALL_FONT_SIZE
        )
        super().draw_panel(surface)


def _button_row(buttons: list[Button], x: int, y: int, width: int) -> int:
    """Place `buttons` side by side across `width`; returns the y below them."""
    gap = 6
    each = (width - gap * (len(buttons) - 1)) // len(buttons)
    for i, button in enumerate(buttons):
        button.rect = pygame.Rect(x + i * (each + gap), y, each, _SMALL_BUTTON_H)
    return y + _SMALL_BUTTON_H


def _show_one_frame(app) -> None:
    """Draw the window once more (the frame loop has ended) so the closing message is seen."""
    try:
        surface = pygame.display.get_surface()
        if surface is not None:
            app.draw(surface)
            pygame.display.flip()
    except pygame.error:
        pass
