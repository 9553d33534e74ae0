"""`models show / rm / cp / import` on a temporary working folder and user-data folder."""

from __future__ import annotations

import io
import json

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.model.bundle import ModelBundle
from hyper_prime_spiral.model.config import ModelConfig
from hyper_prime_spiral.model.params import ParamLayout
from hyper_prime_spiral.model.tokenizer import build_tokenizer
from hyper_prime_spiral.model.training_record import TrainingRecord
from hyper_prime_spiral.storage import load_model, save_model


def _bundle(seed: int = 0) -> ModelBundle:
    tokenizer = build_tokenizer("char", "hello world, models on disk.\n")
    config = ModelConfig(tokenizer.vocab_size, context_length=8, dim=8, layers=1, heads=2, seed=seed)
    params = __import__("numpy").random.default_rng(seed).standard_normal(ParamLayout(config).n_params)
    return ModelBundle(config, tokenizer, params.astype("float32"), TrainingRecord(steps=7, val_loss=2.5))


def _run(argv, capsys, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_show_prints_config_size_record_and_checks(places, capsys):
    path = save_model(places["cwd_models"] / "alpha", _bundle())
    code, out, err = _run(["models", "show", "alpha"], capsys)
    assert code == 0, err
    assert str(path) in out and "dim=8" in out and "kind=char" in out and "steps: 7" in out
    assert "Checks:     ok" in out and "bytes in" in out
    code, out, _ = _run(["models", "show", path, "--json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["checks_ok"] and doc["parameters"] == _bundle().params.size
    assert doc["bytes"] == sum(f.stat().st_size for f in path.iterdir())


def test_show_reports_a_failed_checksum(places, capsys):
    path = save_model(places["cwd_models"] / "alpha", _bundle())
    block = path / "block_000.safetensors"
    data = bytearray(block.read_bytes())
    data[-1] ^= 0xFF
    block.write_bytes(bytes(data))
    code, out, _ = _run(["models", "show", path], capsys)
    assert code == 1 and "Checks:     FAILED" in out and "block_000.safetensors" in out


def test_rm_asks_and_keeps_the_model_unless_told_yes(places, capsys, monkeypatch):
    path = save_model(places["cwd_models"] / "alpha", _bundle())
    code, _, err = _run(["models", "rm", "alpha"], capsys, stdin="n\n", monkeypatch=monkeypatch)
    assert code == 1 and "Delete the model alpha" in err and "not removed" in err and path.is_dir()
    code, _, _ = _run(["models", "rm", "alpha"], capsys, stdin="", monkeypatch=monkeypatch)  # EOF = no
    assert code == 1 and path.is_dir()
    code, out, _ = _run(["models", "rm", "alpha"], capsys, stdin="y\n", monkeypatch=monkeypatch)
    assert code == 0 and not path.exists() and f"removed {path}" in out
    save_model(path, _bundle())
    code, _, _ = _run(["models", "rm", "--yes", path], capsys)
    assert code == 0 and not path.exists()


def test_rm_refuses_what_is_not_a_model(places, capsys):
    folder = places["tmp"] / "notes"
    folder.mkdir()
    (folder / "keep.txt").write_text("precious")
    code, _, err = _run(["models", "rm", "--yes", folder], capsys)
    assert code == 2 and "not a model directory" in err and (folder / "keep.txt").exists()
    code, _, err = _run(["models", "rm", "--yes", "nobody"], capsys)
    assert code == 2 and "no model named 'nobody'" in err


def test_cp_copies_byte_for_byte_under_a_new_name(places, capsys):
    source = save_model(places["cwd_models"] / "alpha", _bundle())
    (source / "stray.txt").write_text("not part of the model")
    code, out, err = _run(["models", "cp", "alpha", "beta"], capsys)
    assert code == 0, err
    copy = places["user_models"] / "beta"  # copies go to the user data folder
    assert f"to {copy}" in out and not (copy / "stray.txt").exists()
    for name in (source / "config.json", *source.glob("*.safetensors")):
        assert (copy / name.name).read_bytes() == name.read_bytes()
    assert load_model(copy).training.steps == 7
    code, _, err = _run(["models", "cp", "alpha", "beta"], capsys)
    assert code == 2 and "already exists" in err
    code, _, err = _run(["models", "cp", "alpha", "../evil"], capsys)
    assert code == 2 and "invalid model name" in err


def test_import_validates_then_copies_into_the_user_models_folder(places, capsys):
    outside = save_model(places["tmp"] / "downloads" / "gamma", _bundle(seed=3))
    code, out, err = _run(["models", "import", outside], capsys)
    assert code == 0, err
    imported = places["user_models"] / "gamma"
    assert load_model(imported).params.tobytes() == _bundle(seed=3).params.tobytes()
    code, _, _ = _run(["models", "import", outside, "--name", "delta"], capsys)
    assert code == 0 and (places["user_models"] / "delta" / "config.json").exists()

    (outside / "head.safetensors").write_bytes(b"broken")
    code, _, err = _run(["models", "import", outside, "--name", "epsilon"], capsys)
    assert code == 2 and "head.safetensors" in err and len(err.strip().splitlines()) == 1
    assert not (places["user_models"] / "epsilon").exists()
    assert not [p for p in places["user_models"].iterdir() if p.name.startswith(".")]


def test_generate_and_chat_take_a_model_name_that_models_lists(places, capsys, monkeypatch):
    save_model(places["user_models"] / "first", _bundle())
    code, out, err = _run(
        ["generate", "--model", "first", "--max-tokens", "3", "--seed", "1", "hello"], capsys
    )
    assert code == 0 and err == "" and out.strip()
    code, out, err = _run(
        ["chat", "--model", "first", "--json"], capsys, stdin="hello\n", monkeypatch=monkeypatch
    )
    assert code == 0 and json.loads(out.splitlines()[0])["event"] == "reply"
    for command in (["generate", "--model", "nosuch", "hello"], ["chat", "--model", "nosuch"]):
        code, out, err = _run(command, capsys, stdin="hi\n", monkeypatch=monkeypatch)
        assert (
            code == 2
            and out == ""
            and "no model named 'nosuch'" in err
            and len(err.strip().splitlines()) == 1
        )


def test_a_name_in_two_folders_asks_for_the_path_and_an_unknown_one_names_the_folders(places, capsys):
    save_model(places["user_models"] / "twin", _bundle())
    code, out, _ = _run(["--model", "twin", "models", "--json"], capsys)  # the app's --model takes it too
    origins = [m["origin"] for m in json.loads(out)["models"] if m["name"] == "twin"]
    assert code == 0 and origins == ["--model"]  # listed once, where it was named (pinned)
    save_model(places["cwd_models"] / "twin", _bundle(seed=1))
    code, _, err = _run(["models", "show", "twin"], capsys)
    assert code == 2 and "several models are named 'twin'" in err and len(err.strip().splitlines()) == 1
    for argv in (
        ["models", "show", "nosuch"],
        ["models", "rm", "nosuch", "-y"],
        ["models", "cp", "nosuch", "x"],
    ):
        code, _, err = _run(argv, capsys)
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "no model named 'nosuch' in" in err and str(places["user_models"]) in err
