"""members: a member's own web site

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 15:50:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A nullable column: the previous release neither reads nor writes it.
compatible_with_previous = True


def upgrade() -> None:
    op.add_column("members", sa.Column("website", sa.String(2048), nullable=True))


def downgrade() -> None:
    op.drop_column("members", "website")
