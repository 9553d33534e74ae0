"""A corpus of broken models: each must raise ModelFileError naming the file and the problem."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import safetensors.numpy
from storage_helpers import flip_byte, make_bundle, read_doc, rewrite_tensor_file, write_doc

from hyper_prime_spiral import cli
from hyper_prime_spiral.storage import ModelFileError, load_model, save_model
from hyper_prime_spiral.storage.model_dir import check_model_quickly


def _delete(model: Path, name: str) -> None:
    (model / name).unlink()


def _edit_config(**changes):
    def edit(model: Path) -> None:
        doc = read_doc(model)
        for dotted, value in changes.items():
            section, _, key = dotted.rpartition("__")
            target = doc[section] if section else doc
            target[key] = value
        write_doc(model, doc)

    return edit


def _truncate(model: Path) -> None:
    path = model / "block_001.safetensors"
    path.write_bytes(path.read_bytes()[:-100])


def _block0(model: Path) -> dict[str, np.ndarray]:
    return safetensors.numpy.load((model / "block_000.safetensors").read_bytes())


def _wrong_shape(model: Path) -> None:
    tensors = _block0(model)
    tensors["block.0.attn.qkv.weight"] = np.ascontiguousarray(tensors["block.0.attn.qkv.weight"].T)
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _wrong_dtype(model: Path) -> None:
    tensors = _block0(model)
    tensors["block.0.ln1.gain"] = tensors["block.0.ln1.gain"].astype(np.float64)
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _extra_tensor(model: Path) -> None:
    tensors = _block0(model)
    tensors["block.0.surprise"] = np.zeros(3, dtype=np.float32)
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _missing_tensor(model: Path) -> None:
    tensors = _block0(model)
    del tensors["block.0.ln1.bias"]
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _tensor_of_other_layer(model: Path) -> None:
    tensors = {k.replace("block.0.", "block.1."): v for k, v in _block0(model).items()}
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _fewer_layers_in_config(model: Path) -> None:
    _edit_config(model__layers=1)(model)


def _more_layers_in_config(model: Path) -> None:
    _edit_config(model__layers=3)(model)


def _damaged_header_with_matching_checksum(model: Path) -> None:
    import hashlib

    size = (model / "embeddings.safetensors").stat().st_size
    data = b"\x10\x00\x00\x00\x00\x00\x00\x00{not a header!!}".ljust(size, b"\x00")
    (model / "embeddings.safetensors").write_bytes(data)
    doc = read_doc(model)
    doc["files"]["embeddings.safetensors"] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    write_doc(model, doc)


def _missing_checksum(model: Path) -> None:
    doc = read_doc(model)
    del doc["files"]["head.safetensors"]
    write_doc(model, doc)


def _optimizer_file_deleted(model: Path) -> None:
    _delete(model, "optimizer.safetensors")


def _optimizer_flipped(model: Path) -> None:
    path = model / "optimizer.safetensors"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _duplicate_token(model: Path) -> None:
    doc = read_doc(model)
    doc["tokenizer"]["tokens"][-1] = doc["tokenizer"]["tokens"][-2]
    write_doc(model, doc)


def _tokenizer_wrong_size(model: Path) -> None:
    doc = read_doc(model)
    doc["model"]["vocab_size"] += 1
    write_doc(model, doc)


def _non_finite_weight(model: Path) -> None:
    tensors = _block0(model)
    tensors["block.0.mlp.in.weight"][3, 5] = np.inf
    tensors["block.0.mlp.in.weight"][4, 1] = np.nan
    rewrite_tensor_file(model, "block_000.safetensors", tensors)


def _write_config(content: bytes):
    return lambda model: (model / "config.json").write_bytes(content)


def _deleting(name: str):
    return lambda model: _delete(model, name)


B0, B1, HEAD, EMB, OPT, CFG = (
    "block_000.safetensors",
    "block_001.safetensors",
    "head.safetensors",
    "embeddings.safetensors",
    "optimizer.safetensors",
    "config.json",
)

# case -> (damage, file the message must name, phrase the message must contain)
BROKEN = {
    "missing config": (_deleting(CFG), CFG, "missing"),
    "config not JSON": (_write_config(b"{ this is not json"), CFG, "not valid JSON"),
    "config not UTF-8": (_write_config(b"\xff\xfe\x00"), CFG, "not valid UTF-8"),
    "config is a list": (_write_config(b"[1, 2]"), CFG, "JSON object"),
    "unknown version": (_edit_config(version=99), CFG, "unknown format version 99"),
    "other format": (_edit_config(format="something-else"), CFG, "not a hyper-prime-spiral model"),
    "impossible model config": (_edit_config(model__heads=3), CFG, "invalid model config"),
    "unknown config key": (_edit_config(model__colour="blue"), CFG, "unknown model config keys"),
    "tokenizer section missing": (_edit_config(tokenizer=None), CFG, "'tokenizer' section"),
    "tokenizer of unknown kind": (_edit_config(tokenizer={"kind": "martian"}), CFG, "invalid tokenizer"),
    "tokenizer with duplicate tokens": (_duplicate_token, CFG, "invalid tokenizer"),
    "tokenizer size disagrees": (_tokenizer_wrong_size, CFG, "tokens"),
    "bad optimizer step": (_edit_config(optimizer__step=-4), CFG, "step"),
    "missing layer file": (_deleting(B1), B1, "missing"),
    "missing embeddings": (_deleting(EMB), EMB, "missing"),
    "missing optimizer file": (_deleting(OPT), OPT, "missing"),
    "truncated tensor file": (_truncate, B1, "truncated"),
    "flipped byte": (flip_byte, HEAD, "checksum mismatch"),
    "flipped byte in optimizer": (_optimizer_flipped, OPT, "checksum mismatch"),
    "damaged header": (_damaged_header_with_matching_checksum, EMB, "not a readable safetensors"),
    "missing checksum": (_missing_checksum, CFG, "no checksum recorded for head.safetensors"),
    "wrong shape": (_wrong_shape, B0, "block.0.attn.qkv.weight has shape (48, 16)"),
    "wrong dtype": (_wrong_dtype, B0, "block.0.ln1.gain has dtype float64"),
    "extra tensor": (_extra_tensor, B0, "unexpected tensor(s): block.0.surprise"),
    "missing tensor": (_missing_tensor, B0, "missing tensor(s): block.0.ln1.bias"),
    "non-finite weight": (_non_finite_weight, B0, "block.0.mlp.in.weight holds 2 non-finite value(s)"),
    "tensors of another layer": (_tensor_of_other_layer, B0, "missing tensor(s)"),
    "config has fewer layers than files": (_fewer_layers_in_config, B1, "says 1 layer(s)"),
    "config claims a bigger model": (_edit_config(model__dim=64), CFG, "parameters but the tensor files"),
    "config has more layers than files": (_more_layers_in_config, "block_002.safetensors", "says 3 layer(s)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_model_raises_model_file_error_naming_file_and_problem(tmp_path, case):
    damage, filename, phrase = BROKEN[case]
    model = save_model(tmp_path / "broken", make_bundle())
    damage(model)
    with pytest.raises(ModelFileError) as info:
        load_model(model)
    message = str(info.value)
    assert filename in message, message
    assert phrase in message, message
    assert "\n" not in message


QUICK_CHECK_CASES = ["missing layer file", "truncated tensor file", "config not JSON", "unknown version"]


@pytest.mark.parametrize("case", QUICK_CHECK_CASES)
def test_quick_check_used_for_listing_catches_structural_damage(tmp_path, case):
    damage, filename, phrase = BROKEN[case]
    model = save_model(tmp_path / "broken", make_bundle())
    damage(model)
    with pytest.raises(ModelFileError, match=phrase):
        check_model_quickly(model)


def test_model_file_error_is_a_value_error():
    assert issubclass(ModelFileError, ValueError)


def test_path_that_is_a_file(tmp_path):
    target = tmp_path / "model.bin"
    target.write_bytes(b"\x00" * 10)
    with pytest.raises(ModelFileError, match="is a file, not a model directory"):
        load_model(target)


def test_path_that_does_not_exist(tmp_path):
    with pytest.raises(ModelFileError, match="no such model directory"):
        load_model(tmp_path / "nothing")


def test_empty_directory(tmp_path):
    with pytest.raises(ModelFileError, match="config.json: missing"):
        load_model(tmp_path)


def test_unreadable_directory(tmp_path, monkeypatch):
    # Tests run as root, which ignores chmod 000, so the permission error is simulated.
    model = save_model(tmp_path / "locked", make_bundle())
    real_listdir = os.listdir

    def listdir(path="."):
        if Path(path) == model:
            raise PermissionError(13, "Permission denied", str(path))
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    with pytest.raises(ModelFileError, match="locked: cannot read: Permission denied"):
        load_model(model)


def test_unreadable_tensor_file(tmp_path, monkeypatch):
    from hyper_prime_spiral.storage import model_dir

    model = save_model(tmp_path / "m", make_bundle())
    real_read = model_dir.read_regular_file

    def read_regular_file(path, max_bytes=None):
        if Path(path).name == "head.safetensors":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path, max_bytes)

    monkeypatch.setattr(model_dir, "read_regular_file", read_regular_file)
    with pytest.raises(ModelFileError, match="head.safetensors: cannot read: Permission denied"):
        load_model(model)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(cwd), "XDG_DATA_HOME": str(cwd / "data")}
    env.pop("HYPER_PRIME_SPIRAL_MODEL", None)
    return subprocess.run(
        [sys.executable, "-m", "hyper_prime_spiral", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_models_cli_with_broken_model_exits_2_with_one_line(tmp_path):
    model = save_model(tmp_path / "broken", make_bundle())
    flip_byte(model)
    (model / "block_000.safetensors").unlink()
    result = _cli("--model", str(model), "models", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert "block_000.safetensors: missing" in lines[0]


def test_models_cli_with_missing_path_exits_2_with_one_line(tmp_path):
    result = _cli("models", "--model", str(tmp_path / "absent"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no such file or directory" in result.stderr


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_generate_with_broken_model_exits_2_with_one_line(tmp_path, capsys, case):
    damage, filename, phrase = BROKEN[case]
    model = save_model(tmp_path / "broken", make_bundle())
    damage(model)
    assert cli.main(["generate", "--model", str(model), "hello"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and filename in lines[0] and phrase in lines[0]
    assert captured.out == ""


def test_generate_with_a_file_as_model_exits_2(tmp_path, capsys):
    target = tmp_path / "model.txt"
    target.write_text("not a model")
    assert cli.main(["generate", "--model", str(target), "hello"]) == 2
    assert "is a file, not a model directory" in capsys.readouterr().err
