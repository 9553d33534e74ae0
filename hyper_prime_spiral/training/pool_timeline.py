"""Where a pool step's time goes: each round trip's worker compute, waiting and messaging.

Why: the pool's speed-up over one process is decided by what the workers do *not* overlap
(message latency, waiting for the slower shard, the serial parts of a step). Workers stamp
every command with `time.perf_counter()` (CLOCK_MONOTONIC, comparable across processes on
one machine) and their thread's CPU time; the parent adds its own send and receive times.
The cost is a few clock reads per command, so it is always on.
"""

from __future__ import annotations

import statistics
from collections import deque
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PhaseStamp:
    """One named part of a command inside a worker (e.g. the gradient, a barrier, AdamW)."""

    name: str
    start: float
    end: float
    cpu: float


@dataclass(frozen=True)
class WorkerStamp:
    """One worker's handling of one command: wall-clock start/end, CPU seconds, and its phases."""

    start: float
    end: float
    cpu: float
    phases: tuple[PhaseStamp, ...] = ()


@dataclass(frozen=True)
class RoundTrip:
    """One command sent to every worker and all the answers received."""

    name: str
    sent: float  # parent: before the first send
    received: float  # parent: after the last answer
    workers: tuple[WorkerStamp, ...]

    @property
    def wall(self) -> float:
        return self.received - self.sent

    @property
    def slowest(self) -> float:
        """The longest worker's busy time: the part of the round trip that is real work."""
        return max(w.end - w.start for w in self.workers)

    @property
    def imbalance(self) -> float:
        """How long the fastest worker waits for the slowest to finish."""
        busy = [w.end - w.start for w in self.workers]
        return max(busy) - min(busy)

    @property
    def messaging(self) -> float:
        """Round-trip time not covered by the slowest worker's busy time (pipes, wake-ups)."""
        return max(0.0, self.wall - self.slowest)


@dataclass
class StepTimeline:
    """The round trips of one optimizer step, plus the parent's own time around them."""

    started: float
    finished: float = 0.0
    trips: list[RoundTrip] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return self.finished - self.started


class PoolTimeline:
    """The last `keep` steps of a pool, and a summary of medians for benches."""

    def __init__(self, keep: int = 2000) -> None:
        self.steps: deque[StepTimeline] = deque(maxlen=keep)

    def clear(self) -> None:
        self.steps.clear()

    def summary(self) -> dict[str, float]:
        """Median milliseconds per step of every part; parts add up to the step's wall time."""
        if not self.steps:
            return {}
        ms = 1000.0
        out: dict[str, float] = {"steps": len(self.steps)}
        out["step_ms"] = statistics.median(s.wall for s in self.steps) * ms
        names = [t.name for t in self.steps[-1].trips]
        for i, name in enumerate(names):
            trips = [s.trips[i] for s in self.steps if len(s.trips) > i and s.trips[i].name == name]
            out[f"{name}_slowest_worker_ms"] = statistics.median(t.slowest for t in trips) * ms
            out[f"{name}_cpu_ms"] = statistics.median(max(w.cpu for w in t.workers) for t in trips) * ms
            out[f"{name}_imbalance_ms"] = statistics.median(t.imbalance for t in trips) * ms
            out[f"{name}_messaging_ms"] = statistics.median(t.messaging for t in trips) * ms
            for j, phase in enumerate(p.name for p in trips[-1].workers[0].phases):
                # per phase: the slowest worker's time, its CPU, the spread between workers
                spans = [[w.phases[j] for w in t.workers] for t in trips]
                out[f"{phase}_ms"] = statistics.median(max(p.end - p.start for p in s) for s in spans) * ms
                out[f"{phase}_cpu_ms"] = statistics.median(max(p.cpu for p in s) for s in spans) * ms
                out[f"{phase}_imbalance_ms"] = (
                    statistics.median(max(p.end for p in s) - min(p.end for p in s) for s in spans) * ms
                )
        out["worker_cpu_ms"] = (
            statistics.median(sum(w.cpu for t in s.trips for w in t.workers) for s in self.steps) * ms
        )
        out["parent_ms"] = statistics.median(s.wall - sum(t.wall for t in s.trips) for s in self.steps) * ms
        return {k: round(v, 3) for k, v in out.items()}
