"""Sampling: top-k / top-p / temperature, KV cache == full forward, sliding window, stopping."""

import numpy as np
import pytest

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.sampling import (
    SamplingError,
    generate,
    generate_ids,
    next_token_probabilities,
    stream,
)
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.transformer import Transformer


def test_top_k_keeps_the_k_most_probable_not_the_first_ids():
    logits = np.array([0.0, 1.0, 5.0, 3.0, 4.0, 2.0])
    probs = next_token_probabilities(logits, temperature=1.0, top_k=2)
    assert set(np.flatnonzero(probs)) == {2, 4}
    assert probs.sum() == pytest.approx(1.0)
    assert probs[2] > probs[4]


def test_top_p_keeps_the_smallest_set_reaching_p():
    logits = np.log(np.array([0.1, 0.5, 0.3, 0.1]))
    assert set(np.flatnonzero(next_token_probabilities(logits, 1.0, top_p=0.7))) == {1, 2}
    assert set(np.flatnonzero(next_token_probabilities(logits, 1.0, top_p=0.45))) == {1}
    assert np.count_nonzero(next_token_probabilities(logits, 1.0, top_p=1.0)) == 4


def test_near_zero_temperature_is_greedy():
    logits = np.array([0.3, 2.0, 1.9, -1.0])
    probs = next_token_probabilities(logits, temperature=1e-6)
    assert probs[1] == 1.0 and probs.sum() == 1.0
    flat_ish = next_token_probabilities(logits, temperature=100.0)
    assert np.all(flat_ish > 0.2)


@pytest.mark.parametrize("bad", [dict(temperature=-1), dict(top_k=-1), dict(top_p=0.0), dict(top_p=1.5)])
def test_bad_settings_are_rejected(bad):
    config = ModelConfig(vocab_size=5, context_length=4, dim=4, layers=1, heads=1)
    settings = dict(temperature=0.8, top_k=0, top_p=1.0, max_tokens=3) | bad
    with pytest.raises(SamplingError):
        list(generate_ids((config, None, init_params(config)), np.array([1]), **settings))


def _random_model(tied=True, context=8):
    config = ModelConfig(vocab_size=13, context_length=context, dim=16, layers=2, heads=4, tied=tied, seed=5)
    flat = init_params(config)
    flat += np.random.default_rng(0).standard_normal(flat.shape).astype(np.float32) * 0.3
    return config, flat


@pytest.mark.parametrize("tied", [True, False])
def test_kv_cache_gives_the_full_forward_logits(tied):
    config, flat = _random_model(tied)
    model = Transformer(config)
    params = ParamLayout(config).views(flat)
    ids = np.random.default_rng(1).integers(0, 13, 8)
    full = model.logits(params, ids[None])[0]
    cache = model.new_cache()
    pieces = [model.forward_cached(params, ids[:3], cache)]
    pieces += [model.forward_cached(params, ids[i : i + 1], cache) for i in range(3, 8)]
    np.testing.assert_allclose(np.concatenate(pieces), full, rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="context"):
        model.forward_cached(params, ids[:1], cache)


def test_generation_beyond_the_context_slides_the_window():
    config, flat = _random_model(context=8)
    model = Transformer(config)
    params = ParamLayout(config).views(flat)
    prompt = [3, 4, 5]
    got = list(generate_ids((config, None, flat), np.array(prompt), temperature=0, max_tokens=30))
    assert len(got) == 30
    # Reference without a cache: the window holds the tokens since the last slide.
    keep = int(8 * sampling.KEEP_ON_SLIDE)
    history, start, expected = list(prompt), 0, []
    for _ in range(30):
        token = int(np.argmax(model.logits(params, np.array([history[start:]]))[0, -1]))
        expected.append(token)
        history.append(token)
        if len(history) - start > 8:
            start = len(history) - keep
    assert got == expected


def _constant_model(tokenizer, favourite: str):
    """A model whose next-token distribution always peaks at `favourite` (final LN gain 0)."""
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=6, dim=8, layers=1, heads=2, tied=False
    )
    layout = ParamLayout(config)
    flat = init_params(config)
    views = layout.views(flat)
    views["head.ln.gain"][:] = 0
    views["head.ln.bias"][:] = 1
    views["head.out.weight"][:] = 0
    views["head.out.weight"][:, tokenizer.index[favourite]] = 1
    return config, tokenizer, flat


