"""The workers' barrier inside a pool step: nobody leaves before everyone arrived, and a closing
pool frees a worker that waits for a dead peer."""

from __future__ import annotations

import multiprocessing as mp
import time

import numpy as np
import pytest
from parallel_helpers import TINY, batch

from hyper_prime_spiral.model.init import init_params
from hyper_prime_spiral.model.optim import AdamWSettings
from hyper_prime_spiral.training.in_process_engine import InProcessEngine
from hyper_prime_spiral.training.pool_engine import PoolEngine
from hyper_prime_spiral.training.shared_buffers import SharedArray
from hyper_prime_spiral.training.step_sync import BarrierAborted, StepBoard, WorkerBarrier

ROUNDS = 200
CTX = mp.get_context("spawn")


def _party(index: int, barrier: WorkerBarrier, spec, parties: int, out) -> None:
    """Write the round into my cell, meet, then check every cell holds at least this round."""
    shared = SharedArray.attach(spec)
    cells = shared.array
    behind = 0
    for round_ in range(1, ROUNDS + 1):
        if (round_ + index) % 7 == 0:
            time.sleep(0.0005 * (index + 1))  # now and then a party arrives late
        cells[index] = round_
        barrier.wait(index, lambda: False)
        behind += int(cells.min() < round_)
        barrier.wait(index, lambda: False)  # nobody starts the next round while others still read
    del cells
    shared.release()
    out.put((index, behind))


@pytest.mark.parametrize("parties", [2, 3])
def test_nobody_leaves_the_barrier_before_every_party_arrived(parties):
    cells = SharedArray.create((parties,), np.float64)
    barrier = WorkerBarrier(parties, CTX)
    out = CTX.Queue()
    procs = [CTX.Process(target=_party, args=(i, barrier, cells.spec, parties, out)) for i in range(parties)]
    try:
        for proc in procs:
            proc.start()
        results = dict(out.get(timeout=60) for _ in procs)
    finally:
        for proc in procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.kill()
        cells.release()
    assert results == {i: 0 for i in range(parties)}  # no party ever saw a cell behind its round


def _lonely(barrier: WorkerBarrier, spec, parties: int, out) -> None:
    shared = SharedArray.attach(spec)
    board = StepBoard(shared.array, parties)
    out.put("waiting")
    started = time.perf_counter()
    try:
        barrier.wait(1, board.aborted)
        out.put("passed")
    except BarrierAborted:
        out.put(time.perf_counter() - started)
    finally:
        del board
        shared.release()


def test_a_party_waiting_for_one_that_never_comes_leaves_when_the_pool_aborts():
    board_cells = SharedArray.create((StepBoard.size(2),), np.float64)
    board = StepBoard(board_cells.array, 2)
    barrier = WorkerBarrier(2, CTX)
    out = CTX.Queue()
    proc = CTX.Process(target=_lonely, args=(barrier, board_cells.spec, 2, out))
    try:
        proc.start()
        assert out.get(timeout=60) == "waiting"
        time.sleep(0.3)  # party 0 never arrives: party 1 is asleep at the barrier by now
        assert proc.is_alive()
        board.abort()
        waited = out.get(timeout=30)
        proc.join(timeout=10)
    finally:
        if proc.is_alive():
            proc.kill()
        del board
        board_cells.release()
    assert isinstance(waited, float) and waited >= 0.3  # it waited, and then it left
    assert proc.exitcode == 0


def test_a_step_board_of_the_wrong_size_is_refused():
    with pytest.raises(ValueError, match="5 cells"):
        StepBoard(np.zeros(4), 2)
    with pytest.raises(ValueError, match="at least one party"):
        WorkerBarrier(0, CTX)


def test_three_workers_meeting_at_the_barriers_train_like_one_process():
    settings = AdamWSettings(clip=0.5)  # clipping happens: the norm gathered on the board counts
    batches = [batch(7, TINY.context_length, TINY.vocab_size, seed=s) for s in range(4)]  # shards 3, 2, 2
    ref = InProcessEngine(TINY, init_params(TINY), settings)
    ref_history = [ref.step(x, y, 2e-3) for x, y in batches]
    with PoolEngine(TINY, init_params(TINY), settings, workers=3) as engine:
        history = [engine.step(x, y, 2e-3) for x, y in batches]
    assert any(norm > settings.clip for _, norm in ref_history)
    for (loss, norm), (ref_loss, ref_norm) in zip(history, ref_history, strict=True):
        assert loss == pytest.approx(ref_loss, rel=1e-5)
        assert norm == pytest.approx(ref_norm, rel=1e-4)
    np.testing.assert_allclose(engine.params, ref.params, rtol=0, atol=2e-5)
    assert engine.optimizer_state().step == 4
