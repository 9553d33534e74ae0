"""`train` progress without a terminal (plain lines per evaluation) and the JSON `event` contract."""

from __future__ import annotations

import json

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.commands.train import _Reporter
from hyper_prime_spiral.training.trainer import ProgressEvent

CORPUS = "to be or not to be, that is the question.\n" * 30
TINY = ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "4", "--workers", "1"]


def _event(step, val=None, done=False):
    return ProgressEvent(step, 10, 0.1 * step, 3.0 - 0.1 * step, val, 1234.0, 1.0 * step, 75.0, done=done)


def test_without_a_terminal_each_evaluation_prints_one_plain_line(tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text(CORPUS, encoding="utf-8")
    code = main(
        ["train", str(corpus), "--out", str(tmp_path / "m"), "--steps", "6", "--eval-every", "2", *TINY]
    )
    out, err = capsys.readouterr()  # capsys's stderr is not a terminal
    assert code == 0, err
    lines = [line for line in err.splitlines() if line.startswith("step ")]
    assert [line.split()[1] for line in lines] == ["2/6", "4/6", "6/6"]
    for line in lines:
        assert " loss " in line and " val " in line and " tok/s " in line and " ETA " in line
    assert "\r" not in err and out.startswith("done: 6 steps")


def test_reporter_lines_and_json_events(capsys):
    plain = _Reporter(json_lines=False, terminal=False)
    for step in (1, 2, 3):
        plain(_event(step, val=2.5 if step == 2 else None))
    out, err = capsys.readouterr()
    assert out == "" and err == "step 2/10 loss 2.800 val 2.500 1,234 tok/s ETA 1:15\n"

    reporter = _Reporter(json_lines=True)
    reporter.last_json -= reporter.JSON_PROGRESS_INTERVAL_S  # as if the last line were old
    reporter(_event(1))
    reporter(_event(2))  # too soon after the first: no line
    reporter(_event(3, val=2.0))
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(line["event"], line["step"]) for line in lines] == [("progress", 1), ("eval", 3)]
    assert lines[1]["val_loss"] == 2.0 and lines[0]["eta_s"] == 75.0


def test_json_errors_are_an_error_event_and_one_stderr_line(tmp_path, capsys):
    code = main(["train", str(tmp_path / "missing.txt"), "--out", str(tmp_path / "m"), "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and len(err.strip().splitlines()) == 1
    (line,) = [json.loads(x) for x in out.splitlines()]
    assert line["event"] == "error" and "missing.txt" in line["message"]


def test_number_embeddings_are_on_for_new_models_and_a_bad_count_is_one_line(tmp_path, capsys):
    from hyper_prime_spiral.storage import load_model

    corpus = tmp_path / "c.txt"
    corpus.write_text("is 1009 prime? 1009 is prime. 48 = 2^4 x 3\n" * 30, encoding="utf-8")
    assert main(["train", str(corpus), "--out", str(tmp_path / "m"), "--steps", "2", *TINY]) == 0
    config = load_model(tmp_path / "m").config
    assert config.number_places == 24 and len(config.digit_tokens) == 10  # byte-level BPE has every digit
    assert config.number_orders == 16 and config.break_tokens  # "\n" at least
    assert len(config.power_tokens) == 1  # "^"
    off = ["train", str(corpus), "--out", str(tmp_path / "off"), "--steps", "2", "--number-places", "0"]
    assert main([*off, *TINY]) == 0
    assert load_model(tmp_path / "off").config.number_places == 0
    assert load_model(tmp_path / "off").config.number_orders == 0  # orders need places
    no_orders = ["train", str(corpus), "--out", str(tmp_path / "o"), "--steps", "2", "--number-orders", "0"]
    assert main([*no_orders, *TINY]) == 0
    places_only = load_model(tmp_path / "o").config
    assert (places_only.number_places, places_only.number_orders) == (24, 0)
    for option, message in (("--number-places", "2 places"), ("--number-orders", "2 orders")):
        capsys.readouterr()
        assert main(["train", str(corpus), "--out", str(tmp_path / "bad"), option, "1", *TINY]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and message in err
        assert not (tmp_path / "bad").exists()
