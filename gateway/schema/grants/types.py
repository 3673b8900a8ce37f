"""GraphQL types of the grants domain, built from the grants service's JSON."""

from __future__ import annotations

from datetime import datetime

import strawberry

import contracts.grants
from contracts.grants import (
    ApplicationView,
    AssignmentRoundView,
    AssignmentView,
    AwardView,
    InstalmentStatus,
    InstalmentView,
    ProgramView,
    RankingView,
    RecusalView,
    ReportView,
    ReviewView,
)
from contracts.grants import ProgramStatus as GrantProgramStatus
from contracts.grants import ReportStatus as GranteeReportStatus
from gateway.context import Info
from gateway.schema.decorators import field
from gateway.schema.grants.loaders import programs_by_id
from gateway.schema.views import from_view

# Contract enums under their GraphQL names, exported (mypy --strict) for the
# inputs and root fields: they import them from here, after the
# strawberry.enum calls below have named them (the order matters).
ApplicationStatus = contracts.grants.ApplicationStatus
PartnershipRequirement = contracts.grants.PartnershipRequirement
ReviewStatus = contracts.grants.AssignmentStatus
InstalmentCondition = contracts.grants.Condition
DecisionOutcome = contracts.grants.Outcome
GrantProgramPhase = contracts.grants.ProgramPhase
GranteeReportKind = contracts.grants.ReportKind

# The wire's enums are the schema's: strawberry marks each class in place.
strawberry.enum(GrantProgramStatus, name="GrantProgramStatus")
strawberry.enum(
    GrantProgramPhase,
    name="GrantProgramPhase",
    description="The stored status read against the clock.",
)
strawberry.enum(PartnershipRequirement, name="GrantPartnershipRequirement")
strawberry.enum(ApplicationStatus, name="GrantApplicationStatus")
strawberry.enum(ReviewStatus, name="GrantReviewStatus")
strawberry.enum(DecisionOutcome, name="DecisionOutcome")
strawberry.enum(
    InstalmentCondition,
    name="InstalmentCondition",
    description="What must have happened before an instalment is paid.",
)
strawberry.enum(InstalmentStatus, name="GrantInstalmentStatus")
strawberry.enum(GranteeReportKind, name="GranteeReportKind")
strawberry.enum(GranteeReportStatus, name="GranteeReportStatus")


@strawberry.type
class ScoreAnchor:
    score: int
    text: str


@strawberry.type
class RubricCriterion:
    key: str
    name: str
    max_score: int
    weight: float
    anchors: list[ScoreAnchor]


@strawberry.type
class EligibilityRules:
    good_standing_required: bool
    partnership_requirement: PartnershipRequirement
    max_population: int | None
    allowed_countries: list[str]
    cooling_off_years: int


@strawberry.type
class GrantProgram:
    id: strawberry.ID
    name: str
    description: str
    areas: list[str]
    opens_at: datetime
    closes_at: datetime
    budget_cents: int
    max_award_cents: int
    currency: str
    eligibility: EligibilityRules
    rubric: list[RubricCriterion]
    reviewers_per_application: int
    blind_review: bool
    disagreement_threshold: float
    status: GrantProgramStatus
    phase: GrantProgramPhase
    created_at: datetime
    published_at: datetime | None
    panel: list[str] = strawberry.field(description="Reviewer ids; empty: everyone.")
    awarded_cents: int | None = strawberry.field(description="Staff only.")
    remaining_cents: int | None = strawberry.field(description="Staff only.")

    of = from_view(ProgramView)


@strawberry.type(name="GrantMoneyLine")
class MoneyLine:
    item: str
    amount_cents: int


@strawberry.type(name="GrantDocumentRef")
class DocumentRef:
    name: str
    ref: str


@strawberry.type(name="GrantCriterionScore")
class CriterionScore:
    key: str
    score: int


@strawberry.type(name="GrantReview")
class Review:
    assignment_id: strawberry.ID | None = strawberry.field(
        description="Hidden on other reviewers' reviews."
    )
    reviewer_id: str | None
    status: ReviewStatus
    scores: list[CriterionScore]
    total: float | None = strawberry.field(description="Weighted, out of 100.")
    comment: str
    submitted_at: datetime | None
    recusal_reason: str | None

    of = from_view(ReviewView)


@strawberry.type(name="GrantScoreSummary")
class ScoreSummary:
    reviews: int
    score: float | None = strawberry.field(description="Mean of reviewers' totals.")
    spread: float | None = strawberry.field(description="Highest minus lowest total.")
    disagreement: bool = strawberry.field(description="Spread above the threshold.")


