"""A handler that fails because the database cannot serve is retried without
counting an attempt, for as long as the outage window lasts; any other
failure counts, and the last attempt parks (common.nameko_ext.events)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from common.config import EventRetry
from common.nameko_ext.events import (
    ATTEMPT,
    OUTAGE_RETRY,
    OUTAGE_SINCE,
    Retry,
    next_delay,
)

POLICY = EventRetry(max_attempts=3, base_delay_ms=100, outage_seconds=60)
T0 = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)


def test_other_failures_count_and_the_last_attempt_parks() -> None:
    headers: dict[str, Any] = {}
    assert next_delay(headers, POLICY, T0) == Retry(100, counted=True)
    assert next_delay(headers, POLICY, T0) == Retry(200, counted=True)
    assert headers[ATTEMPT] == 3
    assert next_delay(headers, POLICY, T0) is None


def test_an_outage_is_waited_out_without_spending_attempts() -> None:
    headers: dict[str, Any] = {}
    retries = [next_delay(headers, POLICY, T0, outage=True) for _ in range(12)]
    assert all(r is not None and not r.counted for r in retries)
    delays = [r.delay_ms for r in retries if r is not None]
    assert delays[:4] == [100, 200, 400, 800]
    assert max(delays) == EventRetry.OUTAGE_MAX_DELAY_MS  # capped, never parked
    assert ATTEMPT not in headers and headers[OUTAGE_RETRY] == 12
    assert headers[OUTAGE_SINCE] == T0.isoformat()
    # The database is back but the handler fails for its own reason: the
    # attempts are all still there.
    assert next_delay(headers, POLICY, T0) == Retry(100, counted=True)
    assert next_delay(headers, POLICY, T0) == Retry(200, counted=True)
    assert next_delay(headers, POLICY, T0) is None


def test_an_outage_longer_than_the_window_spends_attempts_then_parks() -> None:
    headers: dict[str, Any] = {}
    assert next_delay(headers, POLICY, T0, outage=True) == Retry(100, counted=False)
    late = T0 + timedelta(seconds=POLICY.outage_seconds)
    assert next_delay(headers, POLICY, late, outage=True) == Retry(
        100, counted=True
    )  # attempt 1
    assert next_delay(headers, POLICY, late, outage=True) == Retry(
        200, counted=True
    )  # attempt 2
    assert next_delay(headers, POLICY, late, outage=True) is None


def test_a_message_to_park_is_parked_even_in_an_outage() -> None:
    assert next_delay({}, POLICY, T0, park=True, outage=True) is None
