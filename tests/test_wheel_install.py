"""A new user's install: build the wheel, install it into a fresh virtual environment, and from an
empty working folder under an empty HOME list the models (the built-in one), chat with it, and
train a few steps on a shipped corpus (saved in the user data folder, no ./models created).

Slow (a wheel build and a venv): skipped unless `pytest --run-slow`; .ci/run runs it once.
The fresh environment gets the runtime dependencies from this test environment's site-packages
through a .pth file (no download), but the package itself only from the wheel.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]


def _run(command: list[str], cwd: Path, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, f"{command}: {result.stderr[-2000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    root = tmp_path_factory.mktemp("wheel")
    dist, venv = root / "dist", root / "venv"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        root,
        dict(os.environ),
    )
    (wheel,) = dist.glob("hyper_prime_spiral-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "hyper_prime_spiral/corpora/chat_corpus.txt" in names
    assert any(n.startswith("hyper_prime_spiral/builtin/") and n.endswith("config.json") for n in names)
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], root, dict(os.environ))
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], root, {}
        ).stdout.strip()
    )
    (purelib / "test_dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
        root,
        dict(os.environ),
    )
    home, work = root / "home", root / "work"
    home.mkdir()
    work.mkdir()
    env = {
        "HOME": str(home),
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "SDL_VIDEODRIVER": "dummy",
        "SDL_AUDIODRIVER": "dummy",
    }
    return venv / "bin" / "hyper-prime-spiral", work, home, env


def test_the_installed_package_comes_from_the_wheel(installed):
    command, work, _home, env = installed
    python = command.parent / "python"
    where = _run(
        [str(python), "-c", "import hyper_prime_spiral; print(hyper_prime_spiral.__file__)"], work, env
    )
    assert str(command.parent.parent) in where.stdout  # not this checkout


def test_models_lists_the_builtin_model_from_an_empty_folder(installed):
    command, work, home, env = installed
    document = json.loads(_run([str(command), "models", "--json"], work, env).stdout)
    builtin = [m for m in document["models"] if m["builtin"]]
    assert len(builtin) == 1 and builtin[0]["valid"]
    assert document["save_folder"] == str(home / ".local" / "share" / "hyper-prime-spiral" / "models")


def test_chat_answers_with_the_builtin_model(installed):
    command, work, _home, env = installed
    out = _run(
        [str(command), "chat", "--json", "--seed", "1"], work, env, stdin="what is a prime number\n"
    ).stdout
    record = json.loads(out)
    assert record["user"] == "what is a prime number" and record["reply"] and record["tokens"] > 0


def test_train_a_few_steps_on_a_shipped_corpus_saves_in_the_user_data_folder(installed):
    command, work, home, env = installed
    argv = [str(command), "train", "chat_corpus.txt", "--name", "first", "--steps", "3", "--workers", "1"]
    argv += ["--preset", "tiny", "--context", "32", "--json"]
    done = json.loads(_run(argv, work, env).stdout.splitlines()[-1])
    saved = home / ".local" / "share" / "hyper-prime-spiral" / "models" / "first"
    assert done["event"] == "done" and done["path"] == str(saved)
    assert (saved / "config.json").is_file()
    assert list(work.iterdir()) == []  # nothing created in the working folder (no ./models)
