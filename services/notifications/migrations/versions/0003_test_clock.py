"""notifications: the test clock every service has (common.clock)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 13:00:00

"""

from collections.abc import Sequence

from common.clock_migrations import create_test_clock, drop_test_clock

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A new table, read only with the clock control that production refuses.
compatible_with_previous = True


def upgrade() -> None:
    create_test_clock()


def downgrade() -> None:
    drop_test_clock()
