"""Schema steps of the outbox every service carries, for each service's own
Alembic revision (one copy, not four). A step, once released, never changes:
a later change of the outbox is a new step."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

UNPUBLISHED = sa.text("published_at IS NULL")


def index_unpublished() -> None:
    """The relay looks for unpublished events in id order. An index of only
    those rows, on the id, hands them over in that order; the index on every
    row's `published_at` is read by nothing else."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_published_at")
        batch_op.create_index(
            "ix_outbox_unpublished",
            ["id"],
            unique=False,
            postgresql_where=UNPUBLISHED,
            sqlite_where=UNPUBLISHED,
        )


def index_published_at() -> None:
    """`index_unpublished`, undone."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_unpublished")
        batch_op.create_index("ix_outbox_published_at", ["published_at"], unique=False)
