"""receipt number sequence (PostgreSQL)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 09:15:00.000000

Receipt numbers come from a sequence on PostgreSQL, so that concurrent
payments never wait on one counter row. SQLite keeps the counter table.
"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        # Continue after any number the counter table already gave out.
        op.execute("CREATE SEQUENCE IF NOT EXISTS receipt_number_seq")
        op.execute(
            "SELECT setval('receipt_number_seq', "
            "GREATEST((SELECT max(last_number) FROM receipt_counters), 0) + 1, false)"
        )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS receipt_number_seq")
