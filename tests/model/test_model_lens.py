"""The lens: reported probabilities are the sampler's, attention rows are the model's softmax rows."""

import numpy as np
import pytest

from hyper_prime_spiral.model import sampling
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.lens import (
    LensStep,
    TokenInsight,
    align_to_reply,
    context_pieces,
    describe_step,
    strongest_head,
    token_pieces,
    tool_marks,
    top_candidates,
)
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.sampling import generate_steps, next_token_probabilities, stream
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.transformer import Transformer

SETTINGS = dict(temperature=0.9, top_k=6, top_p=0.9, max_tokens=12, seed=3)


def _model(context=32, vocab=20):
    config = ModelConfig(vocab_size=vocab, context_length=context, dim=16, layers=2, heads=4, seed=7)
    flat = init_params(config)
    flat += np.random.default_rng(1).standard_normal(flat.shape).astype(np.float32) * 0.4
    return config, flat


def _steps(config, flat, prompt, **settings):
    return list(generate_steps((config, None, flat), np.array(prompt), lens=True, **(SETTINGS | settings)))


def test_reported_distribution_is_the_samplers_for_that_step():
    config, flat = _model()
    prompt = [1, 4, 2, 7]
    steps = _steps(config, flat, prompt)
    assert len(steps) == SETTINGS["max_tokens"]
    transformer = Transformer(config)
    params = ParamLayout(config).views(flat)
    for token, step in steps:
        context = step.context_ids
        logits = transformer.logits(params, context[None, :])[0, -1]  # full forward, no cache
        expected = next_token_probabilities(
            logits, SETTINGS["temperature"], SETTINGS["top_k"], SETTINGS["top_p"]
        )
        np.testing.assert_allclose(step.distribution, expected, rtol=1e-4, atol=1e-7)
        assert step.distribution.shape == (config.vocab_size,)
        assert step.distribution.sum() == pytest.approx(1.0, abs=1e-9)
        z = logits.astype(np.float64) - logits.max()
        assert step.model_probability == pytest.approx(np.exp(z[token]) / np.exp(z).sum(), rel=1e-4)
        assert step.token_id == token and step.distribution[token] > 0


def test_context_ids_are_the_prompt_and_the_tokens_so_far():
    config, flat = _model()
    prompt = [1, 4, 2, 7]
    steps = _steps(config, flat, prompt)
    generated = [token for token, _ in steps]
    for i, (_, step) in enumerate(steps):
        assert step.context_ids.tolist() == prompt + generated[:i]


def test_the_lens_does_not_change_what_is_sampled():
    config, flat = _model()
    with_lens = [t for t, _ in _steps(config, flat, [3, 1])]
    without = list(generate_steps((config, None, flat), np.array([3, 1]), **SETTINGS))
    assert [t for t, s in without] == with_lens
    assert all(s is None for _, s in without)


def test_top_five_are_sorted_and_the_most_probable():
    rng = np.random.default_rng(4)
    dist = rng.random(50)
    dist /= dist.sum()
    top = top_candidates(dist)
    assert len(top) == 5
    probs = [p for _, p in top]
    assert probs == sorted(probs, reverse=True)
    assert [i for i, _ in top] == list(np.argsort(-dist)[:5])
    narrow = np.zeros(10)
    narrow[[2, 7]] = [0.75, 0.25]
    assert top_candidates(narrow) == [(2, 0.75), (7, 0.25)]  # top-k/top-p removed the rest


def test_insight_candidates_match_the_distribution_and_the_sampled_token():
    config, flat = _model()
    tokenizer = _StubDecoder()
    for token, step in _steps(config, flat, [5, 6]):
        insight = describe_step(step, tokenizer, "x")
        assert insight.probability == pytest.approx(step.distribution[token])
        probs = [c.probability for c in insight.candidates]
        assert probs == sorted(probs, reverse=True) and 1 <= len(probs) <= 5
        assert probs[0] == pytest.approx(step.distribution.max())
        assert insight.candidates[0].text == f"t{insight.candidates[0].token_id}"
        if insight.sampled_rank is not None:
            assert insight.candidates[insight.sampled_rank].token_id == token


def test_attention_rows_equal_the_full_forward_softmax_rows():
    config, flat = _model()
    prompt = [2, 9, 4, 4, 11]
    steps = _steps(config, flat, prompt)
    sequence = np.array(prompt + [t for t, _ in steps])
    transformer = Transformer(config)
    params = ParamLayout(config).views(flat)
    ws = transformer._workspace(sequence[None, :])
    transformer._forward(params, sequence[None, :], ws)  # the training forward pass keeps att
    for _, step in steps:
        n = step.context_ids.shape[0]
        assert step.attention.shape == (config.layers, config.heads, n)
        np.testing.assert_allclose(step.attention.sum(axis=-1), 1.0, atol=1e-5)
        for layer in range(config.layers):
            full_row = ws.layers[layer].att[0, :, n - 1, :]  # the predicting position's rows
            np.testing.assert_allclose(step.attention[layer], full_row[:, :n], atol=1e-5)
            assert np.all(full_row[:, n:] == 0.0)  # future positions get nothing


def test_attention_after_the_window_slides_covers_the_kept_context():
    config, flat = _model(context=8)
    steps = _steps(config, flat, [1, 2, 3, 4, 5, 6, 7], max_tokens=10)
    transformer = Transformer(config)
    params = ParamLayout(config).views(flat)
    for _, step in steps:
        n = step.context_ids.shape[0]
        assert 1 <= n <= config.context_length and step.attention.shape[-1] == n
        ws = transformer._workspace(step.context_ids[None, :])
        transformer._forward(params, step.context_ids[None, :], ws)
        for layer in range(config.layers):
            np.testing.assert_allclose(step.attention[layer], ws.layers[layer].att[0, :, n - 1, :], atol=1e-5)


