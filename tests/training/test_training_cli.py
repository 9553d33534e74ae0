"""`hyper-prime-spiral train` / `generate`: the JSON contract and one-line errors with exit status 2."""

import json

import pytest

from hyper_prime_spiral.cli import main
from hyper_prime_spiral.storage.search import user_models_folder

CORPUS = "to be or not to be, that is the question.\n" * 30
TINY = ["--layers", "1", "--dim", "16", "--heads", "2", "--context", "16", "--batch", "4", "--workers", "1"]


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(CORPUS, encoding="utf-8")
    return path


def _run(argv, capsys):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_train_json_lines_then_generate(tmp_path, corpus, capsys):
    out_dir = tmp_path / "model"
    code, out, err = _run(
        ["train", corpus, "--out", out_dir, "--steps", "6", "--eval-every", "3", "--json"]
        + ["--tokenizer", "char", *TINY],
        capsys,
    )
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert all(line["event"] in ("progress", "eval", "done") for line in lines)
    evals = [line for line in lines if line["event"] == "eval"]
    assert [line["step"] for line in evals] == [3, 6]
    for line in evals:
        assert {"step", "epoch", "train_loss", "val_loss", "tokens_per_s", "elapsed_s", "eta_s"} <= set(line)
    done = lines[-1]
    assert done["event"] == "done" and done["steps"] == 6 and done["path"] == str(out_dir.absolute())
    assert {"val_loss", "elapsed_s"} <= set(done)
    assert (out_dir / "config.json").exists()

    code, out, err = _run(
        ["generate", "--model", out_dir, "--max-tokens", "12", "--seed", "1", "to be"], capsys
    )
    assert code == 0, err
    assert len(out.rstrip("\n")) <= 12 * 1  # char tokens: at most one character each


def _assert_usage_error(code, err, fragment):
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert fragment in err


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--steps", "-3"], "--steps"),
        (["--lr", "fast"], "--lr"),
        (["--dim", "30", "--heads", "4"], "not divisible"),
        (["--steps", "2", "--epochs", "1"], "not allowed with"),
        (["--min-lr", "1", "--lr", "0.1"], "min_lr"),
        (["--tokenizer", "sentencepiece"], "--tokenizer"),
    ],
)
def test_train_bad_input_exits_2_with_one_line(tmp_path, corpus, capsys, extra, fragment):
    code, _, err = _run(["train", corpus, "--out", tmp_path / "m", "--workers", "1", *extra], capsys)
    _assert_usage_error(code, err, fragment)
    assert not (tmp_path / "m").exists()


def test_train_missing_or_binary_file(tmp_path, capsys):
    code, _, err = _run(["train", tmp_path / "nope.txt", "--out", tmp_path / "m"], capsys)
    _assert_usage_error(code, err, "no such file")
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02" * 10)
    code, _, err = _run(["train", binary, "--out", tmp_path / "m"], capsys)
    _assert_usage_error(code, err, "binary")


def test_train_refuses_to_replace_a_model_without_overwrite(tmp_path, corpus, capsys):
    target = tmp_path / "m"
    target.mkdir()
    (target / "keep.txt").write_text("precious")
    code, _, err = _run(["train", corpus, "--out", target, "--steps", "1", *TINY], capsys)
    _assert_usage_error(code, err, "--overwrite")
    assert (target / "keep.txt").read_text() == "precious"


def test_train_corpus_too_short_for_the_context(tmp_path, capsys):
    short = tmp_path / "short.txt"
    short.write_text("abc")
    code, _, err = _run(["train", short, "--out", tmp_path / "m", "--workers", "1"], capsys)
    _assert_usage_error(code, err, "shorter context")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["generate", "--model", "{tmp}/missing", "hi"], "missing"),
        (["generate", "--model", "{tmp}", "--top-p", "2", "hi"], "--top-p"),
        (["generate", "--model", "{tmp}", "--temperature", "-1", "hi"], "--temperature"),
        (["generate", "--model", "{tmp}", "--max-tokens", "x", "hi"], "--max-tokens"),
    ],
)
def test_generate_bad_input_exits_2_with_one_line(tmp_path, capsys, argv, fragment):
    code, _, err = _run([a.replace("{tmp}", str(tmp_path)) for a in argv], capsys)
    _assert_usage_error(code, err, fragment)


def test_name_saves_into_the_models_folder_and_resume_continues(tmp_path, corpus, capsys, monkeypatch):
    from hyper_prime_spiral.storage.model_dir import load_model

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HYPER_PRIME_SPIRAL_MODEL", raising=False)
    code, out, err = _run(["train", corpus, "--name", "poem", "--steps", "3", "--json", *TINY], capsys)
    assert code == 0, err
    path = json.loads(out.splitlines()[-1])["path"]
    assert path == str(user_models_folder() / "poem")  # the user data folder, not ./models
    assert not (tmp_path / "models").exists()
    code, out, err = _run(
        ["train", corpus, "--resume", path, "--steps", "2", "--json", "--workers", "1"], capsys
    )
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["path"] == path
    bundle = load_model(path)
    assert bundle.optimizer is not None and bundle.optimizer.step == 5
    code, out, err = _run(  # the name `models` lists works as well as the path
        ["train", corpus, "--resume", "poem", "--steps", "2", "--json", "--workers", "1"], capsys
    )
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["path"] == path
    assert load_model(path).optimizer.step == 7


def test_bad_model_name_and_bad_resume_dir(tmp_path, corpus, capsys):
    code, _, err = _run(["train", corpus, "--name", "../escape", "--workers", "1"], capsys)
    _assert_usage_error(code, err, "name")
    code, _, err = _run(["train", corpus, "--resume", tmp_path / "nothing", "--workers", "1"], capsys)
    _assert_usage_error(code, err, "cannot resume")
    code, _, err = _run(["train", corpus, "--resume", "nosuch", "--workers", "1"], capsys)
    _assert_usage_error(code, err, "cannot resume")
    assert "no model named 'nosuch' in" in err and str(user_models_folder()) in err
