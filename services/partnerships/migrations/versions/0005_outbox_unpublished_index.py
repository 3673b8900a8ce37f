"""outbox: a partial index of the unpublished events

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:30:00.000000

The relay looks for unpublished events in id order. An index of only those
rows, on the id, hands them over in that order; the index on every row's
published_at is read by nothing else.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UNPUBLISHED = sa.text("published_at IS NULL")


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_published_at')
        batch_op.create_index(
            'ix_outbox_unpublished',
            ['id'],
            unique=False,
            postgresql_where=UNPUBLISHED,
            sqlite_where=UNPUBLISHED,
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_unpublished')
        batch_op.create_index('ix_outbox_published_at', ['published_at'], unique=False)