@strawberry.type(name="GrantInstalment")
class Instalment:
    id: strawberry.ID
    award_id: str
    seq: int
    amount_cents: int
    currency: str
    condition: InstalmentCondition
    status: InstalmentStatus
    released_at: datetime | None
    disbursement_id: str | None
    scheduled_at: datetime | None
    paid_at: datetime | None
    paid_cents: int | None
    reference: str

    of = from_view(InstalmentView)


@strawberry.type
class GranteeReport:
    id: strawberry.ID
    award_id: str
    member_id: str
    kind: GranteeReportKind
    narrative: str
    spending: list[MoneyLine]
    attachments: list[DocumentRef]
    status: GranteeReportStatus
    submitted_at: datetime
    reviewed_at: datetime | None
    staff_comment: str

    of = from_view(ReportView)


@strawberry.type
class GrantAward:
    id: strawberry.ID
    application_id: str
    program_id: str
    member_id: str
    amount_cents: int
    currency: str
    conditions: str
    awarded_at: datetime
    agreement_signed_at: datetime | None
    paid_cents: int
    instalments: list[Instalment]
    reports: list[GranteeReport]

    of = from_view(AwardView)


@strawberry.type
class GrantApplication:
    id: strawberry.ID
    program_id: str
    area: str
    title: str
    amount_requested_cents: int
    currency: str
    narrative: str
    budget: list[MoneyLine]
    attachments: list[DocumentRef]
    status: ApplicationStatus
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    blind: bool = strawberry.field(
        description="True when identity fields are hidden (blind review)."
    )
    member_id: str | None
    applicant_name: str | None
    partnership_id: str | None
    partner_city: str | None
    partner_country: str | None
    ineligibility_reasons: list[str]
    decided_at: datetime | None
    decline_reasons: list[str]
    decision_letter: str | None
    withdrawn_at: datetime | None
    award: GrantAward | None
    reviews: list[Review] = strawberry.field(
        description="Staff: all; a reviewer: others' only after submitting their own."
    )
    score: ScoreSummary | None
    my_review: Review | None = strawberry.field(
        description="The calling reviewer's own assignment."
    )

    @field(description="The programme applied to (batched).")
    async def program(self, info: Info) -> GrantProgram | None:
        found = await info.context.loader(programs_by_id).load(self.program_id)
        return GrantProgram.of(found) if found else None

    of = from_view(ApplicationView, my_review="my_assignment")


@strawberry.type
class ReviewAssignment:
    assignment_id: strawberry.ID
    application_id: str
    program_id: str
    program_name: str
    application_title: str
    blind: bool
    assigned_at: datetime
    status: ReviewStatus
    scores: list[CriterionScore]
    total: float | None
    comment: str
    submitted_at: datetime | None
    recusal_reason: str | None

    of = from_view(AssignmentView)


@strawberry.type(name="GrantRankingEntry")
class RankingEntry:
    rank: int
    application_id: str
    member_id: str
    applicant_name: str | None
    title: str
    status: ApplicationStatus
    amount_requested_cents: int
    cumulative_requested_cents: int
    reviews_expected: int
    reviews: int
    score: float | None
    spread: float | None
    disagreement: bool


@strawberry.type
class ProgramRanking:
    program_id: str
    budget_cents: int
    awarded_cents: int
    remaining_cents: int
    disagreement_threshold: float
    entries: list[RankingEntry]

    of = from_view(RankingView)


@strawberry.type
class ReviewShortfall:
    application_id: str
    missing: int


@strawberry.type
class ReviewerLoad:
    reviewer_id: str
    assignments: int


@strawberry.type
class AssignmentRound:
    program_id: str
    assigned: int
    removed: int = strawberry.field(description="Dropped for a new conflict.")
    shortfall: list[ReviewShortfall]
    load: list[ReviewerLoad]

    of = from_view(AssignmentRoundView)


@strawberry.type
class Reviewer:
    reviewer_id: str
    name: str
    home_member_id: str
    home_member_name: str | None
    active: bool
    email: str | None


@strawberry.type(name="GrantRecusal")
class Recusal:
    application_id: str
    status: ReviewStatus
    recusal_reason: str | None
    replacement_assigned: bool

    of = from_view(
        RecusalView, replacement_assigned=lambda r: r["replacement"] == "assigned"
    )
