"""Each service's migrations build exactly the schema its code declares, on
PostgreSQL and on SQLite (the embedded default): a database migrated to head
is what the service's tables expect."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine

from common import config
from common.migrate import not_bookkeeping, upgrade
from tests.support import infra

# Built by the migrations on PostgreSQL only, where the code cannot say them:
# a trigram index and two indexes with a descending column (see 0002, 0004).
POSTGRESQL_ONLY = {
    "partnerships": {
        "ix_partnerships_search_text_trgm",
        "ix_partnerships_recognized_date_asc",
        "ix_partnerships_recognized_date_desc",
    }
}


def differences(url: str, metadata: MetaData) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_name": not_bookkeeping}
            )
            found = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    return found


def drift(service: str, url: str, postgresql: bool) -> list[Any]:
    upgrade(service, url)
    metadata = importlib.import_module(f"services.{service}.adapters.orm").metadata
    allowed = POSTGRESQL_ONLY.get(service, set()) if postgresql else set()
    return [
        d
        for d in differences(url, metadata)
        if not (d[0] == "remove_index" and d[1].name in allowed)
    ]


@pytest.mark.parametrize("service", config.SERVICES)
def test_migrations_match_the_code_on_sqlite(service: str, tmp_path: Path) -> None:
    assert drift(service, f"sqlite:///{tmp_path / 'head.db'}", False) == []


@pytest.mark.parametrize("service", config.SERVICES)
def test_migrations_match_the_code_on_postgresql(service: str) -> None:
    with infra.scratch_database("schema") as url:
        assert drift(service, url, True) == []
