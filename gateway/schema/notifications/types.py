"""GraphQL types of the notifications domain, built from the service's JSON."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

import contracts.notifications
from contracts.notifications import AttemptOutcome as NotificationAttemptOutcome
from contracts.notifications import DeliveryStatus as NotificationStatus
from contracts.notifications import (
    NotificationView,
    PreferencesView,
    StaffDigestView,
)
from contracts.rpc import Json
from gateway.schema.views import from_view

# Contract enums under their GraphQL names, exported (mypy --strict) for the
# inputs and root fields: they import them from here, after the
# strawberry.enum calls below have named them (the order matters).
NotificationKind = contracts.notifications.NotificationKind

# The wire's enums are the schema's: strawberry marks each class in place.
strawberry.enum(NotificationKind, description="What a message is about.")
strawberry.enum(
    NotificationStatus,
    name="NotificationStatus",
    description="PENDING: waiting for its first or next hand-off to the mail "
    "server; SENT: the server took it; PARKED: failed for good or too often, "
    "until staff send it again; SKIPPED: the member had turned its kind off.",
)
strawberry.enum(NotificationAttemptOutcome, name="NotificationAttemptOutcome")


@strawberry.type(description="One hand-off of a message to the mail server.")
class NotificationAttempt:
    number: int
    at: datetime
    outcome: NotificationAttemptOutcome
    error: str | None


@strawberry.type(description="One message to one recipient, caused by one event.")
class Notification:
    id: strawberry.ID
    kind: NotificationKind
    recipient: str
    member_id: strawberry.ID | None
    reviewer_id: str | None
    status: NotificationStatus
    subject: str = strawberry.field(description="Empty until it was rendered.")
    message_id: str = strawberry.field(
        description="The SMTP Message-ID: the same on every hand-off."
    )
    event_type: str
    attempt_count: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None = strawberry.field(
        description="While PENDING: when the next hand-off is due."
    )
    sent_at: datetime | None
    attempts: list[NotificationAttempt]

    of = from_view(NotificationView)


@strawberry.type(
    description="A member community's choice of optional messages; the other "
    "kinds (invoices, reminders, receipts, decisions, ...) are always sent."
)
class NotificationPreferences:
    member_id: strawberry.ID
    opted_out: list[NotificationKind] = strawberry.field(
        description="The optional kinds this member does not receive."
    )
    optional: list[NotificationKind] = strawberry.field(
        description="Every kind that can be turned off."
    )

    of = from_view(PreferencesView)


@strawberry.input
class NotificationFilter:
    recipient: str | None = strawberry.field(
        default=None, description="An email address (any case)."
    )
    member_id: strawberry.ID | None = None
    kind: NotificationKind | None = None
    status: NotificationStatus | None = None
    from_: date | None = strawberry.field(
        default=None, name="from", description="Created on or after (UTC day)."
    )
    to: date | None = strawberry.field(
        default=None, description="Created on or before (UTC day)."
    )

    def wire(self) -> Json:
        return {
            "recipient": self.recipient,
            "member_id": str(self.member_id) if self.member_id else None,
            "kind": self.kind.value if self.kind else None,
            "status": self.status.value if self.status else None,
            "from": self.from_.isoformat() if self.from_ else None,
            "to": self.to.isoformat() if self.to else None,
        }


@strawberry.type(
    description="What waits for staff now: the counts of the daily digest "
    "email, asked of each service when read."
)
class StaffDigest:
    payments_held: int = strawberry.field(
        description="Payments whose money is held for an amount mismatch."
    )
    dead_letters: int = strawberry.field(
        description="Messages parked in the services' dead-letter queues."
    )
    members_missing_population: int = strawberry.field(
        description="Member communities whose population is not known."
    )
    partnerships_awaiting_approval: int = strawberry.field(
        description="Partnerships PENDING: an agreement recorded, to be verified."
    )
    reports_awaiting_review: int = strawberry.field(
        description="Grantee reports SUBMITTED, not yet accepted or returned."
    )
    generated_at: datetime

    @classmethod
    def of(cls, d: StaffDigestView) -> StaffDigest:
        counts = d["counts"]
        return cls(
            payments_held=counts["payments_held"],
            dead_letters=counts["dead_letters"],
            members_missing_population=counts["members_missing_population"],
            partnerships_awaiting_approval=counts["partnerships_awaiting_approval"],
            reports_awaiting_review=counts["reports_awaiting_review"],
            generated_at=datetime.fromisoformat(d["generated_at"]),
        )
