"""`chat` with piped input (one message per line, plain or --json), slash commands, bad input; and
`generate` reading its prompt from standard input or a file."""

from __future__ import annotations

import io
import json
import sys

import numpy as np
import pytest

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.chat_format import build_prompt, clean_reply
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.sampling import generate
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import save_model
from hyper_prime_spiral.storage import search as search_module

TEXT = "User: hello there\nAI: hello, how are you?<eot>\nUser: what is a prime\nAI: a number.<eot>\n"


@pytest.fixture
def model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(search_module.ENV_VAR, raising=False)
    tokenizer = build_tokenizer("char", TEXT)
    config = ModelConfig(tokenizer.vocab_size, context_length=64, dim=16, layers=1, heads=2, seed=1)
    params = np.random.default_rng(1).standard_normal(ParamLayout(config).n_params).astype("float32") * 0.3
    return save_model(tmp_path / "chatty", ModelBundle(config, tokenizer, params, TrainingRecord(steps=1)))


def _run(argv, stdin_text, capsys, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(stdin_text.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_piped_lines_are_messages_and_json_gives_one_object_per_reply(model, capsys, monkeypatch):
    argv = ["chat", "--model", str(model), "--json", "--seed", "5", "--max-tokens", "30"]
    code, out, err = _run(argv, "hello there\n\n/set temperature 0\nwhat is a prime\n", capsys, monkeypatch)
    assert code == 0, err
    first, second = (json.loads(line) for line in out.splitlines())
    assert set(first) == {"event", "user", "reply", "tools", "tokens", "tokens_per_s"}
    assert first["event"] == "reply"
    assert first["user"] == "hello there" and second["user"] == "what is a prime"
    assert first["tools"] == [] and first["tokens"] >= 1 and first["tokens_per_s"] > 0
    from hyper_prime_spiral.storage import load_model

    bundle = load_model(model)
    expected = generate(bundle, build_prompt([], "hello there"), 0.8, 40, 0.95, 30, 5)
    assert first["reply"] == clean_reply(expected)  # the same sampling as generate, seed for seed


def test_plain_piped_chat_prints_one_line_per_reply_and_save_writes_markdown(
    model, tmp_path, capsys, monkeypatch
):
    saved = tmp_path / "talk.md"
    lines = f"hello there\n/help\nwhat is a prime\n/save {saved}\n/bye\nnever sent\n"
    code, out, err = _run(["chat", "--model", str(model), "--seed", "2"], lines, capsys, monkeypatch)
    assert code == 0, err
    replies = [line for line in out.splitlines() if not line.startswith(("Commands:", "  /", "Anything"))]
    assert len(replies) == 2
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("# Chat with chatty")
    assert "**User:** hello there" in text and "**User:** what is a prime" in text
    assert text.count("**AI:**") == 2 and "never sent" not in text


@pytest.mark.parametrize(
    "line,fragment",
    [
        ("/frobnicate", "unknown command '/frobnicate'"),
        ("/set temperature hot", "'hot' is not a valid number"),
        ("/set temperature 5", "temperature must be between 0 and 2"),
        ("/set colour red", "unknown setting 'colour'"),
        ("/save", "usage: /save FILE"),
    ],
)
def test_a_bad_command_in_piped_input_ends_with_status_2_and_one_line(
    model, capsys, monkeypatch, line, fragment
):
    code, out, err = _run(["chat", "--model", str(model)], f"{line}\nhello\n", capsys, monkeypatch)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err


def test_clear_forgets_the_conversation(model, tmp_path, capsys, monkeypatch):
    saved = tmp_path / "after-clear.md"
    lines = f"hello there\n/clear\nwhat is a prime\n/save {saved}\n"
    code, _, err = _run(["chat", "--model", str(model)], lines, capsys, monkeypatch)
    assert code == 0, err
    assert "hello there" not in saved.read_text(encoding="utf-8")


def test_no_model_anywhere_is_one_line_and_status_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(search_module.ENV_VAR, raising=False)
    code, out, err = _run(["chat"], "hello\n", capsys, monkeypatch)
    assert code == 2 and out == "" and "No model loaded" in err and len(err.strip().splitlines()) == 1
    code, _, err = _run(["chat", "--model", str(tmp_path / "absent")], "hi\n", capsys, monkeypatch)
    assert code == 2 and "absent" in err


def test_generate_reads_the_prompt_from_stdin_or_a_file(model, tmp_path, capsys, monkeypatch):
    prompt = "User: hello there\nAI:"
    argv = ["generate", "--model", str(model), "--seed", "3", "--max-tokens", "12"]
    code, from_arg, err = _run([*argv, prompt], "", capsys, monkeypatch)
    assert code == 0, err
    code, from_stdin, err = _run([*argv, "-"], prompt + "\n", capsys, monkeypatch)
    assert code == 0, err
    (tmp_path / "prompt.txt").write_text(prompt, encoding="utf-8")
    code, from_file, err = _run([*argv, "--file", str(tmp_path / "prompt.txt")], "", capsys, monkeypatch)
    assert code == 0, err
    assert from_arg == from_stdin == from_file


@pytest.mark.parametrize(
    "extra,stdin,fragment",
    [
        (["-"], "   \n", "the prompt is empty"),
        (["--file", "{tmp}/absent.txt"], "", "no such file"),
        (["hello", "--file", "{tmp}/absent.txt"], "", "not both"),
        ([], "", "no prompt"),
    ],
)
def test_generate_bad_prompt_sources_exit_2(model, tmp_path, capsys, monkeypatch, extra, stdin, fragment):
    argv = ["generate", "--model", str(model), *[a.replace("{tmp}", str(tmp_path)) for a in extra]]
    code, out, err = _run(argv, stdin, capsys, monkeypatch)
    assert code == 2 and out == "" and fragment in err and len(err.strip().splitlines()) == 1


def _chat_with_an_engine_call(model, json_lines: bool) -> str:
    """What a piped `chat` prints for one message whose (scripted) reply calls the engine."""
    from hyper_prime_spiral.commands.chat import TerminalChat
    from hyper_prime_spiral.model.chat_session import ChatSession
    from hyper_prime_spiral.storage import load_model

    def engine_reply(bundle, prompt, **sampling):
        yield from ["<calc>factor 91</calc>", "<result>91 = 7 x 13</result>", " it is 7 x 13.", "<eot>"]

    out = io.StringIO()
    chat = TerminalChat(ChatSession(load_model(model), stream_fn=engine_reply), out, False, json_lines)
    assert chat.run(io.StringIO("is 91 prime\n")) == 0
    return out.getvalue()


def test_json_lists_the_prime_engine_calls_apart_from_the_answer(model):
    record = json.loads(_chat_with_an_engine_call(model, json_lines=True))
    assert record["reply"] == "it is 7 x 13."
    assert record["tools"] == [{"call": "factor 91", "result": "91 = 7 x 13"}]


def test_piped_chat_prints_each_engine_call_as_a_readable_line(model):
    assert (
        _chat_with_an_engine_call(model, json_lines=False)
        == "[prime engine: factor 91 -> 91 = 7 x 13] it is 7 x 13.\n"
    )
