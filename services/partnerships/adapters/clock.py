"""The service's clock: real UTC time, shifted by a number of days for tests
and demos (`PARTNERSHIPS_CLOCK_OFFSET_DAYS`, else `PLATFORM_CLOCK_OFFSET_DAYS`)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta

from common import production


def offset_days() -> int:
    raw = os.environ.get("PARTNERSHIPS_CLOCK_OFFSET_DAYS") or os.environ.get(
        "PLATFORM_CLOCK_OFFSET_DAYS"
    )
    return int(raw or 0)


def now() -> datetime:
    return datetime.now(UTC) + timedelta(days=offset_days())


def today() -> date:
    return now().date()


def production_problems() -> list[str | None]:
    """A moved clock is for tests and demos only (common.production)."""
    return [
        production.nonzero_problem("PARTNERSHIPS_CLOCK_OFFSET_DAYS"),
        production.nonzero_problem("PLATFORM_CLOCK_OFFSET_DAYS"),
    ]
