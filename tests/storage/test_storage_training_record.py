"""The saved training record: typed fields, old and foreign keys kept through load and save."""

from __future__ import annotations

import json

from storage_helpers import make_bundle

from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import load_model, save_model

OLD_CLI_RECORD = {  # what `train` wrote before the record was typed (the built-in model has it)
    "corpus": ["chat_corpus.txt"],
    "corpus_chars": 1234,
    "tokenizer": "bpe",
    "resumed_from": None,
    "steps": 425,
    "kept_step": 400,
    "val_loss": 2.2,
    "settings": {"lr": 0.004},
    "built_by": "tools/build_builtin_model.py",
}


def test_an_old_cli_record_loads_into_typed_fields():
    record = TrainingRecord.from_dict(OLD_CLI_RECORD)
    assert record.corpus_files == ["chat_corpus.txt"] and record.steps == 425 and record.kept_step == 400
    assert record.val_loss == 2.2 and record.settings == {"lr": 0.004} and record.resumed_from is None
    assert record.built_by == "tools/build_builtin_model.py" and record.extra == {}  # null: unknown
    assert record.steps_so_far() == 425


def test_the_tabs_continued_count_wins_over_the_last_runs_steps():
    record = TrainingRecord.from_dict({"steps": 5, "total_steps": 12, "previous_steps": 7})
    assert record.steps_so_far() == 12 and record.extra == {"previous_steps": 7}
    assert TrainingRecord().steps_so_far() == 0


def test_values_of_the_wrong_type_are_not_fields_but_are_kept():
    doc = {"steps": "many", "val_loss": True, "kept_step": 3.5, "corpus_files": [1, 2], "note": {"a": 1}}
    record = TrainingRecord.from_dict(doc)
    assert record.steps is None and record.val_loss is None and record.kept_step is None
    assert record.corpus_files is None
    assert record.to_dict() == doc


def test_unknown_keys_survive_a_load_and_save(tmp_path):
    path = save_model(tmp_path / "m", make_bundle())
    doc = json.loads((path / "config.json").read_text())
    doc["training"]["from_a_newer_version"] = [1, 2]
    del doc["training"]["corpus_files"]
    doc["training"]["corpus"] = ["old.txt"]
    (path / "config.json").write_text(json.dumps(doc))
    loaded = load_model(path)
    assert loaded.training.corpus_files == ["old.txt"]
    saved = json.loads((save_model(tmp_path / "again", loaded) / "config.json").read_text())["training"]
    assert saved["from_a_newer_version"] == [1, 2] and saved["corpus_files"] == ["old.txt"]
    assert saved["steps"] == loaded.training.steps
