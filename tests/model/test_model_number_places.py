"""Number places: each digit's place in its number, the embedding that carries it, and its files."""

import json

import numpy as np
import pytest

from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ConfigError, ModelConfig
from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.number_places import (
    NOT_A_DIGIT,
    NumberReader,
    break_token_ids,
    digit_token_ids,
    digit_values,
    in_numbers,
    number_places,
    power_token_ids,
    previous_digits,
)
from hyper_prime_spiral.model.params import ParamLayout, parameter_count
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.transformer import Transformer
from hyper_prime_spiral.storage import load_model, save_model

TEXT = (
    "User: is 1000000007 prime?\nAI: <calc>isprime 1000000007</calc> 12 x 3 = 36.<eot>\ndigits 0123456789\n"
    "48 = 2^4 x 3\n"
)


def _digit_mask(tokenizer):
    return digit_values(digit_token_ids(tokenizer), tokenizer.vocab_size) != NOT_A_DIGIT


def _char():
    return build_tokenizer("char", TEXT)


def _places(text: str, places: int = 24) -> list[int]:
    tokenizer = _char()
    mask = _digit_mask(tokenizer)
    return number_places(in_numbers(tokenizer.encode(text), mask), places).tolist()


def test_a_digit_has_its_place_in_the_number_and_the_token_after_it_the_next():
    assert _places("is 1007 x") == [0, 0, 0, 1, 2, 3, 4, 5, 0]
    assert _places("12 3") == [1, 2, 3, 1]
    assert _places("abc") == [0, 0, 0]


def test_places_of_long_numbers_stop_at_the_last_place():
    assert _places("1000000007", places=4) == [1, 2, 3, 3, 3, 3, 3, 3, 3, 3]


def test_places_are_computed_per_row_of_a_batch():
    tokenizer = _char()
    mask = _digit_mask(tokenizer)
    rows = np.stack([tokenizer.encode("7 is 12"), tokenizer.encode("12 is 7")])
    places = number_places(in_numbers(rows, mask), 24)
    np.testing.assert_array_equal(places[1], _places("12 is 7"))
    np.testing.assert_array_equal(places[0], _places("7 is 12"))


def _reader(tokenizer, places: int = 24, orders: int = 16) -> NumberReader:
    return NumberReader(
        digit_token_ids(tokenizer),
        break_token_ids(tokenizer),
        tokenizer.vocab_size,
        places=places,
        orders=orders,
        power_tokens=power_token_ids(tokenizer),
    )


@pytest.mark.parametrize("split", range(1, 40))
def test_features_of_appended_tokens_equal_those_of_the_whole_text(split):
    tokenizer = _char()
    reader = _reader(tokenizer, places=6, orders=3)
    ids = tokenizer.encode("is 1000000007 = 12 x 3?\nAI: <calc>1 2 3</calc> 45")[:40]
    whole = reader.features(ids)
    tail = reader.appended(list(ids[:split]), ids[split:])
    for name in ("places", "previous", "orders"):
        np.testing.assert_array_equal(getattr(tail, name), getattr(whole, name)[split:], err_msg=name)


def _orders(text: str, orders: int = 16) -> list[int]:
    tokenizer = _char()
    return _reader(tokenizer, orders=orders).features(tokenizer.encode(text)).orders.tolist()


def test_each_token_knows_which_number_of_its_stretch_it_is_in_or_comes_next():
    # the " " right after 12 still belongs to it; "x " says: the next number is the second
    assert _orders("12 x 3") == [0, 0, 0, 1, 1, 1]
    assert _orders("a 7") == [0, 0, 0]
    # a line break and the ">" of a tool tag start a new stretch: the answer counts from 1 again
    assert _orders("9 x 7>12\n3") == [0, 0, 1, 1, 1, 0, 0, 0, 0, 0]
    assert _orders("1 2 3 4 5", orders=3) == [0, 0, 1, 1, 2, 2, 2, 2, 2]


