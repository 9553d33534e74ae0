"""Saving never loses the previous model: killed writers, full disks, repeated saves."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from storage_helpers import hidden_entries, make_bundle

from hyper_prime_spiral.storage import ModelFileError, atomic, load_model, save_model
from hyper_prime_spiral.storage.search import find_models

HERE = Path(__file__).parent

# The child saves a new version over `target` and kills itself (SIGKILL) at a chosen moment.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from storage_helpers import make_bundle
    from hyper_prime_spiral.storage import atomic, save_model

    target, moment = sys.argv[1], sys.argv[2]
    die = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    if moment == "writing":
        real_write, count = atomic.write_file_synced, [0]
        def write(path, data):
            count[0] += 1
            if count[0] == 3:
                real_write(path, data[: len(data) // 2])
                die()
            real_write(path, data)
        atomic.write_file_synced = write
    elif moment == "between-renames":
        atomic.exchange_paths = lambda a, b: False
        real_rename = os.rename
        def rename(src, dst):
            real_rename(src, dst)
            if ".replaced-" in str(dst):
                die()
        atomic.os.rename = rename
    elif moment == "after-swap":
        atomic.shutil.rmtree = die
    save_model(target, make_bundle(seed=99), overwrite=True)
    print("not killed")
    """
)


def _kill_during_overwrite(target: Path, moment: str) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), moment],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -9, result.stdout + result.stderr


def test_writer_killed_while_writing_leaves_the_previous_model(tmp_path):
    old = make_bundle(seed=1)
    target = save_model(tmp_path / "m", old)
    _kill_during_overwrite(target, "writing")
    assert any(".m.saving-" in name for name in hidden_entries(tmp_path))  # it really died half-way
    assert load_model(target).params.tobytes() == old.params.tobytes()

    new = make_bundle(seed=2)
    save_model(target, new, overwrite=True)
    assert hidden_entries(tmp_path) == []
    assert load_model(target).params.tobytes() == new.params.tobytes()


@pytest.mark.parametrize("recover_by", ["load_model", "find_models", "find_models_named", "save_model"])
def test_writer_killed_between_the_two_renames_loses_nothing(tmp_path, recover_by):
    old = make_bundle(seed=1)
    target = save_model(tmp_path / "m", old)
    _kill_during_overwrite(target, "between-renames")
    assert not target.exists()
    assert any(".m.replaced-" in name for name in hidden_entries(tmp_path))

    if recover_by == "load_model":
        assert load_model(target).params.tobytes() == old.params.tobytes()
    elif recover_by == "find_models":
        found = find_models(tmp_path)
        assert [m.name for m in found if m.valid] == ["m"]
    elif recover_by == "find_models_named":
        found = find_models(target)
        assert [m.name for m in found if m.valid] == ["m"]
    else:
        with pytest.raises(ModelFileError, match="already exists"):
            save_model(target, make_bundle(seed=3))  # restores first, then refuses to overwrite
    assert load_model(target).params.tobytes() == old.params.tobytes()
    assert hidden_entries(tmp_path) == []


def test_writer_killed_after_the_swap_has_the_new_model_and_next_save_cleans_up(tmp_path):
    # Dies before deleting the previous version (swapped out, or renamed aside without renameat2).
    target = save_model(tmp_path / "m", make_bundle(seed=1))
    _kill_during_overwrite(target, "after-swap")
    assert load_model(target).params.tobytes() == make_bundle(seed=99).params.tobytes()
    assert hidden_entries(tmp_path) != []
    save_model(target, make_bundle(seed=4), overwrite=True)
    assert hidden_entries(tmp_path) == []


@pytest.mark.parametrize("exchange", [True, False])
def test_two_saves_in_a_row_leave_no_temporary_directories(tmp_path, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(atomic, "exchange_paths", lambda a, b: False)
    target = tmp_path / "m"
    save_model(target, make_bundle(seed=1))
    second = make_bundle(seed=2)
    save_model(target, second, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]
    assert load_model(target).params.tobytes() == second.params.tobytes()


def _failing_write(after: int, code: int):
    real_write, count = atomic.write_file_synced, [0]

    def write(path, data):
        count[0] += 1
        if count[0] > after:
            raise OSError(code, os.strerror(code), str(path))
        real_write(path, data)

    return write


def test_full_disk_during_overwrite_keeps_the_old_model(tmp_path, monkeypatch):
    old = make_bundle(seed=1)
    target = save_model(tmp_path / "m", old)
    monkeypatch.setattr(atomic, "write_file_synced", _failing_write(2, errno.ENOSPC))
    with pytest.raises(ModelFileError, match="the disk is full; the previous version is unchanged"):
        save_model(target, make_bundle(seed=2), overwrite=True)
    assert hidden_entries(tmp_path) == []
    assert load_model(target).params.tobytes() == old.params.tobytes()


def test_write_error_on_a_new_model_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "write_file_synced", _failing_write(0, errno.EIO))
    with pytest.raises(ModelFileError, match="Input/output error; nothing was written"):
        save_model(tmp_path / "m", make_bundle())
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_into_place_puts_the_old_model_back(tmp_path, monkeypatch):
    old = make_bundle(seed=1)
    target = save_model(tmp_path / "m", old)
    monkeypatch.setattr(atomic, "exchange_paths", lambda a, b: False)
    real_rename = os.rename

    def rename(src, dst):
        if ".saving-" in str(src):
            raise OSError(errno.EACCES, "Permission denied", str(dst))
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(ModelFileError, match="Permission denied; the previous version is unchanged"):
        save_model(target, make_bundle(seed=2), overwrite=True)
    monkeypatch.undo()
    assert hidden_entries(tmp_path) == []
    assert load_model(target).params.tobytes() == old.params.tobytes()


def test_temporaries_of_a_running_writer_are_left_alone(tmp_path):
    target = save_model(tmp_path / "m", make_bundle(seed=1))
    busy = tmp_path / f".m.saving-{os.getpid()}-feedbeef"  # this process counts as running
    busy.mkdir()
    save_model(target, make_bundle(seed=2), overwrite=True)
    assert busy.exists()


def test_unwritable_parent_gives_a_clear_error(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ModelFileError, match="cannot create or use this folder"):
        save_model(blocker / "sub" / "m", make_bundle())
