"""How the pool's workers meet inside one optimizer step without asking the parent.

Why: a step needs every worker's gradient before the sums, and every partial squared norm
before the clip factor. Going through the parent costs a round trip each (a message to the
parent, which wakes up, and a message back, which wakes each worker), measured 0.4-0.6 ms per
trip against a 35 ms step (docs/design.md, "Measured reasons"). Here workers meet each other
directly: each arrival is a semaphore post, and a waiting worker spins on the semaphore for a
short while (the peer it waits for is normally a fraction of a millisecond away, and a spinning
worker needs no wake-up) before it sleeps on it. Semaphore operations are full memory
barriers, so what a worker wrote to shared memory before arriving is what every worker reads
after the barrier (plain shared-memory flags would need CPU fences NumPy does not expose).

`StepBoard` is the little shared table the workers and the parent read: the abort flag the
parent raises when it closes the pool (a worker waiting for a dead peer then leaves the
barrier instead of waiting for ever), which workers failed this step, and each worker's
partial squared gradient norm.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from typing import Any

import numpy as np

SPIN_S = 0.003  # spin this long at a barrier before sleeping: longer than a usual wait
SLEEP_POLL_S = 0.05  # a sleeping worker looks at the abort flag this often


class BarrierAborted(RuntimeError):
    """The pool is closing while this worker waited for its peers."""


def _acquire(semaphore: Any, aborted: Callable[[], bool]) -> None:
    """Take one token: spin (yielding the core to anyone who wants it), then sleep."""
    if semaphore.acquire(False):
        return
    deadline = time.perf_counter() + SPIN_S
    while time.perf_counter() < deadline:
        if semaphore.acquire(False):
            return
        os.sched_yield()
    while not semaphore.acquire(True, SLEEP_POLL_S):
        if aborted():
            raise BarrierAborted("the training pool is closing")


class WorkerBarrier:
    """A reusable barrier for `parties` processes: worker 0 gathers the others, then lets them go.

    Build it in the parent and pass it to the workers when they are spawned. Gathering at one
    worker keeps successive barriers apart with one semaphore per worker: a fast worker can only
    arrive at the next barrier after worker 0 let it through this one, so worker 0 never counts
    an early arrival as a late one's.
    """

    def __init__(self, parties: int, context: Any) -> None:
        if parties < 1:
            raise ValueError(f"a barrier needs at least one party, got {parties}")
        self.parties = parties
        self._arrived = context.Semaphore(0)
        self._released = [context.Semaphore(0) for _ in range(parties - 1)]

    def wait(self, index: int, aborted: Callable[[], bool]) -> None:
        """Return once all `parties` workers called wait (raise BarrierAborted if `aborted()`)."""
        if index == 0:
            for _ in range(self.parties - 1):
                _acquire(self._arrived, aborted)
            for released in self._released:
                released.release()
        else:
            self._arrived.release()
            _acquire(self._released[index - 1], aborted)


class StepBoard:
    """Views into one shared float64 array: [abort, failed per worker, partial norm per worker]."""

    def __init__(self, array: np.ndarray, workers: int) -> None:
        if array.shape != (self.size(workers),):
            raise ValueError(f"a step board for {workers} workers has {self.size(workers)} cells")
        self._array = array
        self.failed = array[1 : 1 + workers]
        self.partial_norms = array[1 + workers :]  # squared L2 norms of each worker's slice

    @staticmethod
    def size(workers: int) -> int:
        return 1 + 2 * workers

    def abort(self) -> None:
        self._array[0] = 1.0

    def aborted(self) -> bool:
        return bool(self._array[0])

    def any_failed(self) -> bool:
        return bool(self.failed.any())

    def norm(self) -> float:
        """The global gradient norm: the partial sums added in worker order (same on every worker)."""
        total = 0.0
        for partial in self.partial_norms.tolist():
            total += partial
        return math.sqrt(total)
