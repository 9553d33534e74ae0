"""Save -> load gives back exactly what was saved: every tensor, the tokenizer, the optimizer."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from storage_helpers import make_bundle, read_doc

from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.storage import ModelFileError, load_model, save_model


@pytest.mark.parametrize("tied", [True, False])
def test_every_tensor_round_trips_bit_exact(tmp_path, tied):
    original = make_bundle(seed=3, tied=tied)
    path = save_model(tmp_path / "m", original)
    loaded = load_model(path)
    assert loaded.path == path
    assert loaded.config == original.config
    assert loaded.params.dtype == np.float32
    assert loaded.params.tobytes() == original.params.tobytes()
    layout = ParamLayout(original.config)
    before, after = layout.views(original.params), layout.views(loaded.params)
    for name in before:
        assert after[name].tobytes() == before[name].tobytes(), name


def test_optimizer_state_round_trips_bit_exact(tmp_path, bundle):
    loaded = load_model(save_model(tmp_path / "m", bundle))
    assert loaded.optimizer is not None
    assert loaded.optimizer.step == bundle.optimizer.step
    assert loaded.optimizer.m.tobytes() == bundle.optimizer.m.tobytes()
    assert loaded.optimizer.v.tobytes() == bundle.optimizer.v.tobytes()


def test_model_without_optimizer_has_no_optimizer_file(tmp_path):
    original = make_bundle(optimizer=False)
    path = save_model(tmp_path / "m", original)
    assert not (path / "optimizer.safetensors").exists()
    assert load_model(path).optimizer is None


@pytest.mark.parametrize("kind", ["char", "word"])
def test_tokenizer_round_trips(tmp_path, kind):
    bundle = make_bundle(tokenizer_kind=kind)
    loaded = load_model(save_model(tmp_path / "m", bundle))
    assert loaded.tokenizer.to_dict() == bundle.tokenizer.to_dict()
    assert loaded.tokenizer.kind == bundle.tokenizer.kind
    text = "the lazy fox<eot>"
    ids = bundle.tokenizer.encode(text)
    assert np.array_equal(loaded.tokenizer.encode(text), ids)
    assert loaded.tokenizer.decode(ids) == bundle.tokenizer.decode(ids)


def test_files_follow_the_documented_layout(tmp_path, bundle):
    path = save_model(tmp_path / "m", bundle)
    names = sorted(p.name for p in path.iterdir())
    assert names == [
        "block_000.safetensors",
        "block_001.safetensors",
        "config.json",
        "embeddings.safetensors",
        "head.safetensors",
        "optimizer.safetensors",
    ]
    doc = read_doc(path)
    assert doc["format"] == "hyper-prime-spiral-model" and doc["version"] == 1
    assert set(doc["files"]) == set(names) - {"config.json"}
    assert doc["training"]["corpus_files"] == ["a.txt"]


def test_logits_after_reload_equal_logits_before(tmp_path):
    transformer_module = pytest.importorskip("hyper_prime_spiral.model.transformer")
    original = make_bundle(seed=5, tied=False)
    loaded = load_model(save_model(tmp_path / "m", original))
    x = np.array([[1, 2, 3, 4, 5, 6]], dtype=np.int32)
    model = transformer_module.Transformer(original.config)
    layout = ParamLayout(original.config)
    before = model.logits(layout.views(original.params), x)
    after = model.logits(layout.views(loaded.params), x)
    assert np.array_equal(before, after)


def test_overwrite_keeps_created_and_updates_the_rest(tmp_path, bundle):
    path = save_model(tmp_path / "m", bundle)
    doc = read_doc(path)
    doc["training"]["created"] = "2020-01-02T03:04:05+00:00"
    (path / "config.json").write_text(json.dumps(doc))  # pretend it was created long ago
    newer = make_bundle(seed=9)
    save_model(path, newer, overwrite=True)
    loaded = load_model(path)
    assert loaded.training.created == "2020-01-02T03:04:05+00:00"
    assert loaded.training.updated > "2020-01-02"
    assert loaded.params.tobytes() == newer.params.tobytes()


def test_existing_model_is_refused_without_overwrite(tmp_path, bundle):
    path = save_model(tmp_path / "m", bundle)
    with pytest.raises(ModelFileError, match="already exists"):
        save_model(path, make_bundle(seed=1))
    assert load_model(path).params.tobytes() == bundle.params.tobytes()


def test_overwrite_refuses_a_folder_that_is_not_a_model(tmp_path, bundle):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "diary.txt").write_text("precious")
    with pytest.raises(ModelFileError, match="not a model"):
        save_model(folder, bundle, overwrite=True)
    assert (folder / "diary.txt").read_text() == "precious"


def test_overwrite_refuses_a_file(tmp_path, bundle):
    target = tmp_path / "m"
    target.write_text("x")
    with pytest.raises(ModelFileError, match="not a model directory"):
        save_model(target, bundle, overwrite=True)


def test_bad_bundles_are_refused_before_writing(tmp_path, bundle):
    bad_dtype = make_bundle()
    bad_dtype.params = bad_dtype.params.astype(np.float64)
    with pytest.raises(ModelFileError, match="float32"):
        save_model(tmp_path / "a", bad_dtype)
    short = make_bundle()
    short.params = short.params[:-1]
    with pytest.raises(ModelFileError, match="flat float32 array"):
        save_model(tmp_path / "b", short)
    bad_moment = make_bundle()
    bad_moment.optimizer.m = bad_moment.optimizer.m[:5]
    with pytest.raises(ModelFileError, match="optimizer moment m"):
        save_model(tmp_path / "c", bad_moment)
    unserialisable = make_bundle()
    unserialisable.training.extra["when"] = object()
    with pytest.raises(ModelFileError, match="not JSON"):
        save_model(tmp_path / "d", unserialisable)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_numpy_scalars_in_summary_are_saved_as_numbers(tmp_path, bundle):
    bundle.training.val_loss = np.float32(1.5)
    bundle.training.steps = np.int64(12)
    loaded = load_model(save_model(tmp_path / "m", bundle))
    assert loaded.training.val_loss == 1.5 and loaded.training.steps == 12


def test_loaded_params_are_a_writable_contiguous_buffer(tmp_path, bundle):
    loaded = load_model(save_model(tmp_path / "m", bundle))
    assert loaded.params.flags.c_contiguous and loaded.params.flags.writeable
    loaded.params[0] += 1.0


def test_generation_after_reload_equals_generation_before(tmp_path):
    sampling = pytest.importorskip("hyper_prime_spiral.model.sampling")
    original = make_bundle(seed=7)
    loaded = load_model(save_model(tmp_path / "m", original))
    prompt = original.tokenizer.encode("the quick ")
    settings = {"temperature": 1.0, "top_k": 0, "top_p": 1.0, "max_tokens": 24, "seed": 11}
    before = list(sampling.generate_ids(original, prompt, **settings))
    after = list(sampling.generate_ids(loaded, prompt, **settings))
    assert len(before) == 24 and after == before
    text_settings = (1.0, 0, 1.0, 24, 11)
    reply_before = sampling.generate(original, "hello ", *text_settings)
    assert sampling.generate(loaded, "hello ", *text_settings) == reply_before


def test_an_empty_directory_is_filled_without_overwrite(tmp_path, bundle):
    (tmp_path / "made-by-user").mkdir()
    path = save_model(tmp_path / "made-by-user", bundle)
    assert load_model(path).params.tobytes() == bundle.params.tobytes()


def test_save_leaves_the_bundle_unchanged_and_a_new_path_gets_a_new_created_time(tmp_path, bundle):
    bundle.training.created = "1999-01-01T00:00:00+00:00"  # from the model it was loaded from
    record_before = replace(bundle.training)
    path = save_model(tmp_path / "copy", bundle)
    assert bundle.path is None and bundle.training == record_before
    training = read_doc(path)["training"]
    assert training["created"] == training["updated"] > "2000"


def test_storage_code_never_uses_pickle():
    import hyper_prime_spiral.storage as storage_package

    for source in Path(storage_package.__file__).parent.glob("*.py"):
        text = source.read_text()
        for forbidden in ("import pickle", "np.load(", "allow_pickle"):
            assert forbidden not in text, f"{source.name} uses {forbidden}"
