"""date order indexes (PostgreSQL only)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 09:20:00.000000

"""
from typing import Sequence, Union

from alembic import op


# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: Union[str, Sequence[str], None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# SQLite cannot index NULLS LAST; it sorts the (small) embedded directory.
INDEXES = {
    "desc": "DESC NULLS LAST",
    "asc": "ASC NULLS LAST",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, order in INDEXES.items():
        op.execute(
            f"CREATE INDEX ix_partnerships_recognized_date_{name} ON partnerships "
            f"(recognized, established_year {order}, signed_on {order}, "
            "partner_key, id)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS ix_partnerships_recognized_date_{name}")
