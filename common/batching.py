"""Group commit: requests that arrive together share one transaction.

Each caller `submit`s its item and waits. The first to find nothing running
becomes the leader: it takes every item waiting (up to `limit`), applies them
with its own `run`, hands each caller its result, then passes leadership to
the next waiting caller. An idle system runs each item at once, alone; a
busy one runs one transaction for many items instead of one each, which is
what bounds its throughput (every statement is a round trip).

Written here rather than taken from a library: it is a few lines over the
threading primitives, which eventlet makes cooperative in the services.
"""

from __future__ import annotations

import threading
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
    def __init__(self, limit: int = 100) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._waiting: list[_Slot[T, R]] = []
        self._running = False
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
        with self._lock:
            batch = self._waiting[: self.limit]
            del self._waiting[: self.limit]
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
