"""The service's clock: the real UTC time plus the test clock's offset, if set.

Tests move time by writing one row in `test_clock` (deadlines, cooling-off
periods) instead of sleeping; production never has that row.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from common import config, production
from services.grants.adapters.orm import test_clock

# Production never reads the test clock, whatever the table holds.
_PRODUCTION = production.is_production()


def now(session: Session) -> datetime:
    if _PRODUCTION:
        return datetime.now(UTC)
    offset = session.execute(
        select(test_clock.c.offset_seconds).where(test_clock.c.id == 1)
    ).scalar()
    real = datetime.now(UTC)
    return real + timedelta(seconds=offset) if offset else real


def production_problems() -> list[str | None]:
    """A set test clock is for tests and demos only (common.production).

    Without a database URL there is nothing to read (the broker and database
    checks name it); a database that cannot be read now leaves it to `now`,
    which ignores the table in production anyway."""
    if not os.environ.get("GRANTS_DATABASE_URL"):
        return []
    engine = create_engine(config.database_url("grants"), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            offset = conn.execute(
                select(test_clock.c.offset_seconds).where(test_clock.c.id == 1)
            ).scalar()
    except DBAPIError:
        return []
    finally:
        engine.dispose()
    if offset is None:
        return []
    return ["grants' test_clock table has a row: the clock is moved (tests only)"]
