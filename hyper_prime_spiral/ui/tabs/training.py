"""Training tab: choose data and parameters, START TRAINING (Create New / Overwrite / Cancel),
watch the run live, STOP saves.

The tab only arranges widgets and talks to `training.run_controller.TrainingRun`, which does
the work on its own thread (and the worker pool); every frame `update` drains the run's
message queue, so the window keeps its frame rate whatever training does. A finished run's
model becomes the app's current model (the LLM tab chats with it at once).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pygame

from hyper_prime_spiral import settings as app_settings
from hyper_prime_spiral.formatting import format_count, format_size
from hyper_prime_spiral.model.tokenizer import TOKENIZER_KINDS
from hyper_prime_spiral.storage import ModelFileError
from hyper_prime_spiral.storage.search import (
    default_save_folder,
    model_exists,
    model_name_problem,
    writable_target,
)
from hyper_prime_spiral.training.corpus import CorpusError
from hyper_prime_spiral.training.corpus_files import (
    CorpusFile,
    TokenCounter,
    corpus_folders,
    discover_corpus_files,
    resolve_user_path,
)
from hyper_prime_spiral.training.presets import CHAT_RECIPE as RECIPE
from hyper_prime_spiral.training.presets import PRESETS
from hyper_prime_spiral.training.run_controller import (
    ContinueModel,
    NewModel,
    RunFailed,
    RunSaved,
    RunStarted,
    TrainingParameters,
    TrainingRun,
)
from hyper_prime_spiral.training.trainer import ProgressEvent
from hyper_prime_spiral.ui import theme
from hyper_prime_spiral.ui.folder_paths import complete_field, expand_path
from hyper_prime_spiral.ui.tabs.base import Tab
from hyper_prime_spiral.ui.tabs.training_progress import ProgressView
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.check_list import CheckList
from hyper_prime_spiral.ui.widgets.dialog import Dialog
from hyper_prime_spiral.ui.widgets.folder_picker import FolderPicker
from hyper_prime_spiral.ui.widgets.text_input import TextInput

SETTINGS_SECTION = "training"
STATUS_INTERVAL_S = 0.25  # the status line follows the run at most this often
SHUTDOWN_WAIT_S = 300.0  # closing the app waits this long for STOP + save
_MIN_LIST_HEIGHT = 66  # three rows of the file list
CREATE, OVERWRITE, CANCEL = "Create New Model", "Overwrite Existing", "Cancel"

_ROW = 48  # a labelled field: label above a 28-px box
_SMALL_BUTTON_H = 24


class TrainingTab(Tab):
    """Fields: `lr_field`, `epochs_field`, `batch_field`, `workers_field` (0 = all cores),
    `steps_field` (0 = train by epochs), `context_field`, `path_field`; `file_list`,
    `start_button` (START TRAINING / STOP); `run` is the TrainingRun while one exists."""

    name = "Training"

    def __init__(self, app) -> None:
        super().__init__(app)
        self.lr_field = TextInput(
            label="Learning rate:",
            text=f"{RECIPE.lr:g}",
            numeric="float",
            minimum=1e-6,
            maximum=1.0,
            max_length=24,
        )
        self.epochs_field = TextInput(
            label="Epochs:", text="10", numeric="float", minimum=0.01, maximum=10000, max_length=24
        )
        self.batch_field = TextInput(
            label="Batch size:", text=str(RECIPE.batch), numeric="int", minimum=1, maximum=1024, max_length=24
        )
        self.workers_field = TextInput(
            label="Workers (0 = all):", text="0", numeric="int", minimum=0, maximum=64, max_length=24
        )
        self.steps_field = TextInput(
            label="Steps (0 = epochs):", text="0", numeric="int", minimum=0, maximum=10_000_000, max_length=24
        )
        self.context_field = TextInput(
            label="Context length:",
            text=str(RECIPE.context),
            numeric="int",
            minimum=8,
            maximum=1024,
            max_length=24,
        )
        self.minutes_field = TextInput(
            label="Minutes (0 = steps/epochs):",
            text=f"{RECIPE.minutes:g}",
            numeric="float",
            minimum=0,
            maximum=100_000,
            max_length=24,
        )
        self.path_field = TextInput(
            label="Add a file or folder (Tab completes):",
            placeholder="path/to/file.txt or folder",
            max_length=1000,
            on_submit=lambda _field: self.add_path(),
            on_tab=lambda field: complete_field(field, files=True),
        )
        self.numeric_fields = [
            self.lr_field,
            self.epochs_field,
            self.batch_field,
            self.workers_field,
            self.steps_field,
            self.context_field,
            self.minutes_field,
        ]
        self.fields = [*self.numeric_fields, self.path_field]
        self.preset_name = RECIPE.preset
        self.tokenizer_kind = RECIPE.tokenizer
        self.size_buttons = {
            name: Button(label=name, on_click=lambda n=name: self.choose_size(n)) for name in PRESETS
        }
        self.tokenizer_buttons = {
            kind: Button(label=kind, on_click=lambda k=kind: self.choose_tokenizer(k))
            for kind in TOKENIZER_KINDS
        }
        self.rescan_button = Button(label="Rescan", on_click=lambda: self.rescan(announce=True))
        self.all_button = Button(label="Select all", on_click=lambda: self.file_list.set_all(True))
        self.none_button = Button(label="None", on_click=lambda: self.file_list.set_all(False))
        self.add_button = Button(label="Add", on_click=self.add_path)
        self.browse_button = Button(label="Browse...", on_click=self.browse)
        self._shortfall = 0
        self.file_list = CheckList(
            empty_text="No .txt files in the folders listed (see the status line after Rescan)",
            on_change=lambda _list: self.selection_changed(),
        )
        self.start_button = Button(label="START TRAINING", on_click=self.start_or_stop, kind="primary")
        self.progress_view = ProgressView()
        self.progress = self.progress_view.bar
        self.loss_plot = self.progress_view.plot
        self.data_controls = [
            self.rescan_button,
            self.all_button,
            self.none_button,
            self.add_button,
            self.browse_button,
            *self.size_buttons.values(),
            *self.tokenizer_buttons.values(),
        ]
        self.panel_widgets = [
            *self.fields,
            *self.size_buttons.values(),
            *self.tokenizer_buttons.values(),
            self.rescan_button,
            self.all_button,
            self.none_button,
            self.file_list,
            self.add_button,
            self.browse_button,
            self.start_button,
        ]
        self.corpus: list[CorpusFile] = []
        self.added: list[CorpusFile] = []
        self.counter = TokenCounter()
        self.selection_text = ""
        self.run: TrainingRun | None = None
        self._count_generation = 0
        self._last_status = 0.0
        self._saved_selection: list[str] | None = None
        self._headers: dict[str, int] = {}
        self._settings_problem = self._load_settings()
        self._refresh_choice_buttons()

    # --- lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        self.rescan()
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
            return (
                "Training is running. Quitting stops it after the current step and saves the "
                "model first."
            )
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
        names = {
            "lr": self.lr_field,
            "epochs": self.epochs_field,
            "batch_size": self.batch_field,
            "workers": self.workers_field,
            "steps": self.steps_field,
            "context_length": self.context_field,
            "minutes": self.minutes_field,
        }
        for key, field in names.items():
            if key in section:
                default = field.text
                try:
                    field.set_text(str(section[key]))
                except ValueError:
                    field.set_text(default)
                    problem = (
                        problem
                        or f"Saved training setting {key}={section[key]!r} is invalid; using the default."
                    )
        for key, choices, attribute in (
            ("preset", PRESETS, "preset_name"),
            ("tokenizer", TOKENIZER_KINDS, "tokenizer_kind"),
        ):
            value = section.get(key)
            if isinstance(value, str) and value in choices:  # a list or object is not a choice
                setattr(self, attribute, value)
            elif value is not None:
                problem = problem or f"Saved training setting {key}={value!r:.40} is invalid; using defaults."
        if isinstance(section.get("selected"), list):
            self._saved_selection = [str(p) for p in section["selected"]]
        for text in section.get("added", []) if isinstance(section.get("added"), list) else []:
            try:
                self._remember_added(resolve_user_path(str(text)))
            except CorpusError:
                pass  # a file added last time is gone: drop it quietly
        return problem

    def settings_values(self) -> dict[str, Any]:
        return {
            "lr": self.lr_field.text,
            "epochs": self.epochs_field.text,
            "batch_size": self.batch_field.text,
            "workers": self.workers_field.text,
            "steps": self.steps_field.text,
            "context_length": self.context_field.text,
            "minutes": self.minutes_field.text,
            "preset": self.preset_name,
            "tokenizer": self.tokenizer_kind,
            "selected": [str(f.path) for f in self.selected_files()],
            "added": [str(f.path) for f in self.added],
        }

    def save_settings(self) -> None:
        for field in self.numeric_fields:
            field.commit()
        problem = app_settings.update_section(SETTINGS_SECTION, self.settings_values())
        if problem:
            self.app.set_status(problem, error=True)

    # --- choices -------------------------------------------------------------------------------
    def choose_size(self, name: str) -> None:
        self.preset_name = name
        self._refresh_choice_buttons()
        self.app.set_status(f"New models: {name} ({PRESETS[name].describe()}).")

    def choose_tokenizer(self, kind: str) -> None:
        self.tokenizer_kind = kind
        self._refresh_choice_buttons()
        self.selection_changed()

    def _refresh_choice_buttons(self) -> None:
        for name, button in self.size_buttons.items():
            button.kind = "primary" if name == self.preset_name else "normal"
        for kind, button in self.tokenizer_buttons.items():
            button.kind = "primary" if kind == self.tokenizer_kind else "normal"

    # --- training data -------------------------------------------------------------------------
    def _remember_added(self, items: list[CorpusFile]) -> list[CorpusFile]:
        known = {_key(f.path) for f in self.added}
        fresh = [f for f in items if _key(f.path) not in known]
        self.added.extend(fresh)
        return fresh

    def folders_text(self) -> str:
        """Which folders the list shows, for the status line (users' own files go in the last)."""
        return "; ".join(f"{folder} ({origin})" for folder, origin in corpus_folders())

    def rescan(self, announce: bool = False) -> None:
        """List the corpus folders again (and the added files), keeping ticks by path; `announce`
        says on the status line which folders were listed."""
        if self.corpus:
            checked = {_key(f.path) for f in self.selected_files()}
        elif self._saved_selection is not None:
            checked = {_key(Path(p)) for p in self._saved_selection}
        else:
            checked = None  # first start ever: tick everything found
        found = discover_corpus_files()
        seen = {_key(f.path) for f in found}
        found += [f for f in self.added if _key(f.path) not in seen and f.path.is_file()]
        self.corpus = found
        names = [f.name for f in found]
        labels = []
        for item in found:
            label = f"{item.name} · {format_size(item.size)}"
            if names.count(item.name) > 1 or item.origin == "added":
                label += f" · {item.origin}"
            labels.append(label)
        ticks = [i for i, f in enumerate(found) if checked is None or _key(f.path) in checked]
        self.file_list.set_items(labels, ticks)
        self.selection_changed()
        if announce:
            self.app.set_status(f"Listed {len(found)} .txt files from {self.folders_text()}.")

    def selected_files(self) -> list[CorpusFile]:
        return [self.corpus[i] for i in sorted(self.file_list.checked) if i < len(self.corpus)]

    def browse(self) -> None:
        """The in-app folder picker; the chosen folder's .txt files are added, ticked."""
        typed = self.path_field.text.strip()
        start = expand_path(typed) if typed else Path.cwd() / "data" / "training"
        picker = FolderPicker(start, on_choose=self._folder_chosen, title="Choose a folder of .txt files")
        self.app.open_dialog(picker)

    def _folder_chosen(self, folder: Path) -> None:
        self.path_field.set_text(str(folder))
        self.add_path()

    def add_path(self) -> None:
        """Add the typed file (or a folder's .txt files) to the list, ticked."""
        try:
            items = resolve_user_path(self.path_field.text)
        except CorpusError as exc:
            self.app.set_status(f"Cannot add: {exc}", error=True)
            return
        self._remember_added(items)
        ticked = {_key(f.path) for f in self.selected_files()} | {_key(f.path) for f in items}
        self._saved_selection = None
        self.rescan()
        ticks = [i for i, f in enumerate(self.corpus) if _key(f.path) in ticked]
        self.file_list.set_items(self.file_list.items, ticks)
        self.selection_changed()
        self.path_field.clear()
        self.app.set_status(
            f"Added {len(items)} file{'s' if len(items) != 1 else ''} from {items[0].path.parent}."
        )

    def selection_changed(self) -> None:
        """Update the size line at once and count tokens in the background."""
        self._count_generation += 1
        files = self.selected_files()
        if not files:
            self.selection_text = f"No files selected (of {len(self.corpus)})"
            return
        head = f"{len(files)} of {len(self.corpus)} files · {format_size(sum(f.size for f in files))}"
        self.selection_text = f"{head} · counting tokens..."
        generation, kind = self._count_generation, self.tokenizer_kind

        def done(count: int) -> None:
            if generation == self._count_generation:
                about = "about " if kind == "bpe" else ""  # learnt from the selection at the start
                self.selection_text = f"{head} · {about}{format_count(count)} {kind} tokens"

        def failed(exc: BaseException) -> None:
            if generation == self._count_generation:
                self.selection_text = f"{head} · tokens: {exc}"

        self.app.run_in_background(
            self.counter.count, [f.path for f in files], kind, on_done=done, on_error=failed
        )

    # --- starting --------------------------------------------------------------------------------
    def _loaded_model(self):
        return getattr(self.app, "model", None)

    def parameters(self) -> TrainingParameters | None:
        """The fields as TrainingParameters, or None after reporting a refused value."""
        for field in self.numeric_fields:
            error = field.commit()
            if error:
                self.app.set_status(error, error=True)
                return None
        minutes = float(self.minutes_field.value)
        steps = 0 if minutes else int(self.steps_field.value)
        return TrainingParameters(
            lr=float(self.lr_field.value),
            epochs=None if steps or minutes else float(self.epochs_field.value),
            steps=steps or None,
            minutes=minutes or None,
            batch_size=int(self.batch_field.value),
            workers=int(self.workers_field.value),
            context_length=int(self.context_field.value),
        )

    def length_text(self, params: TrainingParameters) -> str:
        """'10 minutes', '500 steps' or '3 epochs': how long the run will train."""
        if params.minutes:
            return f"{params.minutes:g} minute{'s' if params.minutes != 1 else ''}"
        if params.steps:
            return f"{params.steps} steps"
        return f"{self.epochs_field.text} epochs"

    def start_or_stop(self) -> None:
        """The START TRAINING / STOP button."""
        if self.training:
            self.stop()
            return
        params = self.parameters()
        if params is None:
            return
        files = self.selected_files()
        if not files:
            self.app.set_status("Tick at least one training file (or add one by its path).", error=True)
            return
        self.save_settings()
        length = self.length_text(params)
        self.app.set_status(
            f"Ready to train: lr {self.lr_field.text}, {length}, batch {params.batch_size}, "
            f"workers {params.resolved_workers()}. Choose Create New or Overwrite."
        )
        model = self._loaded_model()
        can_overwrite = model is not None and model.path is not None
        other = (
            f"or continue training and overwrite the loaded model '{model.name}'?"
            if can_overwrite
            else "(Overwrite Existing needs a loaded model: none is loaded.)"
        )
        preset = PRESETS[self.preset_name]
        dialog = Dialog(
            "Start training",
            f"Train on {self.selection_text}; {length}, batch {params.batch_size}, lr {self.lr_field.text}. "
            f"Create a new {preset.name} model ({preset.describe()}, {self.tokenizer_kind} tokenizer), "
            f"{other}",
            (CREATE, OVERWRITE, CANCEL),
            default=0,
            cancel=2,
            on_result=lambda label, _text: self._start_choice(label, params, files),
        )
        dialog.buttons[1].enabled = can_overwrite
        self.app.open_dialog(dialog)

    def _start_choice(self, label: str | None, params: TrainingParameters, files: list[CorpusFile]) -> None:
        if label == CREATE:
            self._ask_name(params, files)
        elif label == OVERWRITE:
            self._confirm_overwrite(params, files)
        else:
            self.app.set_status("Training cancelled; nothing changed.")

    def suggested_name(self, folder: Path) -> str:
        base = f"{self.preset_name}-{self.tokenizer_kind}"
        name, n = base, 1
        while model_exists(name, folder):
            n += 1
            name = f"{base}-{n}"
        return name

    def _ask_name(self, params: TrainingParameters, files: list[CorpusFile]) -> None:
        try:
            folder = default_save_folder()
        except ModelFileError as exc:
            self.app.set_status(str(exc), error=True)
            return
        preset = PRESETS[self.preset_name]
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
                target = NewModel(folder / text, preset, self.tokenizer_kind)
                self._launch(
                    target, params, files, f"New model '{text}' · {preset.name} · {self.tokenizer_kind}"
                )
            else:
                self.app.set_status("Training cancelled; nothing changed.")

        self.app.open_dialog(
            Dialog(
                "Create new model",
                f"Name of the new {preset.name} model ({preset.describe()}, {self.tokenizer_kind} "
                f"tokenizer). It is saved in {folder}.",
                ("Create", "Cancel"),
                default=0,
                cancel=1,
                text_field=field,
                validate=validate,
                on_result=answer,
            )
        )

    def _confirm_overwrite(self, params: TrainingParameters, files: list[CorpusFile]) -> None:
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

    def _launch(self, target, params: TrainingParameters, files: list[CorpusFile], headline: str) -> None:
        self.run = TrainingRun([f.path for f in files], params, target)
        workers = params.resolved_workers()
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
            and self.file_list.rect.collidepoint(event.pos)
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
        set_model = getattr(self.app, "set_model", None)
        if outcome.bundle is not None and callable(set_model):
            set_model(outcome.bundle, outcome.message)
        elif outcome.bundle is not None:
            self.app.model = outcome.bundle
        self.app.set_status(outcome.message)

    def _failed(self, outcome: RunFailed) -> None:
        self.run = None
        self._set_running(False)
        self.progress_view.finish(outcome.message, error=True)
        set_model = getattr(self.app, "set_model", None)
        if outcome.path is not None and outcome.bundle is not None and callable(set_model):
            set_model(outcome.bundle, outcome.message)  # what a crashed run kept is now on disk
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
        for i, field in enumerate(self.numeric_fields):
            row, column = divmod(i, 2)
            field.rect = pygame.Rect(x + column * (half + 10), y + row * _ROW, half, 28)
        y += ((len(self.numeric_fields) + 1) // 2 - 1) * _ROW + 28 + 8
        self._headers["size"] = y
        y = _button_row(list(self.size_buttons.values()), x + 70, y, w - 70)
        self._headers["size_info"] = y + 2
        y += 20
        self._headers["tokenizer"] = y
        y = _button_row(list(self.tokenizer_buttons.values()), x + 70, y, w - 70) + 10
        self._headers["TRAINING DATA"] = y
        y = _button_row([self.rescan_button, self.all_button, self.none_button], x, y + 20, w) + 6
        bottom = panel_rect.bottom - 10
        self.start_button.rect = pygame.Rect(x, bottom - 36, w, 36)
        self._headers["selection"] = self.start_button.rect.y - 22
        self.path_field.rect = pygame.Rect(x, self._headers["selection"] - 34, w - 142, 28)
        self.browse_button.rect = pygame.Rect(x + w - 134, self.path_field.rect.y, 76, 28)
        self.add_button.rect = pygame.Rect(x + w - 52, self.path_field.rect.y, 52, 28)
        list_bottom = self.path_field.rect.y - 24
        self._shortfall = max(0, _MIN_LIST_HEIGHT - (list_bottom - y))
        self.file_list.rect = pygame.Rect(x, y, w, max(_MIN_LIST_HEIGHT, list_bottom - y))

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
        info = f"{PRESETS[self.preset_name].describe()} (new models)"
        theme.draw_text(surface, info, (x, h["size_info"]), theme.TEXT_DIM, size=theme.SMALL_FONT_SIZE)
        theme.draw_text(surface, "Tokenizer:", (x, h["tokenizer"] + 4), theme.FIELD_LABEL)
        theme.draw_text(surface, "TRAINING DATA", (x, h["TRAINING DATA"]), theme.GREEN, bold=True)
        theme.draw_text(
            surface, self.selection_text, (x, h["selection"]), theme.CYAN, size=theme.SMALL_FONT_SIZE
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


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))
