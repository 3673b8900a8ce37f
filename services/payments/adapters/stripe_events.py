"""The log of verified Stripe events: one row per event id, with its outcome."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from common.upsert import insert_many_unless_taken
from services.payments.adapters import orm

t = orm.stripe_events


class StripeEventLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def seen(self, event_id: str) -> bool:
        return event_id in self.seen_many([event_id])

    def seen_many(self, event_ids: list[str]) -> set[str]:
        rows = self.session.execute(
            select(t.c.event_id).where(t.c.event_id.in_(event_ids))
        )
        return {r[0] for r in rows}

    def record_many(self, rows: list[dict[str, object]]) -> set[str]:
        """Record each event (a row of the table); the ids written, in one
        round trip. An id already taken is left out: nothing is written for
        it, and a concurrent insert of it waits for the other transaction."""
        written = insert_many_unless_taken(
            self.session, t, rows, ("event_id",), ("event_id",)
        )
        return {r[0] for r in written}

    def add_many(self, rows: list[dict[str, object]]) -> None:
        """Record events known to be new: an id already taken fails the
        transaction (an IntegrityError, at the latest on commit)."""
        if rows:
            self.session.execute(insert(t), rows)

    def for_payment(self, payment_id: str) -> list[tuple[str, str, str]]:
        rows = self.session.execute(
            select(t.c.event_id, t.c.event_type, t.c.outcome)
            .where(t.c.payment_id == payment_id)
            .order_by(t.c.received_at)
        )
        return [(r.event_id, r.event_type, r.outcome) for r in rows]
