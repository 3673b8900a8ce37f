"""The `test_clock` table (`common.clock`) as a schema step, for each
service's own Alembic revision. Once released, never changed."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def create_test_clock() -> None:
    op.create_table(
        "test_clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("offset_seconds", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def drop_test_clock() -> None:
    op.drop_table("test_clock")
