"""The Training tab's parameter form: its fields <-> the settings file and a run's `Recipe`.

Why one table (`FORM_FIELDS`): each parameter's settings key, label, range and default are
written once, so the fields, what is saved, what is restored and what a run gets cannot
drift apart. Defaults come from `training/presets.py`'s TAB_RECIPE (the one settings type).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from hyper_prime_spiral.model.tokenizer import TOKENIZER_KINDS
from hyper_prime_spiral.training.presets import PRESETS, Recipe
from hyper_prime_spiral.training.presets import TAB_RECIPE as RECIPE
from hyper_prime_spiral.ui.widgets.button import Button
from hyper_prime_spiral.ui.widgets.text_input import TextInput


@dataclass(frozen=True)
class FormField:
    """One numeric parameter: `key` names it in the settings file."""

    key: str
    label: str
    numeric: str  # "int" or "float"
    minimum: float
    maximum: float
    default: str


FORM_FIELDS = (
    FormField("lr", "Learning rate:", "float", 1e-6, 1.0, f"{RECIPE.lr:g}"),
    FormField("epochs", "Epochs:", "float", 0.01, 10000, f"{RECIPE.OFFERED_EPOCHS:g}"),
    FormField("batch_size", "Batch size:", "int", 1, 1024, str(RECIPE.batch)),
    FormField("workers", "Workers (0 = all):", "int", 0, 64, str(RECIPE.workers)),
    FormField("steps", "Steps (0 = epochs):", "int", 0, 10_000_000, str(RECIPE.steps or 0)),
    FormField("context_length", "Context length:", "int", 8, 1024, str(RECIPE.context)),
    FormField("minutes", "Minutes (0 = steps/epochs):", "float", 0, 100_000, f"{RECIPE.minutes:g}"),
)


class TrainingForm:
    """The numeric fields (`fields[key]`, in FORM_FIELDS order) and the new-model choices
    (size preset, tokenizer kind). `on_change(what)` hears about a chosen size or tokenizer."""

    def __init__(self, on_change: Callable[[str], None] = lambda what: None) -> None:
        self.fields: dict[str, TextInput] = {
            spec.key: TextInput(
                label=spec.label,
                text=spec.default,
                numeric=spec.numeric,
                minimum=spec.minimum,
                maximum=spec.maximum,
                max_length=24,
            )
            for spec in FORM_FIELDS
        }
        self.preset_name = RECIPE.preset
        self.tokenizer_kind = RECIPE.tokenizer
        self._on_change = on_change
        self.size_buttons = {
            name: Button(label=name, on_click=lambda n=name: self.choose_size(n)) for name in PRESETS
        }
        self.tokenizer_buttons = {
            kind: Button(label=kind, on_click=lambda k=kind: self.choose_tokenizer(k))
            for kind in TOKENIZER_KINDS
        }
        self._refresh_choice_buttons()

    @property
    def numeric_fields(self) -> list[TextInput]:
        return list(self.fields.values())

    @property
    def choice_buttons(self) -> list[Button]:
        return [*self.size_buttons.values(), *self.tokenizer_buttons.values()]

    # --- choices -------------------------------------------------------------------------
    def choose_size(self, name: str) -> None:
        self.preset_name = name
        self._refresh_choice_buttons()
        self._on_change("size")

    def choose_tokenizer(self, kind: str) -> None:
        self.tokenizer_kind = kind
        self._refresh_choice_buttons()
        self._on_change("tokenizer")

    def _refresh_choice_buttons(self) -> None:
        for name, button in self.size_buttons.items():
            button.kind = "primary" if name == self.preset_name else "normal"
        for kind, button in self.tokenizer_buttons.items():
            button.kind = "primary" if kind == self.tokenizer_kind else "normal"

    # --- settings file ---------------------------------------------------------------------
    def load(self, section: dict[str, Any]) -> str | None:
        """Restore the saved values; a bad one keeps its default and is named in the message."""
        problem = None
        for key, field in self.fields.items():
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
        self._refresh_choice_buttons()
        return problem

    def values(self) -> dict[str, Any]:
        """What the settings file keeps (field texts as typed, and the choices)."""
        values: dict[str, Any] = {key: field.text for key, field in self.fields.items()}
        values.update(preset=self.preset_name, tokenizer=self.tokenizer_kind)
        return values

    # --- a run -----------------------------------------------------------------------------
    def commit(self) -> str | None:
        """Commit every field; the first refusal's message (the field keeps its previous value)."""
        errors = [error for field in self.fields.values() if (error := field.commit())]
        return errors[0] if errors else None

    def parameters(self) -> Recipe | str:
        """The fields as the run's Recipe (TAB_RECIPE for the rest), or the first refused value's message."""
        for field in self.fields.values():
            error = field.commit()
            if error:
                return error
        value = {key: field.value for key, field in self.fields.items()}
        minutes = float(value["minutes"])
        steps = 0 if minutes else int(value["steps"])
        return replace(
            RECIPE,
            preset=self.preset_name,
            tokenizer=self.tokenizer_kind,
            lr=float(value["lr"]),
            epochs=None if steps or minutes else float(value["epochs"]),
            steps=steps or None,
            minutes=minutes or RECIPE.minutes,
            batch=int(value["batch_size"]),
            workers=int(value["workers"]),
            context=int(value["context_length"]),
        )

    def length_text(self, recipe: Recipe) -> str:
        """'10 minutes', '500 steps' or '3 epochs': how long the run will train."""
        if recipe.steps:
            return f"{recipe.steps} steps"
        if recipe.epochs:
            return f"{self.fields['epochs'].text} epochs"
        return f"{recipe.minutes:g} minute{'s' if recipe.minutes != 1 else ''}"
