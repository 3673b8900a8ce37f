"""members: the test clock every service has (common.clock) replaces `clock`

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 13:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from common.clock_migrations import create_test_clock, drop_test_clock

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The previous release reads `clock` only with MEMBERS_CLOCK_CONTROL on, which
# production refuses: in production it runs against this schema. A date set
# by a test or demo is not carried over (set it again).
compatible_with_previous = True


def upgrade() -> None:
    create_test_clock()
    op.drop_table("clock")


def downgrade() -> None:
    op.create_table(
        "clock",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("today", sa.Date(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    drop_test_clock()
