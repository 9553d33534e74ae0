"""One job, one settings type: the CLI and the Training tab train and record a run the same way."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from hyper_prime_spiral.cli import build_parser, main
from hyper_prime_spiral.storage import load_model
from hyper_prime_spiral.training.corpus import load_corpus
from hyper_prime_spiral.training.job import TrainingJob
from hyper_prime_spiral.training.presets import CHAT_RECIPE, TAB_RECIPE
from hyper_prime_spiral.training.run_controller import ContinueModel, NewModel, RunSaved, TrainingRun
from hyper_prime_spiral.ui.tabs.training_form import FORM_FIELDS

TEXT = "User: is 7 prime?\nAI: Yes, 7 is prime.<eot>\n\n" * 40
SMALL = dict(preset="tiny", tokenizer="char", context=16, batch=2, workers=1)


def test_every_cli_default_is_the_recipes():
    from hyper_prime_spiral.commands.train import recipe_from

    assert recipe_from(build_parser().parse_args(["train", "x.txt"])) == CHAT_RECIPE


def test_the_tabs_fields_show_the_recipes_defaults():
    shown = {spec.key: spec.default for spec in FORM_FIELDS}
    assert shown["lr"] == f"{TAB_RECIPE.lr:g}" and shown["batch_size"] == str(TAB_RECIPE.batch)
    assert shown["context_length"] == str(TAB_RECIPE.context)
    assert shown["minutes"] == f"{TAB_RECIPE.minutes:g}" and shown["workers"] == str(TAB_RECIPE.workers)
    differ = {
        f.name for f in fields(TAB_RECIPE) if getattr(TAB_RECIPE, f.name) != getattr(CHAT_RECIPE, f.name)
    }
    assert differ == {"scaled", "eval_batches"}  # the tab's runs evaluate in proportion to their length


def test_the_cli_and_the_tab_write_the_same_record(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text(TEXT)
    cli = tmp_path / "cli"
    argv = ["train", str(corpus), "--out", str(cli), "--steps", "3", "--workers", "1", "--preset", "tiny"]
    assert main([*argv, "--tokenizer", "char", "--context", "16", "--batch", "2"]) == 0, capsys.readouterr()
    assert main(["train", str(corpus), "--resume", str(cli), "--steps", "2", "--workers", "1"]) == 0
    recipe = replace(TAB_RECIPE, steps=3, **SMALL)
    run = TrainingRun([corpus], recipe, NewModel(tmp_path / "tab", _tiny(), "char"))
    run.start()
    assert run.join(timeout=60) and isinstance(run.result, RunSaved), run.result
    again = TrainingRun([corpus], replace(recipe, steps=2), ContinueModel(load_model(tmp_path / "tab")))
    again.start()
    assert again.join(timeout=60) and isinstance(again.result, RunSaved), again.result

    by_cli, by_tab = load_model(cli).training, load_model(tmp_path / "tab").training
    for record, path in ((by_cli, cli), (by_tab, tmp_path / "tab")):
        assert record.steps == 2 and record.total_steps == 5 and record.resumed_from == str(path.absolute())
        assert record.corpus_files == [str(corpus)] and record.corpus_chars == len(load_corpus([corpus]))
        assert record.tokenizer == "char" and record.size_preset == "tiny" and not record.extra
    assert set(by_cli.to_dict()) == set(by_tab.to_dict())


def test_a_job_refuses_to_run_before_it_is_prepared(tmp_path):
    with pytest.raises(RuntimeError, match="prepare"):
        TrainingJob([tmp_path / "c.txt"], CHAT_RECIPE).run()


def _tiny():
    from hyper_prime_spiral.training.presets import get_preset

    return get_preset("tiny")
