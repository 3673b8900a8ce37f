"""The kinds of message the platform sends, and which a member may turn off."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
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


# A member's users may turn these off; every other kind is always sent.
OPTIONAL: frozenset[Kind] = frozenset(
    {Kind.PARTNERSHIP_NEWS, Kind.GRANT_ROUND_ANNOUNCEMENT}
)


def is_optional(kind: Kind) -> bool:
    return kind in OPTIONAL
