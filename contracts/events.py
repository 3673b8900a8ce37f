"""Every event type on the platform: its producer, schema version and payload.

Events travel in `common.envelope.Envelope`; `payload` holds the fields below.
Money is in integer cents with an ISO currency code; dates are ISO 8601
strings; ids are strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NotRequired, TypedDict

MEMBERS = "members"
PARTNERSHIPS = "partnerships"
GRANTS = "grants"
PAYMENTS = "payments"


@dataclass(frozen=True)
class EventType:
    name: str
    producer: str
    payload: type
    version: int = 1


# --- members -----------------------------------------------------------------


class MemberRegistered(TypedDict):
    member_id: str
    name: str
    kind: str  # CITY | COUNTY | STATE
    state: str  # USPS code
    population: int | None
    status: str
    good_standing: bool
    dues_band: NotRequired[str]
    version: NotRequired[int]  # per member, +1 on every change: ignore older news


class MemberUpdated(TypedDict):
    member_id: str
    name: str
    kind: str
    state: str
    population: int | None
    changed: list[str]
    dues_band: NotRequired[str]
    version: NotRequired[int]


class DuesInvoiceIssued(TypedDict):
    invoice_id: str
    member_id: str
    fiscal_year: int
    amount_cents: int
    currency: str
    due_date: str
    band: str


class MembershipStatusChanged(TypedDict):
    member_id: str
    old_status: str | None
    new_status: str
    good_standing: bool
    reason: str
    changed_at: str
    population: NotRequired[int | None]
    state: NotRequired[str]
    version: NotRequired[int]


class DuesReminderDue(TypedDict):
    invoice_id: str
    member_id: str
    fiscal_year: int
    amount_cents: int
    due_date: str
    reminder: str  # DUE_IN_30_DAYS | DUE_IN_7_DAYS | GRACE_STARTED
    contact_email: NotRequired[str]
    grace_ends_on: NotRequired[str]


# --- payments ----------------------------------------------------------------


class PaymentStatusChange(TypedDict):
    """What every payment event carries: the status change it announces.

    Each change of a payment's status is announced by exactly one event:
    `payment_succeeded`, `payment_failed` or `payment_refunded` when it moves
    money for its purpose, else `payment_status_changed`. To follow every
    change (a live subscription), listen to all of `PAYMENT_STATUS_EVENTS`.
    """

    payment_id: str
    invoice_id: str | None
    member_id: str | None
    old_status: str | None
    new_status: str
    changed_at: str
    flag: str | None  # AMOUNT_MISMATCH | DUPLICATE_PAYMENT: held for staff
    amount_refunded_cents: int  # running total on the payment (only grows)


class PaymentSucceeded(PaymentStatusChange):
    purpose: str  # DUES | DISBURSEMENT
    amount_cents: int
    currency: str
    paid_at: str
    receipt_number: NotRequired[str]


class PaymentFailed(PaymentStatusChange):
    purpose: str
    reason: str


class PaymentRefunded(PaymentStatusChange):
    purpose: str
    fully_refunded: bool
    refunded_at: str
    currency: NotRequired[str]


class PaymentStatusChanged(PaymentStatusChange):
    """Every change the three events above do not announce: a new PENDING
    attempt, EXPIRED, money held for staff (flagged), a refund of it."""


PAYMENT_STATUS_EVENTS = (
    "payment_succeeded",
    "payment_failed",
    "payment_refunded",
    "payment_status_changed",
)


class DisbursementScheduled(TypedDict):
    disbursement_id: str
    award_id: str
    instalment_id: str
    member_id: str
    amount_cents: int
    currency: str


class DisbursementPaid(TypedDict):
    disbursement_id: str
    award_id: str
    instalment_id: str
    member_id: str
    amount_cents: int
    currency: str
    paid_at: str
    reference: str


# --- partnerships ------------------------------------------------------------


class PartnershipRegistered(TypedDict):
    partnership_id: str
    member_id: str
    partner_city: str
    country: str
    type: str
    status: str
    partner_region: NotRequired[str | None]
    program_areas: NotRequired[list[str]]  # ARTS_CULTURE, YOUTH_EDUCATION, ...


class PartnershipStatusChanged(TypedDict):
    partnership_id: str
    member_id: str
    partner_city: str
    country: str
    old_status: str | None
    new_status: str
    reason: str
    changed_at: str


class PartnershipRecognitionChanged(TypedDict):
    partnership_id: str
    member_id: str
    recognized: bool
    changed_at: str


# --- grants ------------------------------------------------------------------


class ApplicationSubmitted(TypedDict):
    application_id: str
    program_id: str
    member_id: str
    partnership_id: str
    amount_requested_cents: int
    eligible: bool


class ApplicationDecided(TypedDict):
    application_id: str
    program_id: str
    member_id: str
    decision: str  # AWARDED | DECLINED
    amount_cents: int | None
    letter: NotRequired[str]  # the decision letter, as the applicant reads it


class ReviewerAssigned(TypedDict):
    """A reviewer got an application to review. For a blind programme the
    applicant (`applicant_member_id`, `applicant_name`) is left out."""

    assignment_id: str
    reviewer_id: str
    reviewer_name: str
    reviewer_email: str | None  # None: registered without an address
    program_id: str
    program_name: str
    application_id: str
    application_title: str
    blind: bool
    applicant_member_id: NotRequired[str]
    applicant_name: NotRequired[str]


class GrantAwarded(TypedDict):
    award_id: str
    application_id: str
    program_id: str
    member_id: str
    amount_cents: int
    currency: str


class InstalmentReleased(TypedDict):
    """Grants asks payments to pay an instalment (payments records a disbursement)."""

    instalment_id: str
    award_id: str
    member_id: str
    amount_cents: int
    currency: str


class GrantRoundPublished(TypedDict):
    """Staff published a programme: a grant round to announce. `member_ids`:
    its audience, as grants knows member communities when it is published
    (in good standing, or any not cancelled when the programme does not ask
    for it; not above its population limit)."""

    program_id: str
    program_name: str
    description: str
    areas: list[str]
    opens_at: str
    closes_at: str
    max_award_cents: int
    currency: str
    member_ids: list[str]


class GranteeReportDue(TypedDict):
    """A report an award's instalment waits for is due soon and none is in:
    sent once per (award, report kind) by grants' daily job."""

    award_id: str
    program_id: str
    program_name: str
    member_id: str
    report_kind: str  # INTERIM | FINAL | RECEIPTS
    due_on: str  # ISO date


