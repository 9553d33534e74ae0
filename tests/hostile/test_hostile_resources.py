"""Issue 15, resource use: streaming decode is incremental; a corpus costs a few bytes per token."""

from __future__ import annotations

import numpy as np
import pytest

from hyper_prime_spiral.model.sampling import ReplyText
from hyper_prime_spiral.model.tokenizer import build_tokenizer

WORDS = "he said \" hello , world . \" ( 3 . 14 ) and ' quoted ' 10 : 30 , 1 , 000 done\nnext <eot> ok"
BPE_TEXT = "naïve café – Ωμέγα 漢字 😀 résumé " * 20


def _tokenizer(kind: str):
    if kind == "bpe":
        pytest.importorskip("tokenizers")
        return build_tokenizer("bpe", BPE_TEXT, vocab_size=300)
    return build_tokenizer(kind, WORDS if kind == "word" else BPE_TEXT + WORDS)


# --- 16. each streamed token decodes only itself -----------------------------------------------
@pytest.mark.parametrize("kind", ["char", "word", "bpe"])
def test_the_streamed_reply_text_equals_decoding_the_whole_reply(kind):
    tokenizer = _tokenizer(kind)
    rng = np.random.default_rng(0)
    source = tokenizer.encode(BPE_TEXT + WORDS if kind != "word" else WORDS * 5)
    for trial in range(5):
        ids = [int(i) for i in (source if trial == 0 else rng.integers(2, tokenizer.vocab_size, 300))]
        tail, reply = ids[:8], ids[8:]
        text = ReplyText(tokenizer, tail)
        skip = len(tokenizer.decode(tail))
        for n in range(1, len(reply) + 1):
            streamed = text.extend(reply[n - 1 : n])
            whole = tokenizer.decode(tail + reply[:n])[skip:]
            assert streamed == whole, (kind, trial, n)


def _count_decoded_ids(tokenizer, monkeypatch) -> list[int]:
    """The number of ids of every later `decode` call of this tokenizer's class."""
    sizes: list[int] = []
    real_decode = type(tokenizer).decode

    def counting_decode(self, ids):
        ids = list(ids)
        sizes.append(len(ids))
        return real_decode(self, ids)

    monkeypatch.setattr(type(tokenizer), "decode", counting_decode)
    return sizes


@pytest.mark.parametrize("kind", ["char", "word", "bpe"])
def test_a_long_reply_never_decodes_the_whole_reply_again(kind, monkeypatch):
    """Before: every token decoded tail + reply (n^2 work: 32,000 tokens took 77 s)."""
    tokenizer = _tokenizer(kind)
    sizes = _count_decoded_ids(tokenizer, monkeypatch)
    ids = [int(i) for i in tokenizer.encode(WORDS * 30 if kind == "word" else (BPE_TEXT + WORDS) * 3)][:600]
    text = ReplyText(tokenizer, ids[:8])
    for token in ids[8:]:
        text.extend([token])
    assert len(ids) == 600
    assert max(sizes, default=0) <= 16  # the prompt tail, or a few ids of one unfinished character


def _endless_model(tokenizer):
    """A random model that never ends a reply early: `<eot>` and `<unk>` get the lowest logits."""
    from hyper_prime_spiral.model.bundle import ModelBundle
    from hyper_prime_spiral.model.config import ModelConfig
    from hyper_prime_spiral.model.params import ParamLayout

    config = ModelConfig(tokenizer.vocab_size, context_length=32, dim=16, layers=1, heads=2, tied=False)
    layout = ParamLayout(config)
    params = np.random.default_rng(0).standard_normal(layout.n_params, dtype=np.float32)
    views = layout.views(params)
    for banned in (tokenizer.eot_id, tokenizer.unk_id):
        views["head.out.weight"][:, banned] = -50.0 * np.sign(views["head.ln.bias"])
    views["head.ln.gain"][:] = 0.0
    return ModelBundle(config, tokenizer, params)


def test_streaming_a_long_reply_decodes_each_token_once(monkeypatch):
    from hyper_prime_spiral.model.sampling import stream

    tokenizer = build_tokenizer("char", "abcdefghij klmnop")  # no newline, colon or '<': never stops
    sizes = _count_decoded_ids(tokenizer, monkeypatch)
    text = "".join(stream(_endless_model(tokenizer), "abc", max_tokens=400, seed=1, temperature=1.0))
    assert len(text) == 400
    assert max(sizes, default=0) <= 16  # before: the whole reply, 400 tokens, for the last one


# --- 17. a corpus costs a few bytes per token ----------------------------------------------------
def test_training_on_a_corpus_costs_a_few_bytes_per_character(tmp_path, capsys, monkeypatch):
    """Before: about 25 bytes per character (a 200 MB corpus peaked at 5.0 GB): int64 code points
    and indices of the whole text, a Python set over every character, a per-token int64 index.
    Now the text, 2-byte ids and their split, plus temporaries of one chunk (made small here so
    that a small corpus shows the per-character cost)."""
    import functools
    import tracemalloc

    from hostile_helpers import run_cli

    from hyper_prime_spiral.model import tokenizer
    from hyper_prime_spiral.training import corpus

    small_chunks = functools.partial(getattr(tokenizer, "line_chunks", print), size=1 << 15)
    monkeypatch.setattr(corpus, "line_chunks", small_chunks, raising=False)  # (absent before)
    monkeypatch.setattr(tokenizer, "line_chunks", small_chunks, raising=False)

    line = "the quick brown fox jumps over the lazy dog; primes: 2 3 5 7 11 13.\n"
    corpus = tmp_path / "big.txt"
    corpus.write_text(line * (3_000_000 // len(line)), encoding="utf-8")
    chars = corpus.stat().st_size
    args = ["train", corpus, "--out", tmp_path / "m", "--steps", "1", "--workers", "1", "--tokenizer", "char"]
    args += ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "2"]
    tracemalloc.start()
    try:
        code, _, err = run_cli(args, capsys)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert code == 0, err
    assert peak / chars < 8, f"{peak / chars:.1f} bytes per character"


def test_a_corpus_encoded_in_chunks_gives_the_same_ids_in_the_smallest_type(monkeypatch):
    import functools

    from hyper_prime_spiral.model.tokenizer import line_chunks
    from hyper_prime_spiral.training import corpus

    monkeypatch.setattr(corpus, "line_chunks", functools.partial(line_chunks, size=200))
    text = (BPE_TEXT + "\n  indented\n\n\n" + WORDS + "\n") * 20
    for kind in ("char", "word", "bpe"):
        tokenizer = _tokenizer(kind)
        ids = corpus.encode_corpus(tokenizer, text)
        assert ids.dtype == np.uint16
        assert np.array_equal(ids, tokenizer.encode(text)), kind


@pytest.mark.parametrize(
    "n", [20_480, 3 * 20_480 + 5, 3 * 20_480 + 9_300, 3 * 20_480 + 10_239, 7 * 20_480 + 20_479]
)
def test_the_spread_split_holds_out_every_tenth_block_without_a_per_token_index(n):
    from hyper_prime_spiral.training.data import VAL_BLOCK, split_tokens

    ids = np.random.default_rng(n).integers(0, 60_000, n).astype(np.uint16)
    held = (np.arange(n) // VAL_BLOCK) % 10 == 9  # the rule, per token
    train, val = split_tokens(ids, 0.1, spread=True)
    assert np.array_equal(train, ids[~held]) and np.array_equal(val, ids[held])
    assert train.dtype == val.dtype == np.uint16