def test_stream_with_lens_sends_one_insight_per_token_and_the_same_text():
    tokenizer = build_tokenizer("char", "User: hello there\nAI: hi, general kenobi.<eot>\n")
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=32, dim=16, layers=2, heads=2, seed=2
    )
    flat = init_params(config)
    flat += np.random.default_rng(2).standard_normal(flat.shape).astype(np.float32) * 0.3
    model = (config, tokenizer, flat)
    kwargs = dict(temperature=1.0, top_k=0, top_p=1.0, max_tokens=20, seed=8)
    plain = list(stream(model, "User: hi\nAI:", **kwargs))
    mixed = list(stream(model, "User: hi\nAI:", lens=True, **kwargs))
    pieces = [p for p in mixed if isinstance(p, str)]
    insights = [p for p in mixed if isinstance(p, TokenInsight)]
    assert pieces == plain
    assert insights and "".join(i.text for i in insights).startswith("".join(plain))
    assert all(len(i.candidates) <= 5 for i in insights)


def test_align_to_reply_trims_the_leading_space_and_clips_the_end():
    insights = [_Piece(" hello"), _Piece(" world"), _Piece("\n"), _Piece("user")]
    assert align_to_reply(insights, "hello world") == [(0, "hello"), (1, " world")]
    assert align_to_reply([_Piece(" "), _Piece("ab")], "ab") == [(1, "ab")]


def test_tool_marks_cover_calls_and_results():
    pieces = ["is ", "<calc>", "2", "*", "3", "</calc>", "<result>", "6", "</result>", " ok"]
    assert tool_marks(pieces) == [
        None,
        "call",
        "call",
        "call",
        "call",
        "call",
        "result",
        "result",
        "result",
        None,
    ]
    assert tool_marks(["no", " tools"]) == [None, None]


def test_token_pieces_show_newlines():
    tokenizer = build_tokenizer("char", "ab\n")
    ids = tokenizer.encode("a\nb").tolist()
    assert token_pieces(tokenizer, ids) == ["a", "↵", "b"]


class _StubDecoder:
    def decode(self, ids):
        return "".join(f"t{i}" for i in ids)


class _Piece:
    def __init__(self, text):
        self.text = text


def test_an_inserted_tool_result_gets_its_own_record_and_marks(monkeypatch):
    tok = build_tokenizer("char", "<calc>/ factor 0123456789 <result>=x is prime no so.,ok")
    script = [int(t) for t in tok.encode("<calc>factor 91</calc> ok")]

    def scripted_steps(*args, lens=False, **kwargs):
        for token in script:
            dist = np.zeros(tok.vocab_size)
            dist[token] = 1.0
            context = np.array([token], np.int32)
            yield token, LensStep(token, dist, 1.0, np.ones((1, 1, 1), np.float32), context) if lens else None

    monkeypatch.setattr(sampling, "generate_steps", scripted_steps)
    items = list(stream((None, tok, None), "x", lens=True))
    text = "".join(p for p in items if isinstance(p, str))
    insights = [p for p in items if isinstance(p, TokenInsight)]
    assert "".join(i.text for i in insights) == text
    inserted = [i for i in insights if i.inserted]
    assert [i.text for i in inserted] == ["<result>91 = 7 x 13</result>"]
    assert len(insights) == len(script) + 1
    marks = tool_marks([i.text for i in insights])
    assert marks[: len("<calc>factor 91</calc>")] == ["call"] * len("<calc>factor 91</calc>")
    assert marks[insights.index(inserted[0])] == "result" and marks[-1] is None


def test_strongest_head_is_the_last_layers_most_focused():
    attention = np.full((2, 3, 4), 0.25, np.float32)
    attention[1, 2] = [0.1, 0.7, 0.1, 0.1]
    attention[0, 0] = [1.0, 0, 0, 0]  # an earlier layer does not count
    assert strongest_head(attention) == (1, 2)


def test_context_pieces_read_like_the_text():
    words = build_tokenizer("word", "is 91 prime ? no .\nuser :")
    ids = words.encode("is 91 prime? no.\nuser:").tolist()
    pieces = context_pieces(words, ids)
    assert len(pieces) == len(ids)
    assert "".join(pieces).replace("↵", "") == words.decode(ids)
    assert pieces[1] == " 91" and "↵\n" in "".join(pieces)


def test_bpe_insight_pieces_add_up_to_the_reply_even_across_split_characters():
    tokenizer = build_tokenizer("bpe", "User: héllo wörld ü ñ é\nAI: ok, ça va.<eot>\n" * 20, vocab_size=280)
    config = ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=32, dim=16, layers=1, heads=2, seed=4
    )
    flat = init_params(config)
    flat += np.random.default_rng(3).standard_normal(flat.shape).astype(np.float32) * 0.5
    kwargs = dict(temperature=1.5, top_k=0, top_p=1.0, max_tokens=25, seed=2)
    items = list(stream((config, tokenizer, flat), "User: hi\nAI:", lens=True, **kwargs))
    text = "".join(p for p in items if isinstance(p, str))
    pieces = "".join(p.text for p in items if isinstance(p, TokenInsight))
    assert pieces.startswith(text.rstrip("\ufffd"))