class GranteeReportReviewed(TypedDict):
    report_id: str
    award_id: str
    member_id: str
    report_kind: str
    status: str  # ACCEPTED | RETURNED
    staff_comment: str
    reviewed_at: str


class ReviewReminderDue(TypedDict):
    """An assignment not yet reviewed, its review deadline near: sent once
    per assignment by grants' daily job. As in `ReviewerAssigned`, a blind
    programme's leaves the applicant out."""

    assignment_id: str
    reviewer_id: str
    reviewer_name: str
    reviewer_email: str | None
    program_id: str
    program_name: str
    application_id: str
    application_title: str
    blind: bool
    review_deadline: str  # ISO time
    applicant_member_id: NotRequired[str]
    applicant_name: NotRequired[str]


CATALOGUE: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType("member_registered", MEMBERS, MemberRegistered),
        EventType("member_updated", MEMBERS, MemberUpdated),
        EventType("dues_invoice_issued", MEMBERS, DuesInvoiceIssued),
        EventType("membership_status_changed", MEMBERS, MembershipStatusChanged),
        EventType("dues_reminder_due", MEMBERS, DuesReminderDue),
        EventType("payment_succeeded", PAYMENTS, PaymentSucceeded),
        EventType("payment_failed", PAYMENTS, PaymentFailed),
        EventType("payment_refunded", PAYMENTS, PaymentRefunded),
        EventType("payment_status_changed", PAYMENTS, PaymentStatusChanged),
        EventType("disbursement_scheduled", PAYMENTS, DisbursementScheduled),
        EventType("disbursement_paid", PAYMENTS, DisbursementPaid),
        EventType("partnership_registered", PARTNERSHIPS, PartnershipRegistered),
        EventType("partnership_status_changed", PARTNERSHIPS, PartnershipStatusChanged),
        EventType(
            "partnership_recognition_changed",
            PARTNERSHIPS,
            PartnershipRecognitionChanged,
        ),
        EventType("application_submitted", GRANTS, ApplicationSubmitted),
        EventType("application_decided", GRANTS, ApplicationDecided),
        EventType("grant_awarded", GRANTS, GrantAwarded),
        EventType("instalment_released", GRANTS, InstalmentReleased),
        EventType("reviewer_assigned", GRANTS, ReviewerAssigned),
        EventType("grant_round_published", GRANTS, GrantRoundPublished),
        EventType("grantee_report_due", GRANTS, GranteeReportDue),
        EventType("grantee_report_reviewed", GRANTS, GranteeReportReviewed),
        EventType("review_reminder_due", GRANTS, ReviewReminderDue),
    )
}


def producer_of(event_type: str) -> str:
    return CATALOGUE[event_type].producer
