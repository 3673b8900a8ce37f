"""reviewers: an email address, where assignments are announced

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 01:00:00.000000

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
    with op.batch_alter_table('reviewers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('reviewers', schema=None) as batch_op:
        batch_op.drop_column('email')
