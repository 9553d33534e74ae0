"""The saved model's training record: what made these weights (the `training` section of config.json).

One typed value instead of a free dict: the trainer fills it, `storage` writes and reads it only
through `to_dict` / `from_dict`, and readers (the LLM tab's info panel, the CLI's `models`) use
its fields without type guards. Keys this version does not know, and known keys holding a value
of the wrong type (a hand-edited file), are kept in `extra` and written back unchanged, so loading
and saving an old or foreign model loses nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Any

# Keys older versions wrote under another name: old name -> field.
_RENAMED = {"corpus": "corpus_files"}


@dataclass
class TrainingRecord:
    """How a model was trained. Every field is optional: a model may come from anywhere."""

    corpus_files: list[str] | None = None  # the text files trained on (as given)
    corpus_chars: int | None = None
    tokenizer: str | None = None
    size_preset: str | None = None
    resumed_from: str | None = None  # the model this run continued, if any
    ranks: int | None = None  # MPI ranks of a cluster run
    steps: int | None = None  # optimizer steps of the last run
    total_steps: int | None = None  # steps over every run that trained these weights
    total_steps_planned: int | None = None
    stopped_early: bool | None = None
    budget_minutes: float | None = None
    train_loss: float | None = None
    val_loss: float | None = None  # of the weights kept
    kept_step: int | None = None  # the step whose weights were kept (lowest validation loss)
    last_step_val_loss: float | None = None
    elapsed_s: float | None = None
    tokens_per_s: float | None = None
    train_tokens: int | None = None
    val_tokens: int | None = None
    settings: dict[str, Any] | None = None  # the TrainSettings of the last run
    finished_at: str | None = None
    created: str | None = None  # set by storage when first saved
    updated: str | None = None  # set by storage on every save
    built_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def steps_so_far(self) -> int:
        """Steps over all runs (what a continued run adds to); 0 when unknown."""
        for value in (self.total_steps, self.steps):
            if value is not None:
                return int(value)
        return 0

    def to_dict(self) -> dict[str, Any]:
        """The JSON object saved as `training` (None fields left out, unknown keys kept)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name != "extra" and value is not None:
                out[f.name] = value
        for key, value in self.extra.items():
            out.setdefault(key, value)
        return out

    @classmethod
    def from_dict(cls, doc: dict[str, Any]) -> TrainingRecord:
        """The record of a loaded `training` object; never raises on odd values (see the module)."""
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        types = {f.name: f.type for f in fields(cls) if f.name != "extra"}
        for key, value in doc.items():
            name = _RENAMED.get(key, key)
            if name in types and value is None:
                continue  # the field's own default: unknown
            if name in types and name not in known and _fits(types[name], value):
                known[name] = list(value) if isinstance(value, list) else value
            else:
                extra[key] = value
        return cls(**known, extra=extra)


def _fits(annotation: str, value: Any) -> bool:
    """Whether `value` (from JSON) has the type of a field annotated `annotation`."""
    if annotation.startswith("bool"):
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if annotation.startswith("int"):
        return isinstance(value, int)
    if annotation.startswith("float"):
        return isinstance(value, int | float) and math.isfinite(value)
    if annotation.startswith("str"):
        return isinstance(value, str)
    if annotation.startswith("list"):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if annotation.startswith("dict"):
        return isinstance(value, dict)
    return False
