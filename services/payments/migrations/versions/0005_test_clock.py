"""payments: the test clock every service has (common.clock)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 13:00:00

"""

from collections.abc import Sequence

from common.clock_migrations import create_test_clock, drop_test_clock

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A new table, read only with the clock control that production refuses.
compatible_with_previous = True


def upgrade() -> None:
    create_test_clock()


def downgrade() -> None:
    drop_test_clock()
