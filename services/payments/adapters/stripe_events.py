"""The log of verified Stripe events: one row per event id, with its outcome."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.payments.adapters import orm

t = orm.stripe_events


class StripeEventLog:
    def __init__(self, session: Session) -> None:
        self.session = session

    def seen(self, event_id: str) -> bool:
        found = self.session.execute(
            select(t.c.event_id).where(t.c.event_id == event_id)
        ).first()
        return found is not None

    def record(
        self, event_id: str, event_type: str, created: datetime, received_at: datetime
    ) -> bool:
        """Insert first, act after: a concurrent delivery of the same event waits
        on this row's key and then fails here, so only one of them has any
        effect. False when the event was already recorded."""
        try:
            with self.session.begin_nested():
                self.session.execute(
                    insert(t).values(
                        event_id=event_id,
                        event_type=event_type,
                        created=created,
                        received_at=received_at,
                        outcome="RECEIVED",
                    )
                )
        except IntegrityError:
            return False
        return True

    def settle(self, event_id: str, outcome: str, payment_id: str | None) -> None:
        self.session.execute(
            update(t)
            .where(t.c.event_id == event_id)
            .values(outcome=outcome, payment_id=payment_id)
        )

    def for_payment(self, payment_id: str) -> list[tuple[str, str, str]]:
        rows = self.session.execute(
            select(t.c.event_id, t.c.event_type, t.c.outcome)
            .where(t.c.payment_id == payment_id)
            .order_by(t.c.received_at)
        )
        return [(r.event_id, r.event_type, r.outcome) for r in rows]
