"""notifications: optional mail sent to many is taken after transactional mail

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The previous release writes no `bulk` (its default, false, is right for what
# it sends first) and reads it nowhere: it runs against this schema.
compatible_with_previous = True

PENDING = sa.text("status = 'PENDING'")
OPTIONAL = ("PARTNERSHIP_NEWS", "GRANT_ROUND_ANNOUNCEMENT")


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bulk", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.drop_index("ix_deliveries_due")
        batch_op.create_index(
            "ix_deliveries_due",
            ["bulk", "next_attempt_at"],
            unique=False,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )
    deliveries = sa.table("deliveries", sa.column("kind"), sa.column("bulk"))
    op.execute(
        deliveries.update()
        .where(deliveries.c.kind.in_(OPTIONAL))
        .values(bulk=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_due")
        batch_op.create_index(
            "ix_deliveries_due",
            ["next_attempt_at"],
            unique=False,
            postgresql_where=PENDING,
            sqlite_where=PENDING,
        )
        batch_op.drop_column("bulk")