def test_generation_stops_at_the_end_token():
    tok = build_tokenizer("char", "abc")
    assert generate(_constant_model(tok, "<eot>"), "ab", temperature=0.5, max_tokens=50, seed=1) == ""


def test_reply_never_echoes_the_prompt_and_respects_max_tokens():
    tok = build_tokenizer("char", "abcx")
    reply = generate(_constant_model(tok, "x"), "abc", temperature=0, max_tokens=20)
    assert reply == "x" * 20


def test_same_seed_same_text():
    tok = build_tokenizer("char", "abcdefgh")
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    model = (config, tok, init_params(config) * 20)
    a = generate(model, "abc", temperature=1.0, top_k=0, top_p=1.0, max_tokens=40, seed=7)
    b = generate(model, "abc", temperature=1.0, top_k=0, top_p=1.0, max_tokens=40, seed=7)
    assert a == b and len(a) > 0


def test_stream_stops_before_a_user_turn_and_holds_back_partial_matches(monkeypatch):
    tok = build_tokenizer("char", "ab \nUser:")
    script = tok.encode("a b\nUser: bad")
    monkeypatch.setattr(sampling, "generate_steps", lambda *a, **k: iter((int(t), None) for t in script))
    pieces = list(stream((None, tok, None), "x"))
    assert "".join(pieces) == "a b"
    assert all("\n" not in p for p in pieces)


def test_stream_stops_before_a_second_ai_turn(monkeypatch):
    tok = build_tokenizer("char", "ab \nAIUser:x")
    script = tok.encode("a b\nAI: bad")
    monkeypatch.setattr(sampling, "generate_steps", lambda *a, **k: iter((int(t), None) for t in script))
    assert "".join(stream((None, tok, None), "User: x\nAI:")) == "a b"


def test_a_raw_prompt_is_answered_on_the_models_own_ai_line(monkeypatch):
    """`generate hello`: the built-in model often goes straight to "\nAI:"; that line is its
    answer (shown as it streams), and the next role line still ends the reply."""
    tok = build_tokenizer("char", "ab \nAIUser:x")
    script = tok.encode("\nAI: a b\nAI: bad")
    monkeypatch.setattr(sampling, "generate_steps", lambda *a, **k: iter((int(t), None) for t in script))
    pieces = list(stream((None, tok, None), "x"))
    assert "".join(pieces) == "\nAI: a b"
    assert "".join(pieces[:-1]).startswith("\nAI: a")  # not held back until the reply ends
    script = tok.encode(" a\nAI: b\nUser: bad")
    assert "".join(stream((None, tok, None), "User: x\nAI: a b<eot>\nUser: x")) == " a\nAI: b"


def test_stream_releases_a_newline_that_does_not_start_a_user_turn(monkeypatch):
    tok = build_tokenizer("char", "ab \nUs")
    script = tok.encode("a\nUb")
    monkeypatch.setattr(sampling, "generate_steps", lambda *a, **k: iter((int(t), None) for t in script))
    assert "".join(stream((None, tok, None), "x")) == "a\nUb"


def test_word_stream_pieces_are_spaced_like_decode(monkeypatch):
    tok = build_tokenizer("word", "ai : hello , world .")
    script = tok.encode("hello, world.")
    monkeypatch.setattr(sampling, "generate_steps", lambda *a, **k: iter((int(t), None) for t in script))
    pieces = list(stream((None, tok, None), "ai:"))
    assert pieces == [" hello", ",", " world", "."]


def test_one_validator_for_every_caller(capsys):
    """The sampler, the chat session and the CLI agree on what is valid (model.sampling.SamplingSettings)."""
    from hyper_prime_spiral.cli import main
    from hyper_prime_spiral.model.sampling import SamplingSettings

    config = ModelConfig(vocab_size=5, context_length=4, dim=4, layers=1, heads=1)
    with pytest.raises(SamplingError, match="temperature must be between 0 and 2"):
        list(generate_ids((config, None, init_params(config)), np.array([1]), temperature=2.5))
    with pytest.raises(SamplingError, match="max new tokens"):
        SamplingSettings(max_tokens=0)
    assert main(["generate", "--model", "/nonexistent", "--temperature", "3", "hi"]) == 2
    err = capsys.readouterr().err
    assert "temperature must be between 0 and 2" in err and len(err.strip().splitlines()) == 1
