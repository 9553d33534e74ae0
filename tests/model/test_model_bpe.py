"""Byte-level BPE: any text round-trips without <unk>, digits are single tokens, saved as tokenizer.json."""

import json
import random

import numpy as np
import pytest

from hyper_prime_spiral.model.bpe import TOKENIZER_FILE, BpeError, BpeTokenizer
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.chat_format import SPECIAL_TOKENS, TOOL_TAGS
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.tokenizer import TokenizerError, build_tokenizer, tokenizer_from_dict
from hyper_prime_spiral.storage import ModelFileError, load_model, save_model

CORPUS = (
    "User: is 91 prime?\n"
    "AI: <calc>isprime 91</calc><result>91 is not prime: 91 = 7 x 13</result> no.<eot>\n\n"
    "User: why is the sky blue?\nAI: air scatters blue light more than red light.<eot>\n\n"
) * 20


@pytest.fixture(scope="module")
def tok():
    return BpeTokenizer.from_text(CORPUS, vocab_size=300)


def _random_text(rng: random.Random, length: int) -> str:
    ranges = [(0x20, 0x7E), (0x0A, 0x0A), (0xA0, 0x24F), (0x391, 0x3C9), (0x4E00, 0x4FFF), (0x1F300, 0x1F64F)]
    ranges += [(0x0, 0x1F), (0xE000, 0xE0FF)]  # control characters and private use, too
    chars = []
    for _ in range(length):
        lo, hi = rng.choice(ranges)
        chars.append(chr(rng.randint(lo, hi)))
    return "".join(chars)


def test_arbitrary_unicode_round_trips_and_is_never_unknown(tok):
    rng = random.Random(3)
    for length in (0, 1, 5, 50, 400):
        for _ in range(10):
            text = _random_text(rng, length)
            ids = tok.encode(text)
            assert tok.unk_id not in ids.tolist()
            assert tok.decode(ids) == text
    mixed = "Ünïcödé ✓ 日本語 🙂\t  two  spaces\r\n<eot> and <calc>factor 91</calc>"
    assert tok.decode(tok.encode(mixed)) == mixed


def test_every_digit_is_its_own_token(tok):
    number = "600851475143"
    ids = tok.encode(f"factor {number} please")
    pieces = [tok.decode([i]) for i in ids]
    assert [p for p in pieces if any(c.isdigit() for c in p)] == list(number)
    assert all(len(tok.encode(d)) == 1 for d in "0123456789")


def test_special_tokens_and_tool_tags_are_atomic_with_fixed_ids(tok):
    for expected, token in enumerate((*SPECIAL_TOKENS, *TOOL_TAGS)):
        assert tok.encode(token).tolist() == [expected]
    assert tok.unk_id == 0 and tok.eot_id == 1
    assert tok.encode("x<calc>").tolist()[-1] == 2


def test_training_is_deterministic_and_the_size_is_a_setting():
    a = BpeTokenizer.from_text(CORPUS, vocab_size=280)
    b = BpeTokenizer.from_text(CORPUS, vocab_size=280)
    assert a == b and a.vocab_size <= 280
    assert build_tokenizer("bpe", CORPUS, vocab_size=300).vocab_size > a.vocab_size
    with pytest.raises(TokenizerError, match="between"):
        build_tokenizer("bpe", CORPUS, vocab_size=100)


def test_saved_with_the_model_as_standard_tokenizer_json(tmp_path, tok):
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    path = save_model(tmp_path / "m", ModelBundle(config, tok, init_params(config)))
    doc = json.loads((path / "config.json").read_text())
    assert doc["tokenizer"] == {"kind": "bpe", "file": TOKENIZER_FILE, "vocab_size": tok.vocab_size}
    standard = json.loads((path / TOKENIZER_FILE).read_text())
    assert standard["model"]["type"] == "BPE" and TOKENIZER_FILE in doc["files"]
    loaded = load_model(path)
    assert loaded.tokenizer == tok
    text = "is 1234567 prime? 🙂"
    assert np.array_equal(loaded.tokenizer.encode(text), tok.encode(text))


def test_a_damaged_or_missing_tokenizer_json_is_refused_naming_the_file(tmp_path, tok):
    config = ModelConfig(vocab_size=tok.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    path = save_model(tmp_path / "m", ModelBundle(config, tok, init_params(config)))
    data = (path / TOKENIZER_FILE).read_bytes()
    (path / TOKENIZER_FILE).write_bytes(data.replace(b'"BPE"', b'"BPX"'))
    with pytest.raises(ModelFileError, match=f"{TOKENIZER_FILE}: checksum mismatch"):
        load_model(path)
    (path / TOKENIZER_FILE).unlink()
    with pytest.raises(ModelFileError, match=f"{TOKENIZER_FILE}: missing"):
        load_model(path)


def test_restore_refuses_a_foreign_or_broken_tokenizer_json(tok):
    with pytest.raises(BpeError, match="not a valid tokenizer"):
        BpeTokenizer.from_json("{not json")
    from tokenizers import Tokenizer, models

    foreign = Tokenizer(models.BPE(vocab={"a": 0, "b": 1, "<unk>": 2}, merges=[], unk_token="<unk>"))
    with pytest.raises(TokenizerError, match="must have id 0"):  # a tokenizer.json of another model
        BpeTokenizer.from_json(foreign.to_str())
    with pytest.raises(TokenizerError, match="missing"):
        tokenizer_from_dict(tok.to_dict(), {})


@pytest.mark.parametrize("kind", ["char", "word"])
def test_char_and_word_models_keep_the_old_format_and_load(tmp_path, kind):
    tokenizer = build_tokenizer(kind, CORPUS)
    config = ModelConfig(vocab_size=tokenizer.vocab_size, context_length=8, dim=8, layers=1, heads=2)
    path = save_model(tmp_path / kind, ModelBundle(config, tokenizer, init_params(config)))
    doc = json.loads((path / "config.json").read_text())
    assert set(doc["tokenizer"]) == {"kind", "tokens"} and not (path / TOKENIZER_FILE).exists()
    assert load_model(path).tokenizer == tokenizer
