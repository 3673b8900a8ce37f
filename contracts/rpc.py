"""Every RPC method that crosses a service boundary, as typed signatures.

The gateway and other services call these over nameko RPC
(`<service>.<method>`), JSON in and out. Every method also receives the
caller's identity in the `nameko.identity` context header and checks it.
Each service's `service.py` implements its Protocol (mypy checks it: the
assignment at the end of each service.py), and the gateway calls them through
`gateway.clients`, typed by these signatures. Inputs a service validates stay
`Json`: that is the wire's edge.
"""

from __future__ import annotations

from typing import Any, Protocol, TypedDict

from contracts.grants import (
    ApplicationView,
    AssignmentRoundView,
    AssignmentView,
    AwardView,
    ProgramView,
    RankingView,
    RecusalView,
    ReportView,
    ReviewerView,
    SubmittedReviewView,
)
from contracts.grants import DailyRun as GrantsDailyRun
from contracts.members import (
    DailyRun,
    DirectoryFilter,
    DuesBandInput,
    DuesScheduleView,
    InvoiceView,
    MemberView,
    OpenedDuesYear,
    StatusChangeView,
)
from contracts.notifications import (
    NotificationView,
    PreferencesView,
    StaffDigestView,
    UnsubscribedView,
)
from contracts.page import Page, Sample
from contracts.partnerships import (
    PartnershipView,
    StatisticsView,
    SuggestionView,
    TransitionView,
)
from contracts.partnerships import PreferencesView as PartnerPreferencesView
from contracts.payments import (
    CheckoutView,
    DisbursementView,
    PaymentView,
    ReceiptView,
    RefundResultView,
)

# A JSON object as it crosses the wire: the one alias every module uses.
Json = dict[str, Any]


class HealthView(TypedDict):
    service: str
    status: str  # "UP"
    version: str


class Health(Protocol):
    def health(self) -> HealthView: ...


