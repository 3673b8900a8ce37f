"""The gateway's token buckets (gateway/ratelimit.py), on a clock of our own."""

from __future__ import annotations

from gateway.ratelimit import TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_then_the_rate() -> None:
    clock = Clock()
    limit = TokenBuckets(per_minute=60, burst=3, clock=clock)
    assert [limit.take("a") for _ in range(3)] == [0, 0, 0]
    assert limit.take("a") == 1.0  # one token a second
    assert limit.take("b") == 0  # each caller has a bucket of its own
    clock.now += 0.5
    assert limit.wait("a") == 0.5
    clock.now += 0.5
    assert limit.wait("a") == 0 and limit.take("a") == 0
    clock.now += 3600
    assert [limit.take("a") for _ in range(4)] == [0, 0, 0, 1.0]  # never above burst


def test_waiting_takes_nothing() -> None:
    limit = TokenBuckets(per_minute=60, burst=1, clock=Clock())
    assert limit.wait("a") == 0 and limit.wait("a") == 0
    assert limit.take("a") == 0 and limit.wait("a") == 1.0


def test_the_number_of_callers_kept_is_bounded() -> None:
    limit = TokenBuckets(per_minute=60, burst=1, clock=Clock(), max_keys=100)
    for n in range(1000):
        limit.take(f"caller-{n}")
    assert len(limit._buckets) == 100
