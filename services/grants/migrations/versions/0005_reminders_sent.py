"""reminders_sent: the daily job's reminders (report due, review deadline), once each

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 08:00:00.000000

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        'reminders_sent',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('reminders_sent')
