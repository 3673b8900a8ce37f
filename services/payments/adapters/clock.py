"""The payments clock: real UTC time, optionally shifted for tests and demos.

`PAYMENTS_CLOCK_OFFSET_SECONDS` moves the service's "now" (when a checkout
session counts as over, the dates it records), so tests never sleep. What
Stripe sees (a session's `expires_at`) always uses the real time, since
Stripe's own clock is never shifted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from common.config import env


class SystemClock:
    def __init__(self, offset: timedelta | None = None) -> None:
        self._offset = offset

    def now(self) -> datetime:
        return self.real_now() + self.offset

    def real_now(self) -> datetime:
        return datetime.now(UTC)

    @property
    def offset(self) -> timedelta:
        if self._offset is not None:
            return self._offset
        return timedelta(seconds=float(env("PAYMENTS_CLOCK_OFFSET_SECONDS", "0")))
