"""Batching event handlers under load: a list waits for its linger, never when idle.

The handler's container, consumer, timer and clock are fakes here; the real
broker path runs in the members service's integration tests and the
payments end-to-end tests, which take payments' news through this handler.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from common.config import EventBatching, EventRetry
from common.nameko_ext.events import BatchingEventHandler


class Timer:
    def __init__(self, wait: float, fn: Callable[[], None]) -> None:
        self.wait, self.fn, self.cancelled = wait, fn, False

    def cancel(self) -> None:
        self.cancelled = True


class Harness:
    """A handler whose lists, acks, timers and time the test controls."""

    def __init__(
        self, linger_ms: int = 100, max_size: int = 5, consumers: int = 1
    ) -> None:
        self.now = 0.0
        self.lists: list[list[int]] = []
        self.finish: list[Callable[..., Any]] = []
        self.acked: list[int] = []
        self.timers: list[Timer] = []
        handler = BatchingEventHandler.__new__(BatchingEventHandler)
        handler.batching = EventBatching(
            linger_ms=linger_ms, max_size=max_size, max_linger_ms=250
        )
        # How many consumers the broker says share the queue (the replicas).
        handler.sharing = SimpleNamespace(  # type: ignore[assignment]
            consumers=consumers, stop=lambda: None
        )
        handler.policy = EventRetry(max_attempts=3, base_delay_ms=100, max_deliveries=3)
        self.parked: list[tuple[int, str]] = []
        handler._reroute_or_requeue = (  # type: ignore[method-assign]
            lambda message, error, park=False, outage=False: self.parked.append(
                (message.body, error)
            )
        )
        handler._waiting, handler._busy = [], False
        handler._started, handler._lingering = 0.0, None
        handler.method_name = "on_news"
        handler.container = SimpleNamespace(spawn_worker=self._spawn_worker)
        handler.queue_consumer = SimpleNamespace(  # type: ignore[assignment]
            ack_message=self._ack, unregister_provider=lambda _: None
        )
        handler.later = self._later
        handler.clock = lambda: self.now
        self.handler = handler

    def _spawn_worker(
        self, _ep: Any, args: Any, _kw: Any, context_data: Any, handle_result: Any
    ) -> None:
        self.lists.append(list(args[0]))
        self.finish.append(handle_result)

    def _ack(self, message: Any) -> None:
        self.acked.append(message.body)

    def _later(self, wait: float, fn: Callable[[], None]) -> Timer:
        timer = Timer(wait, fn)
        self.timers.append(timer)
        return timer

    def deliver(self, *bodies: int, returned: int = 0) -> None:
        """Hand the handler messages, each `returned` times before unanswered
        (the quorum queue's `x-delivery-count`)."""
        for body in bodies:
            headers = {"x-delivery-count": returned}
            self.handler.handle_message(
                body,
                SimpleNamespace(
                    body=body, headers=headers, channel=SimpleNamespace(connection=None)
                ),
            )

    def done(self, at: float) -> None:
        """The oldest list in flight ends, successfully, at time `at`."""
        self.now = at
        self.finish.pop(0)(None, None, None)


def test_an_idle_handler_starts_a_list_at_once() -> None:
    h = Harness()
    h.deliver(1)
    assert h.lists == [[1]]
    h.done(at=0.01)
    assert h.acked == [1] and h.timers == []
    h.deliver(2)  # idle again: no linger
    assert h.lists == [[1], [2]]


def test_under_load_the_next_list_waits_for_the_linger_and_takes_all() -> None:
    h = Harness(linger_ms=100)
    h.deliver(1)
    h.deliver(2, 3)  # arrive while the first list runs
    h.done(at=0.03)
    assert h.lists == [[1]]  # not yet: 70 ms of linger left
    (timer,) = h.timers
    assert abs(timer.wait - 0.07) < 1e-9
    h.deliver(4)
    timer.fn()
    assert h.lists == [[1], [2, 3, 4]]


def test_with_replicas_each_waits_as_many_lingers_as_share_the_queue() -> None:
    h = Harness(linger_ms=100, consumers=2)
    h.deliver(1)
    h.deliver(2, 3)
    h.done(at=0.03)
    (timer,) = h.timers
    # Two consumers together start one list per 100 ms: each, one per 200.
    assert abs(timer.wait - 0.17) < 1e-9


def test_the_shared_linger_has_a_ceiling() -> None:
    h = Harness(linger_ms=100, consumers=10)
    h.deliver(1, 2)
    h.done(at=0.05)
    (timer,) = h.timers
    assert abs(timer.wait - 0.2) < 1e-9  # 250 ms at most, not 1 s


def test_a_full_list_does_not_wait_for_the_linger() -> None:
    h = Harness(linger_ms=100, max_size=3)
    h.deliver(1, 2)
    h.done(at=0.01)
    (timer,) = h.timers
    h.deliver(3, 4)  # three wait: a full list
    assert timer.cancelled
    assert h.lists == [[1], [2, 3, 4]]


def test_a_list_longer_than_the_linger_is_followed_at_once() -> None:
    h = Harness(linger_ms=100)
    h.deliver(1, 2)
    h.done(at=0.25)
    assert h.timers == [] and h.lists == [[1], [2]]


def test_a_list_never_holds_more_than_the_maximum() -> None:
    h = Harness(linger_ms=0, max_size=2)
    h.deliver(1, 2, 3, 4, 5)
    assert h.lists == [[1]]
    h.done(at=0.0)
    h.done(at=0.0)
    h.done(at=0.0)
    assert h.lists == [[1], [2, 3], [4, 5]]
    assert h.acked == [1, 2, 3, 4, 5]


def test_stopping_cancels_a_pending_list() -> None:
    h = Harness(linger_ms=100)
    h.deliver(1, 2)
    h.done(at=0.01)
    (timer,) = h.timers
    h.handler.stop()
    assert timer.cancelled
    assert h.lists == [[1]] and h.acked == [1]  # 2 stays unacked: redelivered


def test_a_message_returned_too_often_is_parked_before_it_runs() -> None:
    h = Harness(linger_ms=100)
    h.deliver(1, returned=2)  # below EVENT_MAX_DELIVERIES: handled
    h.deliver(2, returned=3)  # its consumer went away three times: parked
    h.done(at=0.01)
    assert h.lists == [[1]] and h.acked == [1]
    ((body, error),) = h.parked
    assert body == 2 and "EVENT_MAX_DELIVERIES=3" in error
