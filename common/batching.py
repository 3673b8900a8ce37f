"""Group commit: requests that arrive together share one transaction.

Each caller `submit`s its item and waits. The first to find nothing running
becomes the leader: it takes every item waiting (up to `limit`), applies them
with its own `run`, hands each caller its result, then passes leadership to
the next waiting caller. An idle system runs each item at once, alone; a
busy one runs one transaction for many items instead of one each, which is
what bounds its throughput (every statement is a round trip).

Shared by N replicas (`share()` says how many), each sees 1/N of the
requests and its batches shrink N times. So under load (the last batch held
more than one item) a leader first waits as long as N - 1 more batches would
take (at most `max_linger` seconds): its batch then holds what one replica's
would, and the replicas together commit as often as one did. Alone (N = 1)
or idle, it never waits.

Written here rather than taken from a library: it is a few lines over the
threading primitives, which eventlet makes cooperative in the services.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class BatchFailed(Exception):
    """The batch this item was in could not be applied; nothing of it was."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(f"the batch failed: {cause}")
        self.cause = cause


class _Slot(Generic[T, R]):
    __slots__ = ("error", "finished", "item", "lead", "ready", "result")

    def __init__(self, item: T) -> None:
        self.item = item
        self.result: R | None = None
        self.error: BaseException | None = None
        self.finished = False
        self.lead = False
        self.ready = threading.Event()


class GroupCommit(Generic[T, R]):
    # How a leader waits and measures (a test replaces them).
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    clock: Callable[[], float] = staticmethod(time.monotonic)

    def __init__(
        self,
        limit: int = 100,
        share: Callable[[], int] = lambda: 1,
        max_linger: float = 0.05,
    ) -> None:
        self.limit = limit
        self.share = share
        self.max_linger = max_linger
        self._lock = threading.Lock()
        self._waiting: list[_Slot[T, R]] = []
        self._running = False
        self._last_size = 0
        self._last_seconds = 0.0
        self.batches = 0  # counters, for tests and benchmarks
        self.items = 0

    def submit(self, item: T, run: Callable[[Sequence[T]], Sequence[R]]) -> R:
        """`run(items)` -> one result per item, all or nothing (it raises, or
        every item is applied). Raises `BatchFailed` if the batch failed."""
        slot: _Slot[T, R] = _Slot(item)
        with self._lock:
            self._waiting.append(slot)
            if not self._running:
                self._running = slot.lead = True
        if not slot.lead:
            slot.ready.wait()
        if not slot.finished:  # woken to lead
            self._lead(run)
        if slot.error is not None:
            raise BatchFailed(slot.error)
        # Set by the leader whenever error is None (R itself may allow None).
        return slot.result  # type: ignore[return-value]

    def _lead(self, run: Callable[[Sequence[T]], Sequence[R]]) -> None:
        linger = self._linger()
        if linger > 0:
            self.sleep(linger)
        with self._lock:
            batch = self._waiting[: self.limit]
            del self._waiting[: self.limit]
        started = self.clock()
        try:
            results = run([s.item for s in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"{len(results)} results for {len(batch)} items")
        except Exception as exc:
            for s in batch:
                s.error = exc
        else:
            for s, result in zip(batch, results, strict=True):
                s.result = result
        finally:
            self._last_size, self._last_seconds = len(batch), self.clock() - started
            self.batches += 1
            self.items += len(batch)
            with self._lock:
                following = self._waiting[0] if self._waiting else None
                if following is None:
                    self._running = False
                else:
                    following.lead = True
            for s in batch:
                s.finished = True
                s.ready.set()
            if following is not None:
                following.ready.set()

    def _linger(self) -> float:
        """How long the next leader waits for more (see the module's text)."""
        if self._last_size < 2 or len(self._waiting) >= self.limit:
            return 0.0
        return min((self.share() - 1) * self._last_seconds, self.max_linger)
