"""A watcher, in its own session, that cleans up after an MPI rank that dies without finishing.

Why: when one rank of an `mpiexec` job dies, MPICH's launcher kills every other rank's whole
process group with SIGKILL, so no `finally` block runs and no resource tracker survives to
unlink the pool's shared-memory segments (or MPICH's own). This guard is started by each rank
in a new session (out of reach of that kill). It watches which /dev/shm files the rank has
mapped (from /proc/PID/maps). When the rank's pipe closes (the rank has exited) it unlinks
what the rank left behind, unless the rank said "done" (a clean finish: nothing left), and it
names the rank on stderr unless the rank said "done" or "quiet" (it reported its own failure).

Standard library only: it starts in a fraction of a second and never imports MPI or NumPy.

    python -m hyper_prime_spiral.training.rank_guard PID RANK HOST
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

SHM_DIR = Path("/dev/shm")
# Segments the rank's pool (Python's shared_memory), MPICH and Open MPI create; nothing else is touched.
SEGMENT_PREFIXES = ("psm_", "mpich", "vader_segment", "sm_segment")
POLL_S = 0.2
DONE = b"done"
QUIET = b"quiet"


def mapped_segments(pid: int) -> set[str]:
    """Names of the live /dev/shm segments process `pid` has mapped (empty once it is gone)."""
    names: set[str] = set()
    try:
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
            for line in maps:
                path = line.rstrip("\n").split(maxsplit=5)[-1] if line.count(" ") >= 5 else ""
                if not path.startswith(f"{SHM_DIR}/") or path.endswith("(deleted)"):
                    continue
                name = path[len(str(SHM_DIR)) + 1 :]
                if name.startswith(SEGMENT_PREFIXES):
                    names.add(name)
    except OSError:
        pass
    return names


def remove_segments(names: set[str]) -> list[str]:
    """Unlink those of `names` that still exist; returns the ones removed."""
    removed = []
    for name in sorted(names):
        try:
            (SHM_DIR / name).unlink()
            removed.append(name)
        except FileNotFoundError:
            pass
        except OSError as exc:
            _say(f"could not remove /dev/shm/{name}: {exc}")
    return removed


def _say(message: str) -> None:
    """One line on stderr; the launcher may already have closed it (then the clean-up goes on)."""
    try:
        print(f"hyper-prime-spiral: {message}", file=sys.stderr, flush=True)
    except OSError:
        pass


def watch(pid: int, rank: int, host: str) -> int:
    """Until stdin closes: remember the rank's segments; then clean up and report as told.

    Besides polling, the rank can name segments itself ("seg NAME" lines), so a segment made just
    before a kill is not missed when this process gets little CPU."""
    seen = mapped_segments(pid)
    said = b""
    sys.stdout.write("ready\n")  # the rank waits for this: from now on nothing is missed
    sys.stdout.flush()
    stdin = sys.stdin.buffer.raw if hasattr(sys.stdin.buffer, "raw") else sys.stdin.buffer
    while True:
        seen |= mapped_segments(pid)
        ready, _, _ = select.select([stdin], [], [], POLL_S)
        if ready:
            chunk = os.read(stdin.fileno(), 4096)
            if chunk:
                said += chunk
                continue
            break  # the rank closed its end: it has exited (or said goodbye)
    lines = said.decode(errors="replace").splitlines()
    seen |= {line[4:] for line in lines if line.startswith("seg ")}
    if DONE.decode() in lines:
        return 0
    quiet = QUIET.decode() in lines
    if not quiet:  # say it at once: the launcher may stop forwarding output soon
        _say(f"rank {rank} (pid {pid} on {host}) ended before training finished")
    removed = remove_segments(seen)
    if removed and not quiet:
        _say(f"removed {len(removed)} shared-memory segment(s) rank {rank} left")
    return 0


class RankGuard:
    """The rank's side: start the guard, then say `done()` or `quiet()` before a deliberate exit.

    The pipe stays open until this process exits, so the guard acts only after MPI has finalized.
    """

    def __init__(self, rank: int, host: str) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", __name__, str(os.getpid()), str(rank), host],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # out of the process group the MPI launcher kills
        )
        assert self._proc.stdout is not None
        if self._proc.stdout.readline() != b"ready\n":  # it is watching before we make any segment
            raise RuntimeError("the shared-memory guard process did not start")
        self._proc.stdout.close()

    def report(self) -> None:
        """Name this process's current segments to the guard (after making new ones)."""
        names = mapped_segments(os.getpid())
        self._say("".join(f"seg {name}\n" for name in sorted(names)).encode().rstrip(b"\n"))

    def done(self) -> None:
        """A clean finish: the guard removes nothing and says nothing."""
        self._say(DONE)

    def quiet(self) -> None:
        """This rank reported its own failure: the guard cleans up without a second message."""
        self._say(QUIET)

    def _say(self, word: bytes) -> None:
        stdin = self._proc.stdin
        if stdin is None or stdin.closed:
            return
        try:
            stdin.write(word + b"\n")
            stdin.flush()
        except OSError:
            pass


if __name__ == "__main__":
    sys.exit(watch(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]))