def test_a_power_sign_joins_a_base_and_its_exponent_into_one_number():
    tokenizer = _char()
    features = _reader(tokenizer).features(tokenizer.encode("= 2^4 x 3^12 x 5^"))
    assert features.places.tolist() == [0, 0, 1, 2, 3, 4, 0, 0, 1, 2, 3, 4, 5, 0, 0, 1, 2]
    assert features.orders.tolist() == [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]
    assert features.previous.tolist()[2:6] == [10, 2, 10, 4]  # the sign is no digit
    alone = _reader(tokenizer).features(tokenizer.encode("^2 x"))
    assert alone.places.tolist() == [0, 1, 2, 0]  # a sign after no digit is no part of a number
    assert [tokenizer.decode([i]) for i in power_token_ids(tokenizer)] == ["^"]


def test_orders_are_computed_per_row_of_a_batch():
    tokenizer = _char()
    reader = _reader(tokenizer)
    rows = np.stack([tokenizer.encode("7 is 12"), tokenizer.encode("\n2 is 7")])
    orders = reader.features(rows).orders
    assert orders[0].tolist() == _orders("7 is 12") and orders[1].tolist() == _orders("\n2 is 7")


def test_break_tokens_are_those_with_a_new_line_or_the_end_of_a_tag():
    char = _char()
    assert sorted(char.decode([i]) for i in break_token_ids(char)) == ["\n", "<eot>", "<unk>", ">"]
    bpe = build_tokenizer("bpe", TEXT * 20, vocab_size=300)
    texts = [bpe.decode([i]) for i in break_token_ids(bpe)]
    assert {"<calc>", "</calc>", "\n"} <= set(texts) and all("\n" in t or ">" in t for t in texts)


def test_digit_tokens_are_the_ten_digits_in_order_or_none():
    char = _char()
    assert [char.decode([i]) for i in digit_token_ids(char)] == list("0123456789")
    bpe = build_tokenizer("bpe", TEXT * 20, vocab_size=300)
    assert [bpe.decode([i]) for i in digit_token_ids(bpe)] == list("0123456789")
    assert digit_token_ids(build_tokenizer("char", "only 1 and 2 here")) == ()  # not all ten
    word = build_tokenizer("word", "a b c 12 " + " ".join("0123456789"))
    assert digit_token_ids(word) == ()  # "12" is one word there (each digit a word too): nothing to count


def test_each_token_knows_the_digit_before_it():
    tokenizer = _char()
    values = digit_values(digit_token_ids(tokenizer), tokenizer.vocab_size)
    ids = tokenizer.encode("x 907 y")
    assert previous_digits(ids, values).tolist() == [10, 10, 10, 9, 0, 7, 10]
    assert NOT_A_DIGIT == 10


def _config(**extra) -> ModelConfig:
    tokenizer = _char()
    places = {
        "number_places": 8,
        "digit_tokens": digit_token_ids(tokenizer),
        "number_orders": 4,
        "break_tokens": break_token_ids(tokenizer),
        "power_tokens": power_token_ids(tokenizer),
    } | extra
    return ModelConfig(
        vocab_size=tokenizer.vocab_size, context_length=64, dim=16, layers=2, heads=2, **places
    )


@pytest.mark.parametrize(
    ("tensor", "row", "text", "unchanged"),
    [
        ("embed.place", 5, "is 1007 x", 7),  # the token after a 4-digit number
        ("embed.number_order", 1, "is 12 x 7\n1", 6),  # from the "x" after 12 on: the second number
    ],
)
def test_a_number_embedding_changes_the_logits_only_where_its_row_is_used(tensor, row, text, unchanged):
    config = _config()
    layout = ParamLayout(config)
    flat = init_params(config, np.float64)
    flat += np.random.default_rng(1).standard_normal(flat.shape) * 0.3
    views = layout.views(flat)
    model = Transformer(config, np.float64)
    ids = _char().encode(text)[None]
    before = model.logits(views, ids)
    views[tensor][row] += np.linspace(-1, 1, config.dim)
    after = model.logits(views, ids)
    np.testing.assert_allclose(before[0, :unchanged], after[0, :unchanged], rtol=0, atol=1e-12)
    assert np.abs(before[0, unchanged:] - after[0, unchanged:]).min(axis=-1).max() > 1e-3


