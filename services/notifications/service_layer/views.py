"""What handlers return over RPC: contracts.notifications' views."""

from __future__ import annotations

from datetime import datetime

from contracts.notifications import NotificationView, PreferencesView
from services.notifications.domain.delivery import Attempt, Delivery, DeliveryStatus
from services.notifications.domain.kinds import OPTIONAL
from services.notifications.domain.preferences import Preferences


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def notification(x: Delivery, attempts: list[Attempt]) -> NotificationView:
    return {
        "id": x.id,
        "event_id": x.event_id,
        "event_type": x.event_type,
        "kind": x.kind,
        "recipient": x.recipient,
        "member_id": x.member_id,
        "reviewer_id": x.reviewer_id,
        "locale": x.locale,
        "status": x.status,
        "subject": x.subject,
        "message_id": x.message_id,
        "attempt_count": x.attempt_count,
        "last_error": x.last_error or None,
        "created_at": x.created_at.isoformat(),
        # While pending: when the next hand-off is due.
        "next_attempt_at": iso(x.next_attempt_at)
        if x.status is DeliveryStatus.PENDING
        else None,
        "sent_at": iso(x.sent_at),
        "attempts": [
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "outcome": a.outcome,
                "error": a.error or None,
            }
            for a in attempts
        ],
    }


def preferences(p: Preferences) -> PreferencesView:
    return {
        "member_id": p.member_id,
        "opted_out": sorted(p.opted_out),
        "optional": sorted(OPTIONAL),
    }
