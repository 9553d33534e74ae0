"""`generate --json` lists the prime-engine calls of a reply with their results (BPE model)."""

from __future__ import annotations

import json

import pytest
from scripted_generation import scripted_steps

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.storage import save_model

TEXT = "User: is 91 prime?\nAI: <calc>isprime 91</calc> no, 91 = 7 x 13.<eot>\n"


@pytest.fixture
def tool_model(tmp_path, monkeypatch):
    """A saved BPE model whose generation is replaced by a script that makes one call."""
    tokenizer = build_tokenizer("bpe", TEXT, vocab_size=280)
    config = ModelConfig(tokenizer.vocab_size, context_length=48, dim=8, layers=1, heads=2)
    path = save_model(tmp_path / "tool-model", ModelBundle(config, tokenizer, init_params(config)))
    scripted = scripted_steps(tokenizer, "<calc>isprime 91</calc>", " no, 91 = 7 x 13.")
    monkeypatch.setattr(sampling, "generate_steps", scripted)
    return path


def test_generate_json_lists_the_calls_and_their_results(tool_model, capsys):
    code = main(["generate", "--model", str(tool_model), "--json", "User: is 91 prime?\nAI:"])
    out, err = capsys.readouterr()
    assert code == 0, err
    record = json.loads(out)
    assert record["tools"] == [{"call": "isprime 91", "result": "91 is not prime: 91 = 7 x 13"}]
    assert record["reply"] == "no, 91 = 7 x 13."
    assert record["raw"].startswith("<calc>isprime 91</calc><result>91 is not prime")


def test_generate_plain_prints_the_call_as_the_model_wrote_it(tool_model, capsys):
    code = main(["generate", "--model", str(tool_model), "User: is 91 prime?\nAI:"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out == "<calc>isprime 91</calc><result>91 is not prime: 91 = 7 x 13</result> no, 91 = 7 x 13.\n"


def test_an_impossible_bpe_vocabulary_size_exits_2_and_writes_nothing(tmp_path, capsys):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(TEXT * 5, encoding="utf-8")
    code = main(["train", str(corpus), "--out", str(tmp_path / "m"), "--steps", "1", "--vocab-size", "10"])
    out, err = capsys.readouterr()
    assert code == 2 and err.count("\n") == 1 and "between 262 and 65536" in err
    assert not (tmp_path / "m").exists()
