"""Start, command and stop the training worker processes; notice when one dies.

Why its own module: the process bookkeeping (spawn context, single-thread environment,
waiting on pipes *and* process sentinels so a killed worker never blocks the parent,
orderly then forceful shutdown) is independent of what the workers compute.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import signal
import threading
import time
from collections.abc import Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any

from hyper_prime_spiral.threads import environment, single_thread_env
from hyper_prime_spiral.training.gradient_engine import WorkerCrashed, WorkerError
from hyper_prime_spiral.training.pool_timeline import WorkerStamp
from hyper_prime_spiral.training.worker import WorkerSetup, worker_main

_POLL_S = 0.5


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT while spawning: children inherit the mask, so a Ctrl+C during their start-up
    stays pending until the worker has set it to "ignore" (the parent handles Ctrl+C alone)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def sigint_deferred() -> Iterator[None]:
    """Hold back Ctrl+C during cleanup (main thread only), then raise it once cleanup is done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received and callable(previous):
        previous(signal.SIGINT, None)


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "stopped answering"
    if code < 0:
        return f"died (exit code {code}, killed by signal {-code})"
    return f"died (exit code {code})"


class WorkerProcesses:
    """N spawned workers, one duplex pipe each; every command waits for every answer."""

    def __init__(self, setups: Sequence[WorkerSetup], start_timeout_s: float = 120.0) -> None:
        ctx = mp.get_context("spawn")
        self._procs: list[mp.process.BaseProcess] = []
        self._conns: list[Connection] = []
        self.reports: list[Any] = []
        self.stamps: list[WorkerStamp | None] = [None] * len(setups)  # of each worker's last answer
        try:
            with environment(single_thread_env()), _sigint_blocked():
                for setup in setups:
                    parent_end, child_end = ctx.Pipe(duplex=True)
                    proc = ctx.Process(
                        target=worker_main,
                        args=(setup, child_end),
                        name=f"hps-train-worker-{setup.index}",
                        daemon=True,
                    )
                    proc.start()
                    child_end.close()
                    self._procs.append(proc)
                    self._conns.append(parent_end)
            self.reports = self.collect(timeout_s=start_timeout_s)
        except BaseException:
            self.shutdown()
            raise

    def __len__(self) -> int:
        return len(self._procs)

    @property
    def pids(self) -> list[int | None]:
        return [p.pid for p in self._procs]

    def send(self, index: int, message: tuple) -> None:
        try:
            self._conns[index].send(message)
        except (BrokenPipeError, ConnectionResetError, OSError) as exc:
            self._raise_dead(index, exc)

    def broadcast(self, messages: Sequence[tuple]) -> list[Any]:
        """Send messages[i] to worker i, then wait for all the answers (in worker order)."""
        for index, message in enumerate(messages):
            self.send(index, message)
        return self.collect()

    def collect(self, timeout_s: float | None = None) -> list[Any]:
        """Wait for one answer from every worker, watching for dead processes all along."""
        results: dict[int, Any] = {}
        errors: list[str] = []
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        by_conn = {id(c): i for i, c in enumerate(self._conns)}
        by_sentinel = {p.sentinel: i for i, p in enumerate(self._procs)}
        while len(results) < len(self._conns):
            pending = [c for i, c in enumerate(self._conns) if i not in results]
            ready = wait(pending + list(by_sentinel), timeout=_POLL_S)
            for obj in ready:
                if isinstance(obj, int):
                    continue  # sentinels are checked below, after any last answer is read
                index = by_conn[id(obj)]
                try:
                    status, value, *stamp = obj.recv()
                except (EOFError, OSError) as exc:
                    self._raise_dead(index, exc)
                if stamp:
                    self.stamps[index] = stamp[0]
                if status == "ok":
                    results[index] = value
                else:
                    errors.append(f"training worker {index} failed:\n{value}")
            if errors:  # the pool is unusable now; report at once, the caller closes it
                raise WorkerError("\n".join(errors))
            for sentinel, index in by_sentinel.items():
                if sentinel in ready:  # workers only exit when told to: this one died
                    self._raise_dead(index)
            if deadline is not None and time.monotonic() > deadline and len(results) < len(self._conns):
                missing = [i for i in range(len(self._conns)) if i not in results]
                raise WorkerError(f"training worker(s) {missing} did not answer within {timeout_s:.0f} s")
        return [results[i] for i in range(len(self._conns))]

    def _raise_dead(self, index: int, cause: BaseException | None = None) -> None:
        proc = self._procs[index]
        proc.join(timeout=1.0)
        raise WorkerCrashed(f"training worker {index} {_describe_exit(proc.exitcode)}") from cause

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Ask every worker to stop, wait a little, then terminate (and kill) the rest."""
        for conn in self._conns:
            try:
                conn.send(("stop",))
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + timeout_s
        for proc in self._procs:
            proc.join(timeout=max(0.0, deadline - time.monotonic()))
        for proc in self._procs:
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=2.0)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=2.0)
        for conn in self._conns:
            conn.close()
        for proc in self._procs:
            try:
                proc.close()
            except ValueError:
                pass  # still running after kill: leave it to the OS
        self._procs, self._conns = [], []
