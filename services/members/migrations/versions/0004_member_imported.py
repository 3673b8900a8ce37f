"""members: imported, a member taken over from earlier records

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 00:00:00.000000

An imported member came in good standing: it is no joiner waiting for its
first payment (see derive_standing). Members imported before this column
are found by their first history line, whose reason is "imported".
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    # Not in batch mode: SQLite adds a column in place, where a batch would
    # copy the table and drop the old one, which its foreign keys forbid.
    op.add_column(
        'members',
        sa.Column('imported', sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    members = sa.table(
        'members', sa.column('member_id', sa.String), sa.column('imported', sa.Boolean)
    )
    changes = sa.table(
        'status_changes',
        sa.column('member_id', sa.String),
        sa.column('old_status', sa.String),
        sa.column('reason', sa.String),
    )
    first_imported = sa.select(changes.c.member_id).where(
        changes.c.old_status.is_(None), changes.c.reason == 'imported'
    )
    op.execute(
        members.update()
        .where(members.c.member_id.in_(first_imported))
        .values(imported=True)
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column('members', 'imported')  # in place too (SQLite 3.35 and later)
