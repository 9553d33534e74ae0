"""Tokenizers: round trips, `<unk>`, special tokens, word spacing, saving."""

import numpy as np
import pytest

from hyper_prime_spiral.model.chat_format import END_OF_TURN, UNKNOWN
from hyper_prime_spiral.model.tokenizer import (
    CharTokenizer,
    TokenizerError,
    WordTokenizer,
    build_tokenizer,
    join_words,
    tokenizer_from_dict,
)

TEXT = "First Citizen:\nBefore we proceed any further, hear me speak.\nAll: Speak, speak!\n"


def test_char_round_trip_and_specials():
    tok = build_tokenizer("char", TEXT)
    assert tok.kind == "char"
    assert tok.vocab_size == len(set(TEXT)) + 2
    ids = tok.encode(TEXT)
    assert ids.dtype == np.int32
    assert tok.decode(ids) == TEXT
    eot = tok.encode(f"hear{END_OF_TURN}")
    assert list(eot[-1:]) == [tok.eot_id] and len(eot) == 5
    assert tok.decode(tok.encode(f"a{UNKNOWN}h")) == f"a{UNKNOWN}h"


def test_char_unknown_characters_become_unk():
    tok = build_tokenizer("char", "abc")
    ids = tok.encode("abzé")
    assert list(ids[2:]) == [tok.unk_id, tok.unk_id]
    assert tok.decode(ids) == f"ab{UNKNOWN}{UNKNOWN}"


def test_word_tokenizer_lowercases_and_splits_punctuation():
    tok = build_tokenizer("word", TEXT)
    assert tok.decode(tok.encode("Hear me, SPEAK!")) == "hear me, speak!"
    assert tok.decode(tok.encode("first citizen:\nall: speak")) == "first citizen:\nall: speak"


def test_word_unknown_words_map_to_unk_never_dropped():
    tok = build_tokenizer("word", TEXT)
    ids = tok.encode("speak zebra quickly")
    assert list(ids) == [tok.index["speak"], tok.unk_id, tok.unk_id]


def test_word_max_words_keeps_the_most_frequent():
    tok = WordTokenizer.from_text("b b b a a c", max_words=2)
    assert tok.tokens[2:] == ["b", "a"]
    assert tok.encode("c")[0] == tok.unk_id


@pytest.mark.parametrize(
    ("pieces", "expected"),
    [
        ("hello , world .", "hello, world."),
        ('he said " hi ( there ) " !', 'he said "hi (there)"!'),
        ("ai : yes <eot>", "ai: yes<eot>"),
        ("one \n two", "one\ntwo"),
    ],
)
def test_word_decode_rejoins_punctuation(pieces, expected):
    assert join_words(pieces.split(" ")) == expected


@pytest.mark.parametrize("kind", ["char", "word"])
def test_to_dict_round_trip(kind):
    tok = build_tokenizer(kind, TEXT)
    again = tokenizer_from_dict(tok.to_dict())
    assert again == tok
    assert list(again.encode(TEXT)) == list(tok.encode(TEXT))


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "bpe", "tokens": [UNKNOWN, END_OF_TURN]},
        {"kind": "char"},
        {"kind": "char", "tokens": ["a", "b"]},
        {"kind": "char", "tokens": [UNKNOWN, END_OF_TURN, "ab"]},
        {"kind": "word", "tokens": [UNKNOWN, END_OF_TURN, "a", "a"]},
        "not a dict",
    ],
)
def test_from_dict_rejects_bad_data(data):
    with pytest.raises(TokenizerError):
        tokenizer_from_dict(data)


def test_unknown_kind_is_rejected():
    with pytest.raises(TokenizerError, match="unknown tokenizer"):
        build_tokenizer("sentencepiece", TEXT)


def test_char_tokenizer_with_only_special_tokens_encodes_everything_as_unk():
    tok = CharTokenizer.from_text(END_OF_TURN)
    assert tok.vocab_size == 2
    assert list(tok.encode("ab")) == [tok.unk_id, tok.unk_id]


def test_word_decode_keeps_numbers_and_apostrophes_together():
    tok = build_tokenizer("word", "it’s 3.14 at 10:30, 1,000 men")
    assert tok.decode(tok.encode("It’s 3.14 at 10:30, 1,000 men")) == "it's 3.14 at 10:30, 1,000 men"


def test_word_decode_joins_tool_tags_and_powers_like_the_engine_writes_them():
    text = "<calc>factor 360</calc><result>360 = 2^3 x 3^2 x 5</result> 360 = 2^3 x 3^2 x 5."
    tok = build_tokenizer("word", text)
    assert tok.decode(tok.encode(text)) == (
        "<calc>factor 360</calc> <result>360 = 2^3 x 3^2 x 5</result> 360 = 2^3 x 3^2 x 5."
    )
