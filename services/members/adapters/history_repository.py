"""Status history: one row per change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from services.members.adapters.orm import status_changes
from services.members.domain.standing import MembershipStatus, StatusChange


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, changes: Sequence[StatusChange]) -> None:
        if changes:
            self.session.execute(
                insert(status_changes).inline(),
                [
                    {
                        "member_id": c.member_id,
                        "old_status": c.old_status.value if c.old_status else None,
                        "new_status": c.new_status.value,
                        "good_standing": c.good_standing,
                        "reason": c.reason[:500],
                        "changed_at": c.changed_at,
                        "effective_on": c.effective_on,
                    }
                    for c in changes
                ],
            )

    def for_members(self, member_ids: Iterable[str]) -> dict[str, list[StatusChange]]:
        """Each member's transitions, oldest first."""
        ids = list(set(member_ids))
        found: dict[str, list[StatusChange]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.session.execute(
            select(status_changes)
            .where(status_changes.c.member_id.in_(ids))
            .order_by(status_changes.c.id)
        )
        for r in rows:
            found[r.member_id].append(
                StatusChange(
                    member_id=r.member_id,
                    old_status=MembershipStatus(r.old_status) if r.old_status else None,
                    new_status=MembershipStatus(r.new_status),
                    reason=r.reason,
                    effective_on=r.effective_on,
                    changed_at=r.changed_at,
                )
            )
        return found
