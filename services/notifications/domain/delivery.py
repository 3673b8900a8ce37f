"""A delivery: one message to one recipient for one event, sent until accepted.

Its key is (event id, recipient): one record per pair, however often the
event arrives. The SMTP `Message-ID` and the record's id are derived from that
key, so every hand-off of the same delivery (a retry, a resend after a crash
between the server's acceptance and our record of it) is the same message.

    PENDING --sent--> SENT
    PENDING --failed, attempts left--> PENDING (later, with back-off)
    PENDING --failed for good, or attempts used up--> PARKED --resend--> PENDING
    (opted out at the time of the event) SKIPPED
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from common.errors import Conflict
from contracts.notifications import AttemptOutcome as Outcome
from contracts.notifications import DeliveryStatus
from services.notifications.domain.kinds import Kind

# Fixed forever: ids and Message-IDs of existing deliveries are derived from it.
_NAMESPACE = uuid.UUID("0f5d2a3c-7e0b-4b8e-9f61-2d1c4f7a9e10")


def delivery_id(event_id: str, recipient: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{event_id}/{recipient.lower()}"))


def message_id(event_id: str, recipient: str, domain: str) -> str:
    """The RFC 5322 Message-ID of this (event, recipient), the same every time."""
    digest = hashlib.sha256(f"{event_id}/{recipient.lower()}".encode()).hexdigest()
    return f"<{digest[:40]}@{domain}>"


@dataclass(frozen=True)
class RetryPolicy:
    """How failed hand-offs are retried: base, 2*base, 4*base, ... capped."""

    max_attempts: int = 8
    base_delay: timedelta = timedelta(seconds=5)
    max_delay: timedelta = timedelta(minutes=30)

    def delay(self, failures: int) -> timedelta:
        return min(self.base_delay * 2 ** max(failures - 1, 0), self.max_delay)


@dataclass(frozen=True)
class Attempt:
    number: int
    at: datetime
    outcome: Outcome
    error: str = ""


@dataclass
class Delivery:
    id: str
    event_id: str
    event_type: str
    kind: Kind
    recipient: str
    member_id: str | None
    reviewer_id: str | None
    locale: str
    context: dict[str, Any]
    message_id: str
    status: DeliveryStatus
    created_at: datetime
    next_attempt_at: datetime | None
    failures: int = 0  # since it was created or last resent: drives back-off
    attempt_count: int = 0
    subject: str = ""
    last_error: str = ""
    sent_at: datetime | None = None
    attempts: list[Attempt] = field(default_factory=list)  # new ones, to record

    @classmethod
    def new(
        cls,
        *,
        event_id: str,
        event_type: str,
        kind: Kind,
        recipient: str,
        member_id: str | None,
        reviewer_id: str | None,
        locale: str,
        context: dict[str, Any],
        domain: str,
        now: datetime,
        wanted: bool = True,
    ) -> Delivery:
        return cls(
            id=delivery_id(event_id, recipient),
            event_id=event_id,
            event_type=event_type,
            kind=kind,
            recipient=recipient,
            member_id=member_id,
            reviewer_id=reviewer_id,
            locale=locale,
            context=context,
            message_id=message_id(event_id, recipient, domain),
            status=DeliveryStatus.PENDING if wanted else DeliveryStatus.SKIPPED,
            created_at=now,
            next_attempt_at=now if wanted else None,
            last_error="" if wanted else "the member turned this kind off",
        )

    def _attempt(self, outcome: Outcome, now: datetime, error: str = "") -> None:
        self.attempt_count += 1
        self.attempts.append(Attempt(self.attempt_count, now, outcome, error[:2000]))

    def sent(self, subject: str, now: datetime) -> None:
        self.status = DeliveryStatus.SENT
        self.subject = subject
        self.sent_at = now
        self.next_attempt_at = None
        self.last_error = ""
        self._attempt(Outcome.SENT, now)

    def failed(self, error: str, now: datetime, policy: RetryPolicy) -> None:
        """A hand-off that may work later (server away, busy, 4xx)."""
        self.failures += 1
        self.last_error = error
        if self.failures >= policy.max_attempts:
            self._park(error, now)
            return
        self.next_attempt_at = now + policy.delay(self.failures)
        self._attempt(Outcome.FAILED, now, error)

    def parked(self, error: str, now: datetime) -> None:
        """A failure no retry can mend (a template that does not render, an
        address the server refuses): parked at once, with its error."""
        self.failures += 1
        self.last_error = error
        self._park(error, now)

    def _park(self, error: str, now: datetime) -> None:
        self.status = DeliveryStatus.PARKED
        self.next_attempt_at = None
        self._attempt(Outcome.PARKED, now, error)

    def resend(self, now: datetime) -> None:
        """Staff send a parked message again (the same Message-ID)."""
        if self.status is not DeliveryStatus.PARKED:
            raise Conflict(
                f"only a parked notification can be sent again; this one is "
                f"{self.status.value}",
                "id",
            )
        self.status = DeliveryStatus.PENDING
        self.failures = 0
        self.next_attempt_at = now
