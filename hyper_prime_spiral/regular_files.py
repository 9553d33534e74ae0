"""Reading a file the user pointed at: only a regular file, and never more than a known bound.

Why: a named pipe blocks its reader forever (until a writer comes), `/dev/zero` never ends, and
a device can be anything; found where a corpus, `config.json`, a tensor file or the settings file
should be, each would hang the program or fill its memory. The file type is checked before the
file is opened (opening a pipe for reading blocks) and again on the open descriptor.
"""

from __future__ import annotations

import errno
import os
import stat

_READ_CHUNK = 1 << 30  # one read() call on Linux returns at most about 2 GiB

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(OSError):
    """The path is not a regular file, or is larger than allowed (`strerror` says which)."""


def file_kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _check_regular(path: str | os.PathLike[str], st: os.stat_result, max_bytes: int | None) -> None:
    if not stat.S_ISREG(st.st_mode):
        raise FileRefused(errno.EINVAL, f"not a regular file ({file_kind(st.st_mode)})", os.fspath(path))
    if max_bytes is not None and st.st_size > max_bytes:
        raise FileRefused(
            errno.EFBIG, f"too large ({st.st_size} bytes; at most {max_bytes} expected)", os.fspath(path)
        )


def check_regular_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> int:
    """The size of `path`, a regular file of at most `max_bytes`; OSError (FileRefused) otherwise."""
    st = os.stat(path)
    _check_regular(path, st, max_bytes)
    return st.st_size


def read_regular_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (at most `max_bytes`); OSError for anything else.

    Reads no more than the size the file had when opened (a file growing meanwhile is cut there).
    """
    check_regular_file(path, max_bytes)
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    with open(fd, "rb", buffering=0, closefd=True) as handle:
        st = os.fstat(fd)
        _check_regular(path, st, max_bytes)  # the path may have been swapped since the first check
        remaining = st.st_size
        chunks = []
        while remaining > 0:
            chunk = handle.read(min(remaining, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
