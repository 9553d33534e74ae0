"""`generate --probs`: per-token top alternatives as text or JSON lines; the same tokens as the reply."""

from __future__ import annotations

import json

import pytest

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model.sampling import generate

ARGS = ["--max-tokens", "15", "--seed", "5", "--temperature", "1", "--top-k", "4"]
PROMPT = "User: is the sky blue\nAI:"


def _run(argv, capsys):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lines_give_each_token_and_sorted_alternatives(saved_model, tiny_bundle, capsys):
    code, out, err = _run(["generate", "--model", saved_model, *ARGS, "--probs", "--json", PROMPT], capsys)
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert all(r["event"] == "token" for r in records)
    assert records
    reply = generate(tiny_bundle, PROMPT, temperature=1.0, top_k=4, top_p=0.95, max_tokens=15, seed=5)
    assert "".join(r["token"] for r in records).startswith(reply)
    for record in records:
        probs = [alt["p"] for alt in record["top"]]
        assert 1 <= len(probs) <= 4  # top-k 4 leaves at most 4 candidates
        assert probs == sorted(probs, reverse=True) and sum(probs) == pytest.approx(1.0, abs=1e-4)
        sampled = [alt for alt in record["top"] if alt["id"] == record["id"]]
        assert sampled and sampled[0]["p"] == record["p"]
        assert 0 < record["model_p"] <= 1


def test_text_lines_mark_the_sampled_token(saved_model, capsys):
    code, out, err = _run(["generate", "--model", saved_model, *ARGS, "--probs", PROMPT], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines and all(" p=" in line and "*" in line for line in lines)


def test_json_without_probs_is_one_object_with_the_reply_and_its_tool_calls(saved_model, capsys):
    code, out, err = _run(["generate", "--model", saved_model, "--json", PROMPT], capsys)
    assert code == 0, err
    (line,) = out.splitlines()
    assert set(json.loads(line)) == {"reply", "tools", "raw"}
