"""Repositories: deliveries (with their attempts) and members' preferences."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from common.ids import is_uuid
from common.upsert import dialect_insert, insert_many_unless_taken
from services.notifications.adapters.orm import (
    PENDING,
    deliveries,
    delivery_attempts,
    preferences,
)
from services.notifications.domain.delivery import (
    Attempt,
    Delivery,
    DeliveryStatus,
    Outcome,
)
from services.notifications.domain.kinds import Kind, is_optional
from services.notifications.domain.preferences import Preferences, sorted_kinds

d = deliveries


@dataclass(frozen=True)
class Filter:
    """Which deliveries a list shows (every field optional)."""

    member_id: str | None = None
    reviewer_id: str | None = None
    recipient: str | None = None  # any case
    kind: Kind | None = None
    status: DeliveryStatus | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None

    def clauses(self) -> list[Any]:
        where: list[Any] = []
        if self.member_id is not None:
            where.append(d.c.member_id == self.member_id)
        if self.reviewer_id is not None:
            where.append(d.c.reviewer_id == self.reviewer_id)
        if self.recipient is not None:
            where.append(func.lower(d.c.recipient) == self.recipient.lower())
        if self.kind is not None:
            where.append(d.c.kind == self.kind.value)
        if self.status is not None:
            where.append(d.c.status == self.status.value)
        if self.created_from is not None:
            where.append(d.c.created_at >= self.created_from)
        if self.created_before is not None:
            where.append(d.c.created_at < self.created_before)
        return where


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        kind=Kind(row.kind),
        recipient=row.recipient,
        member_id=row.member_id,
        reviewer_id=row.reviewer_id,
        locale=row.locale,
        context=dict(row.context),
        message_id=row.message_id,
        status=DeliveryStatus(row.status),
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        failures=row.failures,
        attempt_count=row.attempt_count,
        subject=row.subject,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


def _row(x: Delivery) -> dict[str, Any]:
    return {
        "id": x.id,
        "event_id": x.event_id,
        "event_type": x.event_type,
        "kind": x.kind.value,
        "recipient": x.recipient,
        "member_id": x.member_id,
        "reviewer_id": x.reviewer_id,
        "locale": x.locale,
        "context": x.context,
        "message_id": x.message_id,
        "status": x.status.value,
        "subject": x.subject,
        "last_error": x.last_error,
        "failures": x.failures,
        "attempt_count": x.attempt_count,
        "created_at": x.created_at,
        "next_attempt_at": x.next_attempt_at,
        "sent_at": x.sent_at,
        "bulk": is_optional(x.kind),
    }


class Deliveries:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_new(self, found: Sequence[Delivery]) -> set[str]:
        """Record these deliveries in one round trip, leaving out any whose
        (event, recipient) is already recorded; the ids written."""
        written = insert_many_unless_taken(
            self.session,
            d,
            [_row(x) for x in found],
            ("id",),
            ("event_id", "recipient"),
        )
        return {r[0] for r in written}

    def get(self, delivery_id: str, lock: bool = False) -> Delivery | None:
        # Delivery ids are UUIDs; anything else (a NUL, which PostgreSQL
        # refuses) is not found without asking.
        if not is_uuid(delivery_id):
            return None
        query = select(d).where(d.c.id == delivery_id)
        if lock:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _delivery(row) if row else None

    def take_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[Delivery]:
        """Up to `limit` pending deliveries that are due, leased to the caller
        until `lease_until` (another sender skips them meanwhile; a sender
        that dies leaves them to be taken again once the lease is over)."""
        due = (
            select(d.c.id)
            .where(PENDING, d.c.next_attempt_at <= now)
            .order_by(d.c.bulk, d.c.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        taken = self.session.execute(
            update(d)
            .where(d.c.id.in_(due.scalar_subquery()))
            .values(next_attempt_at=lease_until)
            .returning(*d.c)
        )
        return sorted((_delivery(r) for r in taken), key=lambda x: (x.created_at, x.id))

    def save(self, x: Delivery) -> None:
        """The delivery's state, and the attempts made since it was read."""
        values = _row(x)
        del values["id"]
        self.session.execute(update(d).where(d.c.id == x.id).values(**values))
        if x.attempts:
            self.session.execute(
                insert(delivery_attempts),
                [
                    {
                        "delivery_id": x.id,
                        "number": a.number,
                        "at": a.at,
                        "outcome": a.outcome.value,
                        "error": a.error,
                    }
                    for a in x.attempts
                ],
            )
            x.attempts = []

    def attempts_of(self, ids: Iterable[str]) -> dict[str, list[Attempt]]:
        wanted = list(ids)
        found: dict[str, list[Attempt]] = {i: [] for i in wanted}
        if not wanted:
            return found
        a = delivery_attempts
        rows = self.session.execute(
            select(a).where(a.c.delivery_id.in_(wanted)).order_by(a.c.number)
        )
        for r in rows:
            found[r.delivery_id].append(
                Attempt(r.number, r.at, Outcome(r.outcome), r.error)
            )
        return found

    def page(
        self,
        wanted: Filter,
        first: int,
        after: tuple[datetime, str] | None,
    ) -> tuple[list[Delivery], int, bool]:
        """Newest first: (page, total matching, has a next page)."""
        where = wanted.clauses()
        total = self.session.execute(
            select(func.count()).select_from(d).where(*where)
        ).scalar_one()
        query: Select[Any] = select(d).where(*where)
        if after is not None:
            at, key = after
            query = query.where(
                or_(d.c.created_at < at, and_(d.c.created_at == at, d.c.id < key))
            )
        rows = self.session.execute(
            query.order_by(d.c.created_at.desc(), d.c.id.desc()).limit(first + 1)
        ).all()
        found = [_delivery(r) for r in rows[:first]]
        return found, int(total), len(rows) > first


class PreferenceBook:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(self, member_ids: Iterable[str]) -> dict[str, Preferences]:
        """Each member's preferences (nothing turned off if never set)."""
        wanted = set(member_ids)
        found = {m: Preferences(m) for m in wanted}
        if not wanted:
            return found
        p = preferences
        for row in self.session.execute(select(p).where(p.c.member_id.in_(wanted))):
            found[row.member_id] = Preferences(
                row.member_id, frozenset(Kind(k) for k in row.opted_out)
            )
        return found

    def save(self, prefs: Preferences, now: datetime) -> None:
        values = {"opted_out": sorted_kinds(prefs.opted_out), "updated_at": now}
        statement = dialect_insert(self.session, preferences).values(
            member_id=prefs.member_id, **values
        )
        self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[preferences.c.member_id], set_=values
            )
        )
