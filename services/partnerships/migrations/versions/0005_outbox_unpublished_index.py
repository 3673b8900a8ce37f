"""outbox: a partial index of the unpublished events

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 00:30:00.000000

See common/outbox_migrations.py.
"""

from typing import Sequence, Union

from common.outbox_migrations import index_published_at, index_unpublished

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    index_unpublished()


def downgrade() -> None:
    """Downgrade schema."""
    index_published_at()