def test_cached_decoding_gives_the_full_forward_logits_with_places():
    config = _config()
    layout = ParamLayout(config)
    flat = init_params(config, np.float64)
    flat += np.random.default_rng(0).standard_normal(flat.shape) * 0.1
    model = Transformer(config, np.float64)
    ids = _char().encode("is 1000000007 = 12 x 3^2\nAI: <calc>7 8 9</calc> 10")
    full = model.logits(layout.views(flat), ids[None])[0]
    cache = model.new_cache()
    steps = [model.forward_cached(layout.views(flat), ids[:5], cache)]
    steps += [model.forward_cached(layout.views(flat), ids[i : i + 1], cache) for i in range(5, len(ids))]
    np.testing.assert_allclose(np.concatenate(steps), full, rtol=1e-9, atol=1e-9)


def test_config_keeps_places_through_json_and_old_configs_have_none():
    config = _config()
    back = ModelConfig.from_dict(json.loads(json.dumps(config.to_dict())))
    assert back == config
    old = ModelConfig(vocab_size=10)
    assert "number_places" not in old.to_dict() and old.number_places == 0
    assert "number_orders" not in old.to_dict() and old.number_orders == 0
    no_numbers = {"number_places": 0, "digit_tokens": (), "number_orders": 0, "break_tokens": ()}
    no_numbers["power_tokens"] = ()
    assert (
        parameter_count(config)
        == ParamLayout(config).n_params
        == parameter_count(old.__class__(**{**config.to_dict(), **no_numbers})) + (8 + 11 + 4) * 16
    )
    places_only = _config(number_orders=0, break_tokens=(), power_tokens=())
    assert "number_orders" not in places_only.to_dict() and "power_tokens" not in places_only.to_dict()
    assert ModelConfig.from_dict(places_only.to_dict()) == places_only


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"number_places": -1}, "number_places"),
        ({"number_places": "24"}, "number_places"),
        ({"number_places": 1}, "at least 2"),
        ({"digit_tokens": ()}, "digit tokens"),
        ({"digit_tokens": (0, 0)}, "10 distinct"),
        ({"digit_tokens": (1, 2, 3)}, "10 distinct"),
        ({"digit_tokens": (999,)}, "below"),
        ({"digit_tokens": ("1",)}, "below"),
        ({"number_orders": 1}, "at least 2 orders"),
        ({"number_orders": -3}, "number_orders"),
        ({"number_orders": True}, "number_orders"),
        ({"number_places": 0, "digit_tokens": ()}, "number places"),
        ({"break_tokens": (999,)}, "below"),
        ({"number_orders": 0}, "break_tokens are only used by number orders"),
        ({"power_tokens": (999,)}, "power_tokens must be"),
        (
            {"number_places": 0, "digit_tokens": (), "number_orders": 0, "break_tokens": ()},
            "power tokens need",
        ),
    ],
)
def test_impossible_place_settings_are_refused(extra, message):
    with pytest.raises(ConfigError, match=message):
        _config(**extra)


def test_a_model_with_places_saves_and_loads_the_same_logits(tmp_path):
    tokenizer = _char()
    config = _config()
    flat = init_params(config)
    flat += np.random.default_rng(2).standard_normal(flat.shape).astype(np.float32) * 0.05
    save_model(tmp_path / "m", ModelBundle(config, tokenizer, flat))
    loaded = load_model(tmp_path / "m")
    assert loaded.config == config
    ids = tokenizer.encode("is 1007 x")[None]
    np.testing.assert_array_equal(
        Transformer(config).logits(ParamLayout(config).views(flat), ids),
        Transformer(loaded.config).logits(ParamLayout(loaded.config).views(loaded.params), ids),
    )
