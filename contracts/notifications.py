"""The notifications service on the wire: its enums and the views it returns.

Views are JSON objects (snake_case keys, ISO times as strings); an enum
field carries the enum's value (see contracts/members.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict


class NotificationKind(StrEnum):
    """What a message is about."""

    INVOICE_ISSUED = "INVOICE_ISSUED"
    DUES_REMINDER = "DUES_REMINDER"
    PAYMENT_RECEIPT = "PAYMENT_RECEIPT"
    PAYMENT_FAILED = "PAYMENT_FAILED"
    CHECKOUT_EXPIRED = "CHECKOUT_EXPIRED"
    REFUND_ISSUED = "REFUND_ISSUED"
    MEMBERSHIP_LAPSED = "MEMBERSHIP_LAPSED"
    PARTNERSHIP_NEWS = "PARTNERSHIP_NEWS"
    APPLICATION_SUBMITTED = "APPLICATION_SUBMITTED"
    APPLICATION_DECIDED = "APPLICATION_DECIDED"
    INSTALMENT_RELEASED = "INSTALMENT_RELEASED"
    REVIEW_ASSIGNED = "REVIEW_ASSIGNED"
    GRANT_ROUND_ANNOUNCEMENT = "GRANT_ROUND_ANNOUNCEMENT"
    GRANTEE_REPORT_DUE = "GRANTEE_REPORT_DUE"
    GRANTEE_REPORT_ACCEPTED = "GRANTEE_REPORT_ACCEPTED"
    REVIEW_REMINDER = "REVIEW_REMINDER"
    # To staff, once a day, from no event: what waits for them.
    STAFF_DIGEST = "STAFF_DIGEST"


class DeliveryStatus(StrEnum):
    PENDING = "PENDING"
    SENT = "SENT"
    PARKED = "PARKED"
    SKIPPED = "SKIPPED"


class AttemptOutcome(StrEnum):
    SENT = "SENT"
    FAILED = "FAILED"  # to be tried again
    PARKED = "PARKED"  # not tried again until staff resend it


class AttemptView(TypedDict):
    number: int
    at: str
    outcome: AttemptOutcome
    error: str | None


class NotificationView(TypedDict):
    id: str
    event_id: str
    event_type: str
    kind: NotificationKind
    recipient: str
    member_id: str | None
    reviewer_id: str | None
    locale: str
    status: DeliveryStatus
    subject: str
    message_id: str
    attempt_count: int
    last_error: str | None
    created_at: str
    next_attempt_at: str | None  # while PENDING: when the next hand-off is due
    sent_at: str | None
    attempts: list[AttemptView]


class PreferencesView(TypedDict):
    member_id: str
    opted_out: list[NotificationKind]
    optional: list[NotificationKind]


class UnsubscribedView(TypedDict):
    member_id: str
    kind: NotificationKind


class StaffDigestView(TypedDict):
    counts: dict[str, int]  # payments_held, dead_letters, ... (see digest)
    generated_at: str
