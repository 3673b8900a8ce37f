"""The service's clock: the real UTC time plus the test clock's offset, if set.

Tests move time by writing one row in `test_clock` (deadlines, cooling-off
periods) instead of sleeping; production never has that row.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.grants.adapters.orm import test_clock


def now(session: Session) -> datetime:
    offset = session.execute(
        select(test_clock.c.offset_seconds).where(test_clock.c.id == 1)
    ).scalar()
    real = datetime.now(UTC)
    return real + timedelta(seconds=offset) if offset else real
