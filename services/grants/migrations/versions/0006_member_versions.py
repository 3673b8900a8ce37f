"""grants: the member versions each part of a member's facts came from

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 13:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Two nullable columns the previous release neither reads nor writes: during
# a rollout its writes leave them behind the times, so news is then ordered
# by a version that may lag (and by time where there is none).
compatible_with_previous = True


def upgrade() -> None:
    with op.batch_alter_table("member_facts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("standing_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member_facts", schema=None) as batch_op:
        batch_op.drop_column("standing_version")
        batch_op.drop_column("profile_version")