class Members(Health, Protocol):
    def get_member(self, member_id: str) -> MemberView: ...
    def get_members(self, member_ids: list[str]) -> list[MemberView | None]: ...
    def get_invoice(self, invoice_id: str) -> InvoiceView: ...
    def find_members(self, keys: list[list[str]]) -> list[MemberView | None]:
        """Members by [name, state] pairs, in order; None where unknown."""

    def list_members(
        self,
        filter: DirectoryFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[MemberView]:
        """The directory in name order; status and population_missing
        filters for staff (and reviewers) only."""

    def register_member(self, data: Json) -> MemberView: ...
    def update_member(self, member_id: str, changes: Json) -> MemberView: ...
    def cancel_membership(self, member_id: str, reason: str) -> MemberView: ...
    def reinstate_membership(self, member_id: str, reason: str) -> MemberView: ...
    def member_invoices(
        self, member_ids: list[str]
    ) -> list[list[InvoiceView] | None]: ...
    def status_histories(
        self, member_ids: list[str]
    ) -> list[list[StatusChangeView] | None]: ...
    def get_dues_schedule(self, fiscal_year: int) -> DuesScheduleView | None: ...
    def set_dues_schedule(
        self,
        fiscal_year: int,
        bands: list[DuesBandInput],
        grace_days: int | None = None,
    ) -> DuesScheduleView: ...
    def open_dues_year(self, fiscal_year: int) -> OpenedDuesYear: ...
    def run_daily(self, as_of: str | None = None) -> DailyRun:
        """The daily job (staff/service): status moves and reminders as of a date."""

    def get_clock(self) -> Json: ...
    def set_clock(self, today: str | None) -> Json:
        """Only with MEMBERS_CLOCK_CONTROL on (tests, demos)."""


class Partnerships(Health, Protocol):
    def propose_partnership(self, data: Json) -> PartnershipView: ...
    def record_agreement(self, partnership_id: str, data: Json) -> PartnershipView: ...
    def activate_partnership(self, partnership_id: str) -> PartnershipView: ...
    def mark_partnership_dormant(
        self, partnership_id: str, reason: str
    ) -> PartnershipView: ...
    def reactivate_partnership(
        self, partnership_id: str, signed_on: str
    ) -> PartnershipView: ...
    def terminate_partnership(
        self, partnership_id: str, reason: str
    ) -> PartnershipView: ...
    def update_partnership(
        self, partnership_id: str, data: Json
    ) -> PartnershipView: ...
    def get_partnerships(self, ids: list[str]) -> list[PartnershipView | None]: ...
    def search_partnerships(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
        order_by: str | None = None,
    ) -> Page[PartnershipView]:
        """The directory: recognized partnerships for everyone, a member's
        own for its users, all for staff; `order_by` an Order."""

    def partnerships_of_members(
        self, member_ids: list[str]
    ) -> list[list[PartnershipView]]: ...
    def partnership_histories(self, ids: list[str]) -> list[list[TransitionView]]: ...
    def partnership_stats(self, filter: Json | None = None) -> StatisticsView: ...
    def set_partner_preferences(
        self, member_id: str, data: Json
    ) -> PartnerPreferencesView: ...
    def get_partner_preferences(
        self, member_id: str
    ) -> PartnerPreferencesView | None: ...
    def partner_suggestions(
        self, member_id: str, first: int | None = None
    ) -> list[SuggestionView]: ...


class Grants(Health, Protocol):
    """Programmes, applications, review, decisions, awards (docs/grants.md)."""

    def create_program(self, data: Json) -> ProgramView: ...
    def update_program(self, program_id: str, data: Json) -> ProgramView: ...
    def publish_program(self, program_id: str) -> ProgramView: ...
    def get_program(self, program_id: str) -> ProgramView: ...
    def list_programs(
        self, status: str | None = None, ids: list[str] | None = None
    ) -> list[ProgramView]: ...
    def register_reviewer(self, data: Json) -> ReviewerView: ...
    def list_reviewers(self) -> list[ReviewerView]: ...
    def save_application(self, data: Json) -> ApplicationView: ...
    def submit_application(self, application_id: str) -> ApplicationView: ...
    def withdraw_application(
        self, application_id: str, reason: str = ""
    ) -> ApplicationView: ...
    def get_application(self, application_id: str) -> ApplicationView: ...
    def list_applications(
        self, filters: Json | None = None, first: int = 20, after: str | None = None
    ) -> Page[ApplicationView]: ...
    def assign_reviewers(self, program_id: str) -> AssignmentRoundView: ...
    def my_review_assignments(self) -> list[AssignmentView]: ...
    def recuse(self, assignment_id: str, reason: str) -> RecusalView: ...
    def submit_review(
        self, assignment_id: str, scores: list[Json], comment: str = ""
    ) -> SubmittedReviewView: ...
    def program_ranking(self, program_id: str) -> RankingView: ...
    def decide_application(
        self, application_id: str, decision: Json
    ) -> ApplicationView: ...
    def get_award(self, award_id: str) -> AwardView: ...
    def sign_agreement(self, award_id: str) -> AwardView: ...
    def release_instalment(self, instalment_id: str) -> AwardView: ...
    def submit_grantee_report(self, award_id: str, data: Json) -> ReportView: ...
    def review_grantee_report(
        self, report_id: str, accept: bool, comment: str = ""
    ) -> ReportView: ...
    def reports_awaiting_review(self, first: int = 5) -> Sample[ReportView]:
        """Staff: grantee reports SUBMITTED, not yet reviewed, oldest first."""

    def run_daily(self, as_of: str | None = None) -> GrantsDailyRun:
        """Staff: the reminders due today (report due, review deadline), once
        each."""


class Payments(Health, Protocol):
    def receive_stripe_webhook(self, payload: str, signature: str) -> Json:
        """Verify and store a Stripe event; {"ok": true, ...} or BadInput
        (-> HTTP 400)."""

    def create_dues_checkout(
        self, invoice_id: str, success_url: str, cancel_url: str
    ) -> CheckoutView: ...
    def refund_payment(
        self, payment_id: str, amount_cents: int | None = None, reason: str = ""
    ) -> RefundResultView:
        """Staff only; amount None = all that is left."""

    def get_payment(self, payment_id: str) -> PaymentView: ...
    def get_payments(self, payment_ids: list[str]) -> list[PaymentView | None]: ...
    def payments_for_invoices(
        self, invoice_ids: list[str]
    ) -> list[list[PaymentView]]: ...
    def list_payments(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[PaymentView]:
        """Newest first; filter keys member_id, status, from, to (ISO), flagged."""

    def held_payments(self, first: int = 5) -> Sample[PaymentView]:
        """Staff: money held for an amount mismatch (not refunded in full),
        oldest first."""

    def get_receipt(self, number: str) -> ReceiptView: ...
    def mark_disbursement_paid(
        self, disbursement_id: str, reference: str
    ) -> DisbursementView: ...
    def get_disbursement(self, disbursement_id: str) -> DisbursementView: ...
    def list_disbursements(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[DisbursementView]:
        """Filter keys member_id, award_id, status."""


class Notifications(Health, Protocol):
    def list_notifications(
        self,
        filter: Json | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Page[NotificationView]:
        """Newest first; filter keys recipient, member_id, kind, status, from,
        to (ISO dates). Staff see all; a member's users their own; a reviewer
        its own."""

    def get_notification(self, notification_id: str) -> NotificationView: ...
    def resend_notification(self, notification_id: str) -> NotificationView:
        """Staff: a PARKED notification goes out again (the same Message-ID)."""

    def get_notification_preferences(self, member_id: str) -> PreferencesView: ...
    def set_notification_preferences(
        self, member_id: str, opted_out: list[str]
    ) -> PreferencesView: ...
    def unsubscribe(self, token: str) -> UnsubscribedView:
        """Anyone with a signed link; BadInput if forged."""

    def staff_digest(self) -> StaffDigestView:
        """Staff: what waits for them now, asked of the services that own it:
        counts of payments_held, dead_letters, members_missing_population,
        partnerships_awaiting_approval, reports_awaiting_review;
        UNAVAILABLE if one does not answer."""

    def send_staff_digest(self, as_of: str | None = None) -> Json:
        """Staff (and the hourly timer): record the digest of a date (today,
        UTC) for STAFF_DIGEST_TO, once per (date, address); none when nothing
        waits. {as_of, recorded, counts?, skipped?}"""


SERVICES: dict[str, type] = {
    "members": Members,
    "partnerships": Partnerships,
    "grants": Grants,
    "payments": Payments,
    "notifications": Notifications,
}
