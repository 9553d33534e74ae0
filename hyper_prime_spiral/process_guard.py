"""A child process that ends with its parent: no orphan keeps running after the app is killed.

Why: a spawned worker blocked on a multiprocessing queue never sees end-of-file when its parent
dies (it holds the queue's write end itself), so after a SIGKILL of the app it would wait forever.
`multiprocessing.parent_process().sentinel` becomes readable when the parent is gone, on every
platform; a daemon thread waits on it and ends this process at once.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.connection import wait

EXIT_STATUS = 3  # what the orphan exits with (nobody is left to read it; for logs and tests)


def _wait_then_exit(sentinel: int) -> None:
    wait([sentinel])
    os._exit(EXIT_STATUS)  # no clean-up: the parent that owned every shared resource is gone


def exit_with_parent() -> bool:
    """In a multiprocessing child: leave as soon as the parent dies. False when not a child."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return False
    threading.Thread(
        target=_wait_then_exit, args=(parent.sentinel,), name="exit-with-parent", daemon=True
    ).start()
    return True
