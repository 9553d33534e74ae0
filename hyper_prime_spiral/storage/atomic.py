"""Replace a directory so that a crash at any moment leaves either the old or the new one.

A save writes into a hidden temporary sibling (`.NAME.saving-PID-XXXX`), fsyncs every file
and the directory, then moves it into place. On Linux an overwrite swaps the two directories
in one step (renameat2 RENAME_EXCHANGE); elsewhere the old one is first renamed aside
(`.NAME.replaced-PID-XXXX`) and removed only after the new one is in place.
`recover_leftovers` finishes or undoes whatever a killed writer left behind.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
from pathlib import Path

from hyper_prime_spiral.libc import libc

SAVING_TAG = ".saving-"
REPLACED_TAG = ".replaced-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def temp_sibling(target: Path, tag: str) -> Path:
    """A hidden sibling name that search ignores and `recover_leftovers` recognises."""
    return target.parent / f".{target.name}{tag}{os.getpid()}-{secrets.token_hex(4)}"


def write_file_synced(path: Path, data: bytes) -> None:
    """Write a new file and force it to disk before the directory is published."""
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Make renames and new entries in `path` durable (a no-op where directories cannot be opened)."""
    if os.name == "nt":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_renameat2():
    func = getattr(libc(), "renameat2", None)
    if func is None:
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


_renameat2 = _load_renameat2()


def exchange_paths(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths; False when the platform or filesystem cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def install_directory(staged: Path, target: Path, *, replace: bool) -> None:
    """Move the complete `staged` directory to `target`; with `replace`, the old target goes
    away only once the new one is in place (on failure the old one is put back)."""
    parent = target.parent
    if not replace:
        os.rename(staged, target)
    elif exchange_paths(staged, target):
        fsync_dir(parent)
        shutil.rmtree(staged, ignore_errors=True)  # now holds the previous version
    else:
        aside = temp_sibling(target, REPLACED_TAG)
        os.rename(target, aside)
        try:
            os.rename(staged, target)
        except OSError:
            os.rename(aside, target)
            raise
        fsync_dir(parent)
        shutil.rmtree(aside, ignore_errors=True)
    fsync_dir(parent)


def _leftover_pid(entry_name: str, prefix: str) -> int | None:
    rest = entry_name[len(prefix) :]
    pid_text = rest.split("-", 1)[0]
    return int(pid_text) if pid_text.isdigit() else None


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be saving right now
    if os.name == "nt":
        return False  # os.kill would terminate the process there; assume a finished writer
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def leftovers(target: Path) -> list[Path]:
    """Temporary siblings of `target` left by writers that are no longer running."""
    found = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for tag in (SAVING_TAG, REPLACED_TAG):
        prefix = f".{target.name}{tag}"
        for name in names:
            if name.startswith(prefix):
                pid = _leftover_pid(name, prefix)
                if pid is not None and not _pid_alive(pid):
                    found.append(target.parent / name)
    return found


def recover_leftovers(target: Path) -> list[str]:
    """Undo or finish an interrupted save of `target`; returns what was done (for messages).

    `.saving-` directories are incomplete (or hold an already-replaced old version): delete.
    `.replaced-` directories hold the previous version: restore it if `target` is missing,
    otherwise the new version is complete and the old one can go.
    """
    done = []
    for path in leftovers(target):
        if REPLACED_TAG in path.name and not os.path.lexists(target):
            try:
                os.rename(path, target)
            except FileNotFoundError:
                continue  # another process recovered it first
            fsync_dir(target.parent)
            done.append(f"restored the previous version of {target.name} from an interrupted save")
        else:
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path.name} left by an interrupted save")
    return done
