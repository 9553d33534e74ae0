"""What `train` does differently when `mpiexec` started it: one rank of a data-parallel job.

Why its own module: `commands/train.py` stays the single-machine command with a few hooks;
everything about ranks (agreeing that every rank is ready, who reports, how a failure ends the
whole job, the final cross-rank check) is here. Nothing imports MPI unless `join()` finds an
MPI launcher in the environment.

Rules: every rank reads the corpus (same path on every host, or a shared folder) and builds the
same model; rank 0 alone checks the save target, prints, and saves. A set-up problem on any
rank ends every rank with exit status 2 and one line from rank 0 naming the ranks. A failure
every rank sees at once (parameters differ, NaN loss) ends all ranks with status 1; a failure of
one rank (its worker died) aborts the job through MPI, naming that rank.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from hyper_prime_spiral.commands import UsageError


def join() -> Any:
    """This rank's ClusterSession when started by an MPI launcher, else None (MPI not imported)."""
    from hyper_prime_spiral.training.cluster import ClusterUnavailable, launched_by_mpi

    if not launched_by_mpi():
        return None
    from hyper_prime_spiral.training.cluster import ClusterSession

    try:
        return ClusterSession.start()
    except ClusterUnavailable as exc:
        raise UsageError(str(exc)) from None


def ready(cluster: Any, args: argparse.Namespace, print_json: Callable[[dict], None], digest: str) -> None:
    """Wait until every rank has set up the same job; UsageError naming the ranks that could not."""
    members, problems = cluster.ready(None, digest)
    if problems:
        raise UsageError(_describe(problems))
    differ = [m for m in members if m["digest"] != members[0]["digest"]]
    if differ:
        ranks = ", ".join(str(m["rank"]) for m in differ)
        raise UsageError(
            f"rank(s) {ranks} read a different corpus or model than rank 0 "
            "(every host needs the same files at the same path, and the same options)"
        )
    if cluster.is_root:
        where = ", ".join(f"rank {m['rank']} pid {m['pid']} on {m['host']}" for m in members)
        if args.json:
            public = [{k: m[k] for k in ("rank", "host", "pid")} for m in members]
            print_json({"event": "cluster", "ranks": cluster.size, "members": public})
        else:
            print(f"training on {cluster.size} rank(s): {where}", file=sys.stderr, flush=True)


def usage_error(cluster: Any, exc: UsageError) -> UsageError:
    """This rank's set-up problem, combined with every other rank's (rank 0 reports them)."""
    if cluster.gathered:
        return exc  # raised by `ready` itself: already the whole job's answer
    _, problems = cluster.ready(str(exc))  # the other ranks are waiting for this rank's answer
    return UsageError(_describe(problems))


def _describe(problems: list[dict[str, Any]]) -> str:
    messages = {p["problem"] for p in problems}
    if len(messages) == 1:
        ranks = ", ".join(str(p["rank"]) for p in problems)
        return f"rank {ranks}: {messages.pop()}" if len(problems) == 1 else f"ranks {ranks}: {messages.pop()}"
    return "; ".join(f"rank {p['rank']} on {p['host']}: {p['problem']}" for p in problems)


def training_failed(cluster: Any, exc: BaseException, fail: Callable[[str], int]) -> int:
    """A failure during training: shared ones end every rank (rank 0 reports); others abort the job."""
    from hyper_prime_spiral.training.cluster import ClusterError
    from hyper_prime_spiral.training.trainer import TrainingError

    everywhere = isinstance(exc, ClusterError) or (isinstance(exc, TrainingError) and exc.__cause__ is None)
    if everywhere:
        return fail(f"training failed: {exc}") if cluster.is_root else 1
    cluster.fail(f"training failed: {exc}", 1)


def final_check(cluster: Any, fail: Callable[[str], int]) -> int | None:
    """Compare the final weights and AdamW state across ranks; an exit status unless rank 0 should save.

    (Rank 0 may save the weights of its best evaluation instead: the ranks were compared then too,
    every 50 steps, and agree at the end, so they agreed all along.)"""
    from hyper_prime_spiral.training.cluster import ClusterError

    try:
        cluster.engine.verify("at the end")
    except ClusterError as exc:
        return fail(str(exc)) if cluster.is_root else 1
    return None if cluster.is_root else 0


def done_fields(cluster: Any) -> dict[str, Any]:
    """Extra fields of the final JSON line."""
    ms = cluster.allreduce_ms_per_step()
    return {"ranks": cluster.size, "allreduce_ms_per_step": round(ms, 3) if ms is not None else None}
