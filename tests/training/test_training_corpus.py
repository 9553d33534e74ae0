"""Corpus loading and batching: clear errors for unusable files, correct windows."""

import numpy as np
import pytest

from hyper_prime_spiral.training.corpus import FILE_SEPARATOR, CorpusError, load_corpus
from hyper_prime_spiral.training.data import (
    VAL_BLOCK,
    check_trainable,
    fixed_batches,
    random_batch,
    split_tokens,
)


def test_files_are_joined_in_order(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("first\n", encoding="utf-8")
    b.write_bytes("\ufeffsecond é\r\nline".encode())  # BOM and CRLF
    assert load_corpus([a, b]) == "first" + FILE_SEPARATOR + "second é\nline"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"abc\x00\x01\x02def", "binary"),
        (b"caf\xe9 au lait", "not UTF-8"),
    ],
)
def test_unusable_files_give_a_clear_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "corpus.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(CorpusError, match=message) as info:
        load_corpus([path])
    assert "corpus.txt" in str(info.value)


def test_a_folder_and_no_files_are_errors(tmp_path):
    with pytest.raises(CorpusError, match="folder"):
        load_corpus([tmp_path])
    with pytest.raises(CorpusError, match="no corpus"):
        load_corpus([])


def test_split_holds_out_the_last_tenth():
    ids = np.arange(100)
    train, val = split_tokens(ids)
    assert list(train) == list(range(90)) and list(val) == list(range(90, 100))


def test_spread_split_holds_out_every_tenth_block_of_the_whole_text():
    ids = np.arange(100 * VAL_BLOCK)  # e.g. several files one after another
    train, val = split_tokens(ids, 0.1, spread=True)
    assert len(val) == 10 * VAL_BLOCK and len(train) + len(val) == len(ids)
    assert set(train.tolist()).isdisjoint(val.tolist())
    blocks = sorted(set((val // VAL_BLOCK).tolist()))
    assert blocks == list(range(9, 100, 10))  # from the first tenth of the text to the last
    short = np.arange(5 * VAL_BLOCK)  # too short to spread: the tail, as before
    assert list(split_tokens(short, 0.1, spread=True)[1]) == list(range(4608, 5120))


def test_random_windows_pair_inputs_with_next_tokens():
    ids = np.arange(50)
    x, y = random_batch(ids, 8, 10, np.random.default_rng(0))
    assert x.shape == y.shape == (8, 10)
    np.testing.assert_array_equal(y, x + 1)
    assert x.min() >= 0 and y.max() <= 49


def test_validation_batches_are_fixed_and_shrink_for_short_text():
    ids = np.arange(30)
    a = fixed_batches(ids, 2, 8, 3, seed=1)
    b = fixed_batches(ids, 2, 8, 3, seed=1)
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(a, b, strict=True))
    short = fixed_batches(np.arange(5), 2, 8, 1)
    assert short[0][0].shape == (2, 4)
    assert fixed_batches(np.arange(1), 2, 8, 1) == []


def test_too_short_corpus_is_a_clear_error():
    with pytest.raises(CorpusError, match="at least 9"):
        check_trainable(np.arange(8), context=8)
