"""Group commit with real threads: each caller gets its own result, callers
arriving together share a run, and a failed run fails only its own batch."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from common.batching import BatchFailed, GroupCommit
from tests.support.wait import wait_until


class Runs:
    """A `run` that holds its first call until released, to let others queue."""

    def __init__(self, fail_on: int | None = None) -> None:
        self.batches: list[list[int]] = []
        self.first_started = threading.Event()
        self.release = threading.Event()
        self.fail_on = fail_on

    def __call__(self, items: Sequence[int]) -> list[int]:
        self.batches.append(list(items))
        if len(self.batches) == 1:
            self.first_started.set()
            assert self.release.wait(10)
        if self.fail_on in items:
            raise ValueError(f"cannot take {self.fail_on}")
        return [i * 10 for i in items]


def submit_all(
    together: GroupCommit[int, int], runs: Runs, items: list[int]
) -> list[int | str]:
    def one(i: int) -> int | str:
        try:
            return together.submit(i, runs)
        except BatchFailed as exc:
            return f"failed: {exc.cause}"

    with ThreadPoolExecutor(len(items) + 1) as pool:
        first = pool.submit(one, items[0])
        assert runs.first_started.wait(10)
        rest = [pool.submit(one, i) for i in items[1:]]
        # every other caller is waiting behind the first run before it ends
        wait_until(lambda: len(together._waiting) == len(items) - 1)
        runs.release.set()
        return [first.result(10)] + [f.result(10) for f in rest]


def test_callers_arriving_together_share_one_run() -> None:
    together: GroupCommit[int, int] = GroupCommit()
    runs = Runs()
    results = submit_all(together, runs, list(range(1, 9)))
    assert results == [i * 10 for i in range(1, 9)]
    assert runs.batches[0] == [1]
    assert sorted(runs.batches[1]) == list(range(2, 9))  # one run for the seven
    assert (together.batches, together.items) == (2, 8)


def test_a_failed_run_fails_its_own_batch_only() -> None:
    together: GroupCommit[int, int] = GroupCommit()
    runs = Runs(fail_on=5)
    results = submit_all(together, runs, list(range(1, 9)))
    assert results[0] == 10
    assert all(r == "failed: cannot take 5" for r in results[1:])
    assert together.submit(5 + 100, runs) == 1050  # the next run is fine


def test_a_limit_splits_the_waiting_callers() -> None:
    together: GroupCommit[int, int] = GroupCommit(limit=3)
    runs = Runs()
    results = submit_all(together, runs, list(range(1, 9)))
    assert results == [i * 10 for i in range(1, 9)]
    assert [len(b) for b in runs.batches] == [1, 3, 3, 1]


def test_an_idle_caller_runs_at_once_alone() -> None:
    together: GroupCommit[int, int] = GroupCommit()
    runs = Runs()
    runs.release.set()
    assert together.submit(4, runs) == 40
    assert runs.batches == [[4]]


@pytest.mark.parametrize("size", [0, 2])
def test_a_run_returning_the_wrong_number_of_results_fails(size: int) -> None:
    together: GroupCommit[int, int] = GroupCommit()
    with pytest.raises(BatchFailed, match="results for 1 items"):
        together.submit(1, lambda items: [0] * size)


class Lingers:
    """A leader's wait that the test ends, recording how long it was asked."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.waiting = threading.Event()
        self.over = threading.Event()

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        self.waiting.set()
        assert self.over.wait(10)


def shared_by(replicas: int) -> tuple[GroupCommit[int, int], Lingers]:
    together: GroupCommit[int, int] = GroupCommit(
        share=lambda: replicas, max_linger=0.05
    )
    lingers = Lingers()
    together.sleep = lingers
    ticks = iter(range(1000))
    together.clock = lambda: next(ticks) * 0.01
    # Under load: the last batch held two items and took one tick (10 ms).
    submit_all(together, Runs(), [1, 2, 3])
    return together, lingers


def test_a_replica_waits_as_long_as_its_siblings_batches_take() -> None:
    together, lingers = shared_by(replicas=3)
    runs = Runs()
    runs.release.set()
    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(together.submit, 4, runs)
        assert lingers.waiting.wait(10)
        # Another request comes while the leader waits: it joins the batch.
        second = pool.submit(together.submit, 5, runs)
        wait_until(lambda: len(together._waiting) == 2)
        lingers.over.set()
        assert (first.result(10), second.result(10)) == (40, 50)
    assert runs.batches == [[4, 5]]
    # Two siblings' batches of 10 ms each, within the 50 ms at most.
    assert lingers.asked == [pytest.approx(0.02)]


def test_one_replica_never_waits() -> None:
    together, lingers = shared_by(replicas=1)
    runs = Runs()
    runs.release.set()
    assert together.submit(4, runs) == 40
    assert lingers.asked == []


def test_an_idle_replica_does_not_wait() -> None:
    together, lingers = shared_by(replicas=3)
    runs = Runs()
    runs.release.set()
    lingers.over.set()
    together.submit(4, runs)  # lingers: the last batch held two
    together.submit(5, runs)  # the last batch held one: idle, no wait
    assert len(lingers.asked) == 1
    assert runs.batches == [[4], [5]]
