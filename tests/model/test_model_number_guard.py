"""The number guard: after an engine result, longer numbers in a reply are copied from the conversation."""

import io

import numpy as np
import pytest
from scripted_generation import scripted_steps

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.number_guard import NumberGuard, numbers_in, trailing_number
from hyper_prime_spiral.model.sampling import generate_ids, stream
from hyper_prime_spiral.model.tokenizer import build_tokenizer

TEXT = "0123456789^ x=<>/acdefilmoprstu:.\n"


def _guard():
    tok = build_tokenizer("char", TEXT)
    return tok, NumberGuard(tok)


def _allowed_text(tok, mask) -> set[str]:
    return {tok.decode([i]) for i in np.flatnonzero(mask)}


def test_numbers_and_the_number_being_written_are_read_as_text():
    assert numbers_in(["5040 = 2^4 x 3^2 x 5 x 7", "the 169th"]) == {"5040", "2^4", "3^2", "5", "7", "169"}
    assert "1000003" in numbers_in(["is 1,000,003 prime"])  # as a call must write it
    assert trailing_number("= 2^4 x 75") == "75"
    assert trailing_number("x 3^") == "3^"
    assert trailing_number("ring 3, position") == ""


def test_a_longer_number_must_stay_a_prefix_of_a_known_one_and_end_only_when_whole():
    tok, guard = _guard()
    known = frozenset({"7552031", "283"})
    assert guard.allowed("", known) is None  # a new number may start with any digit
    two = guard.allowed("75", known)  # a short number may end, or grow towards a known one
    assert (
        "5" in _allowed_text(tok, two)
        and "9" not in _allowed_text(tok, two)
        and " " in _allowed_text(tok, two)
    )
    assert _allowed_text(tok, guard.allowed("755", known)) == {"2"}  # not whole yet: only the next digit
    whole = _allowed_text(tok, guard.allowed("283", known))
    assert " " in whole and not whole & set("0123456789")  # whole: it may end, never grow


def test_a_power_is_copied_whole():
    tok, guard = _guard()
    known = frozenset({"2^4", "3^2"})
    assert guard.allowed("3", known) is None  # "3^" may start 3^2, and "3" may be a number of its own
    assert "^" not in _allowed_text(tok, guard.allowed("5", known))  # no known power of 5
    assert _allowed_text(tok, guard.allowed("3^", known)) == {"2"}


def test_the_guard_steps_aside_when_it_cannot_help():
    tok, guard = _guard()
    assert guard.allowed("999", frozenset({"12"})) is None  # nothing fits: the model goes on
    assert guard.allowed("1", frozenset({"12", "1^2"})) is None  # every token fits
    word = build_tokenizer("word", "is 1009 prime")
    assert not NumberGuard(word).enabled and NumberGuard(word).allowed("100", frozenset({"1009"})) is None


def test_generation_draws_only_from_the_allowed_tokens():
    tok = build_tokenizer("char", "abx")
    from test_model_sampling import _constant_model  # a model that always prefers "x"

    model = _constant_model(tok, "x")
    only_a = np.zeros(tok.vocab_size, dtype=bool)
    only_a[tok.index["a"]] = True
    for temperature in (0.0, 1.0):
        ids = list(generate_ids(model, tok.encode("ab"), temperature=temperature, max_tokens=5, seed=3))
        assert tok.decode(ids) == "xxxxx"
        ids = list(
            generate_ids(
                model, tok.encode("ab"), temperature=temperature, max_tokens=5, seed=3, allowed=lambda: only_a
            )
        )
        assert tok.decode(ids) == "aaaaa"


@pytest.mark.parametrize("guarded", [True, False])
def test_a_miscopied_exponent_is_copied_right_after_the_result(monkeypatch, guarded):
    """The built-in model's old 5040 miss ("3^4" for "3^2"), played by a scripted model."""
    tok = build_tokenizer("char", TEXT)
    script = scripted_steps(tok, "<calc>factor 5040</calc>", " 5040 = 2^4 x 3^4 x 5 x 7.", obey_mask=True)
    monkeypatch.setattr(sampling, "generate_steps", script)
    reply = "".join(stream((None, tok, None), "User: factor 5040\nAI:", guard_numbers=guarded))
    answer = reply.split("</result>")[1]
    assert answer == (" 5040 = 2^4 x 3^2 x 5 x 7." if guarded else " 5040 = 2^4 x 3^4 x 5 x 7.")


def test_without_a_result_the_guard_does_nothing(monkeypatch):
    tok = build_tokenizer("char", TEXT)
    monkeypatch.setattr(sampling, "generate_steps", scripted_steps(tok, "a 1234 cat", "", obey_mask=True))
    assert "".join(stream((None, tok, None), "User: 99\nAI:")) == "a 1234 cat"


def test_a_prompt_whose_open_ai_turn_holds_a_result_is_guarded(monkeypatch):
    tok = build_tokenizer("char", TEXT)
    monkeypatch.setattr(sampling, "generate_steps", scripted_steps(tok, " 2^4 x 3^4", "", obey_mask=True))
    prompt = "User: factor 5040\nAI: <calc>factor 5040</calc><result>5040 = 2^4 x 3^2 x 5 x 7</result>"
    assert "".join(stream((None, tok, None), prompt)) == " 2^4 x 3^2"


@pytest.mark.parametrize("command", ["generate", "chat"])
def test_the_cli_turns_the_guard_off_with_a_flag(command, monkeypatch, tmp_path, capsys):
    from hyper_prime_spiral.model.bundle import ModelBundle
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.init import init_params
    from hyper_prime_spiral.storage import save_model

    tok = build_tokenizer("char", TEXT)
    config = ModelConfig(tok.vocab_size, context_length=16, dim=8, layers=1, heads=2)
    model = save_model(tmp_path / "m", ModelBundle(config, tok, init_params(config)))
    seen = []

    def spy(*args, guard_numbers=True, **kwargs):
        seen.append(guard_numbers)
        return iter(["ok"])

    monkeypatch.setattr(sampling, "stream", spy)
    monkeypatch.setattr("hyper_prime_spiral.commands.generate.stream", spy, raising=False)
    for flags, expected in (([], True), (["--no-number-guard"], False)):
        monkeypatch.setattr("sys.stdin", io.StringIO("hi\n"))
        args = [command, "--model", str(model), "--max-tokens", "2", *flags]
        assert main([*args, "hi"] if command == "generate" else args) == 0, capsys.readouterr().err
        assert seen[-1] is expected


def test_a_tokenizer_s_guard_is_built_once_and_belongs_to_it():
    from hyper_prime_spiral.model.number_guard import guard_for

    first, second = build_tokenizer("char", TEXT), build_tokenizer("char", "0123456789ab")
    assert guard_for(first) is guard_for(first)
    assert guard_for(second) is not guard_for(first) and guard_for(second).vocab_size == second.vocab_size


def test_a_call_copies_the_question_s_number_and_ends_with_it(monkeypatch):
    """Seen from a 10-minute model: "please factorise 5040" called `factor 50401`."""
    tok = build_tokenizer("char", TEXT)
    script = scripted_steps(tok, "<calc>factor 50401</calc>", " ok.", obey_mask=True)
    monkeypatch.setattr(sampling, "generate_steps", script)
    reply = "".join(stream((None, tok, None), "User: factor 5040\nAI:"))
    assert reply.startswith("<calc>factor 5040</calc><result>5040 = 2^4 x 3^2 x 5 x 7</result>")
    unguarded = "".join(stream((None, tok, None), "User: factor 5040\nAI:", guard_numbers=False))
    assert unguarded.startswith("<calc>factor 50401</calc>")
