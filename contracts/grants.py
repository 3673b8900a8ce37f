"""The grants service on the wire: its enums and the views it returns.

Views are JSON objects (snake_case keys, ISO times as strings); an enum
field carries the enum's value (see contracts/members.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict


class ProgramStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


class ProgramPhase(StrEnum):
    """What a reader sees: the stored status combined with the clock."""

    DRAFT = "DRAFT"
    UPCOMING = "UPCOMING"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class PartnershipRequirement(StrEnum):
    NONE = "NONE"
    ACTIVE = "ACTIVE"
    RECOGNIZED = "RECOGNIZED"


class ApplicationStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    INELIGIBLE = "INELIGIBLE"
    IN_REVIEW = "IN_REVIEW"
    AWARDED = "AWARDED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"


class AssignmentStatus(StrEnum):
    ASSIGNED = "ASSIGNED"
    SUBMITTED = "SUBMITTED"
    RECUSED = "RECUSED"
    REMOVED = "REMOVED"  # a conflict appeared after assignment


class Outcome(StrEnum):
    AWARD = "AWARD"
    DECLINE = "DECLINE"


class Condition(StrEnum):
    """What must have happened before an instalment is released."""

    NONE = "NONE"
    AGREEMENT_SIGNED = "AGREEMENT_SIGNED"
    INTERIM_REPORT_ACCEPTED = "INTERIM_REPORT_ACCEPTED"
    FINAL_REPORT_ACCEPTED = "FINAL_REPORT_ACCEPTED"
    RECEIPTS_ACCEPTED = "RECEIPTS_ACCEPTED"


class InstalmentStatus(StrEnum):
    # In the order an instalment goes through them (the domain relies on it).
    PENDING = "PENDING"
    RELEASED = "RELEASED"  # handed to payments
    SCHEDULED = "SCHEDULED"  # payments recorded the disbursement
    PAID = "PAID"


class ReportKind(StrEnum):
    INTERIM = "INTERIM"
    FINAL = "FINAL"
    RECEIPTS = "RECEIPTS"


class ReportStatus(StrEnum):
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    RETURNED = "RETURNED"


# --- programmes ---------------------------------------------------------------


class ScoreAnchorView(TypedDict):
    score: int
    text: str


class CriterionView(TypedDict):
    key: str
    name: str
    max_score: int
    weight: float
    anchors: list[ScoreAnchorView]


class EligibilityView(TypedDict):
    good_standing_required: bool
    partnership_requirement: PartnershipRequirement
    max_population: int | None
    allowed_countries: list[str]
    cooling_off_years: int


class ProgramView(TypedDict):
    id: str
    name: str
    description: str
    areas: list[str]
    opens_at: str
    closes_at: str
    budget_cents: int
    max_award_cents: int
    currency: str
    eligibility: EligibilityView
    rubric: list[CriterionView]
    reviewers_per_application: int
    blind_review: bool
    disagreement_threshold: float
    status: ProgramStatus
    phase: ProgramPhase
    created_at: str
    published_at: str | None
    panel: list[str]  # reviewer ids; empty: everyone
    awarded_cents: int | None  # staff only
    remaining_cents: int | None


class ReviewerView(TypedDict):
    reviewer_id: str
    name: str
    home_member_id: str
    home_member_name: str | None
    active: bool
    email: str | None


# --- applications and review ----------------------------------------------------


class MoneyLineView(TypedDict):
    item: str
    amount_cents: int


class DocumentRefView(TypedDict):
    name: str
    ref: str


class ScoreView(TypedDict):
    key: str
    score: int


class ReviewView(TypedDict):
    assignment_id: str | None  # hidden on other reviewers' reviews
    reviewer_id: str | None
    status: AssignmentStatus
    scores: list[ScoreView]
    total: float | None
    comment: str
    submitted_at: str | None
    recusal_reason: str | None


class SubmittedReviewView(ReviewView):
    application_id: str


class RecusalView(ReviewView):
    application_id: str
    replacement: str | None  # "assigned" when another reviewer took the place


class AssignmentView(ReviewView):
    """A reviewer's own assignment, with what it is about."""

    application_id: str
    program_id: str
    program_name: str
    application_title: str
    blind: bool
    assigned_at: str


class ScoreSummaryView(TypedDict):
    reviews: int
    score: float | None  # mean of the reviewers' totals
    spread: float | None  # highest minus lowest
    disagreement: bool


class InstalmentView(TypedDict):
    id: str
    award_id: str
    seq: int
    amount_cents: int
    currency: str
    condition: Condition
    status: InstalmentStatus
    released_at: str | None
    disbursement_id: str | None
    scheduled_at: str | None
    paid_at: str | None
    paid_cents: int | None
    reference: str


class ReportView(TypedDict):
    id: str
    award_id: str
    member_id: str
    kind: ReportKind
    narrative: str
    spending: list[MoneyLineView]
    attachments: list[DocumentRefView]
    status: ReportStatus
    submitted_at: str
    reviewed_at: str | None
    staff_comment: str


class AwardView(TypedDict):
    id: str
    application_id: str
    program_id: str
    member_id: str
    amount_cents: int
    currency: str
    conditions: str
    awarded_at: str
    agreement_signed_at: str | None
    paid_cents: int
    instalments: list[InstalmentView]
    reports: list[ReportView]


class ApplicationView(TypedDict):
    id: str
    program_id: str
    area: str
    title: str
    amount_requested_cents: int
    currency: str
    narrative: str
    budget: list[MoneyLineView]
    attachments: list[DocumentRefView]
    status: ApplicationStatus
    created_at: str
    updated_at: str
    submitted_at: str | None
    blind: bool
    # Identity fields: None for reviewers of a blind programme.
    member_id: str | None
    applicant_name: str | None
    partnership_id: str | None
    partner_city: str | None
    partner_country: str | None
    ineligibility_reasons: list[str]
    decided_at: str | None
    decline_reasons: list[str]
    decision_letter: str | None
    withdrawn_at: str | None
    award: AwardView | None
    reviews: list[ReviewView]
    score: ScoreSummaryView | None
    my_assignment: ReviewView | None


class RankingEntryView(ScoreSummaryView):
    rank: int
    application_id: str
    member_id: str
    applicant_name: str | None
    title: str
    status: ApplicationStatus
    amount_requested_cents: int
    cumulative_requested_cents: int
    reviews_expected: int


class RankingView(TypedDict):
    program_id: str
    budget_cents: int
    awarded_cents: int
    remaining_cents: int
    disagreement_threshold: float
    entries: list[RankingEntryView]


class ShortfallView(TypedDict):
    application_id: str
    missing: int


class ReviewerLoadView(TypedDict):
    reviewer_id: str
    assignments: int


class AssignmentRoundView(TypedDict):
    program_id: str
    assigned: int
    removed: int
    shortfall: list[ShortfallView]
    load: list[ReviewerLoadView]


class DailyRun(TypedDict):
    as_of: str
    report_reminders: int
    review_reminders: int
