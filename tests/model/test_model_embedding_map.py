"""The embedding map: PCA equals a direct SVD, neighbours equal a brute-force cosine ranking."""

import numpy as np
import pytest

from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.embedding_map import embedding_map, map_of, principal_components
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer import build_tokenizer


def _matrix(rows=40, cols=12, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((rows, cols)) * np.linspace(3.0, 0.2, cols) + 5.0


def test_pca_matches_a_direct_svd_up_to_sign():
    x = _matrix()
    coords, shares = principal_components(x)
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred)
    direct = centred @ vt[:2].T
    for c in range(2):
        sign = np.sign(coords[:, c] @ direct[:, c])
        np.testing.assert_allclose(coords[:, c], sign * direct[:, c], atol=1e-9)
    np.testing.assert_allclose(shares, s[:2] ** 2 / np.sum(s**2))
    assert shares[0] >= shares[1] > 0
    # the components are the directions of largest variance: no other unit direction beats the first
    variance = np.var(coords[:, 0])
    for direction in np.random.default_rng(1).standard_normal((20, x.shape[1])):
        direction /= np.linalg.norm(direction)
        assert np.var(centred @ direction) <= variance + 1e-9


def test_neighbours_are_the_highest_cosine_similarities():
    x = _matrix(30, 8, seed=3)
    emap = map_of(x.astype(np.float32), [f"w{i}" for i in range(30)])
    for index in (0, 7, 29):
        unit = x / np.linalg.norm(x, axis=1, keepdims=True)
        sims = unit @ unit[index]
        order = [int(i) for i in np.argsort(-sims) if i != index][:8]
        got = emap.neighbours(index)
        assert [i for i, _ in got] == order
        np.testing.assert_allclose([s for _, s in got], sims[order], rtol=1e-5)


def test_a_models_map_uses_its_token_embeddings_and_labels():
    tokenizer = build_tokenizer("word", "one two three 1 2 3 hello world .\n")
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    flat = init_params(config)
    emap = embedding_map((config, tokenizer, flat))
    embed = ParamLayout(config).views(flat)["embed.token"]
    np.testing.assert_allclose(emap.points, principal_components(embed)[0])
    assert emap.labels[tokenizer.index["two"]] == "two" and emap.labels[tokenizer.index["\n"]] == "↵"
    assert emap.find("TWO") == [tokenizer.index["two"]]
    assert set(emap.find("th")) == {tokenizer.index["three"]}
    assert emap.find("  ") == [] and emap.find("zebra") == []


def test_labels_must_match_the_rows():
    with pytest.raises(ValueError, match="labels"):
        map_of(np.ones((3, 2), np.float32), ["a", "b"])


def test_token_groups():
    from hyper_prime_spiral.model.embedding_map import token_group

    assert [token_group(t) for t in ("7", "1999", "Seven", "hundred", "sky", "7th", "")] == [
        "digits",
        "digits",
        "number word",
        "number word",
        "other",
        "other",
        "other",
    ]


def test_a_bpe_models_map_labels_every_token():
    tokenizer = build_tokenizer("bpe", "one two three 1 2 3 hello world. " * 30, vocab_size=300)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    emap = embedding_map((config, tokenizer, init_params(config)))
    assert len(emap.labels) == tokenizer.vocab_size and all(emap.labels)
    assert emap.points.shape == (tokenizer.vocab_size, 2)
