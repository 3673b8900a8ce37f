"""The clock port every service uses, and its one test clock.

Handlers and domain rules get the time from a `Clock` (through the unit of
work, `uow.clock`, or as a parameter), never from `datetime.now`. In
production that is a `SystemClock`. With `<SERVICE>_CLOCK_CONTROL` on (tests
and demos only; production refuses it, `common.production`) it is a
`common.clock_control.TestClock`: the real time plus the offset stored in
the service's own `test_clock` table, so a test moves time in every process
of a service at once, without sleeping and without a restart.

This module is the port alone (no framework), so a domain module may name
`Clock` in its signatures.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The service's time (UTC, aware)."""
        ...

    def today(self) -> date:
        """The service's date: `now()`'s UTC date."""
        ...

    def real_now(self) -> datetime:
        """The unshifted time, for what outside systems see (Stripe's expiry)."""
        ...


class SystemClock:
    """The real UTC time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().date()

    def real_now(self) -> datetime:
        return datetime.now(UTC)
