"""Migration 0004 marks the members imported before it, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from common.migrate import alembic_config, upgrade
from tests.support import infra

MEMBER = (
    "INSERT INTO members (member_id, name, name_key, kind, state, population, "
    "contact_email, status, good_standing, joined_on, version, created_at, "
    "updated_at) VALUES (:id, :id, :id, 'CITY', 'OH', 1000, 'a@b.example', "
    ":status, :good, '2026-01-05', 1, '2026-01-05 10:00:00+00', "
    "'2026-01-05 10:00:00+00')"
)
CHANGE = (
    "INSERT INTO status_changes (member_id, old_status, new_status, "
    "good_standing, reason, changed_at, effective_on) VALUES (:id, :old, :new, "
    ":good, :reason, '2026-01-05 10:00:00+00', '2026-01-05')"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'members.db'}"
    else:
        with infra.scratch_database("members_0004") as made:
            yield made


def test_members_imported_before_the_column_are_marked(url: str) -> None:
    command.upgrade(alembic_config("members", url), "0003")
    engine = create_engine(url)
    try:
        histories: dict[str, list[tuple[str | None, str, str]]] = {
            "seeded": [(None, "ACTIVE", "imported")],
            "joined": [(None, "PENDING", "registered"), ("PENDING", "ACTIVE", "paid")],
            "renamed": [
                (None, "PENDING", "registered"),
                ("PENDING", "ACTIVE", "imported"),
            ],
        }
        with engine.begin() as conn:
            for member_id, changes in histories.items():
                status = changes[-1][1]
                conn.execute(
                    text(MEMBER), {"id": member_id, "status": status, "good": True}
                )
                for old, new, reason in changes:
                    good = new == "ACTIVE"
                    conn.execute(
                        text(CHANGE),
                        {"id": member_id, "old": old, "new": new, "good": good}
                        | {"reason": reason},
                    )
        upgrade("members", url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT member_id, imported FROM members"))
            marked: dict[str, bool] = dict(rows.tuples().all())
        # Only a first history line saying "imported" marks a member imported.
        assert marked == {"seeded": True, "joined": False, "renamed": False}
        command.downgrade(alembic_config("members", url), "0003")
        upgrade("members", url)
    finally:
        engine.dispose()
