"""GraphQL inputs of the grants domain, and how they go on the wire."""

from __future__ import annotations

from datetime import datetime

import strawberry

from gateway.schema.grants.types import (
    ApplicationStatus,
    DecisionOutcome,
    GranteeReportKind,
    InstalmentCondition,
    PartnershipRequirement,
)


@strawberry.input
class ScoreAnchorInput:
    score: int
    text: str


@strawberry.input
class RubricCriterionInput:
    key: str
    name: str
    max_score: int
    weight: float = 1.0
    anchors: list[ScoreAnchorInput] | None = strawberry.UNSET


@strawberry.input
class EligibilityInput:
    good_standing_required: bool = True
    partnership_requirement: PartnershipRequirement = PartnershipRequirement.ACTIVE
    max_population: int | None = None
    allowed_countries: list[str] | None = strawberry.UNSET
    cooling_off_years: int = 0


@strawberry.input
class GrantProgramInput:
    name: str
    description: str = ""
    areas: list[str]
    opens_at: datetime
    closes_at: datetime
    budget_cents: int
    max_award_cents: int
    currency: str = "USD"
    eligibility: EligibilityInput | None = strawberry.UNSET
    rubric: list[RubricCriterionInput]
    reviewers_per_application: int = 2
    blind_review: bool = False
    disagreement_threshold: float = strawberry.field(
        default=20.0, description="Spread (points out of 100) that flags disagreement."
    )
    panel: list[str] | None = strawberry.UNSET


@strawberry.input
class RegisterReviewerInput:
    reviewer_id: str
    name: str
    home_member_id: str
    active: bool = True
    email: str | None = strawberry.field(
        default=None, description="Where review assignments are announced."
    )


@strawberry.input(name="GrantMoneyLineInput")
class MoneyLineInput:
    item: str
    amount_cents: int


@strawberry.input(name="GrantDocumentRefInput")
class DocumentRefInput:
    name: str
    ref: str


@strawberry.input
class ApplicationInput:
    id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Absent: a new draft."
    )
    program_id: strawberry.ID
    member_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the caller's community."
    )
    partnership_id: strawberry.ID
    area: str
    title: str = ""
    amount_requested_cents: int
    narrative: str = ""
    budget: list[MoneyLineInput] | None = strawberry.UNSET
    attachments: list[DocumentRefInput] | None = strawberry.UNSET


@strawberry.input
class ApplicationFilter:
    program_id: strawberry.ID | None = strawberry.UNSET
    member_id: strawberry.ID | None = strawberry.UNSET
    partnership_id: strawberry.ID | None = strawberry.UNSET
    statuses: list[ApplicationStatus] | None = strawberry.UNSET


@strawberry.input(name="GrantScoreInput")
class ScoreInput:
    key: str
    score: int


@strawberry.input
class InstalmentPlanInput:
    amount_cents: int
    condition: InstalmentCondition = InstalmentCondition.NONE


@strawberry.input
class DecisionInput:
    outcome: DecisionOutcome
    amount_cents: int | None = strawberry.field(
        default=strawberry.UNSET, description="Defaults to the amount requested."
    )
    conditions: str | None = strawberry.UNSET
    reasons: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="Required to decline."
    )
    instalments: list[InstalmentPlanInput] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Default: one instalment once the agreement is signed.",
    )


@strawberry.input
class GranteeReportInput:
    kind: GranteeReportKind
    narrative: str
    spending: list[MoneyLineInput] | None = strawberry.UNSET
    attachments: list[DocumentRefInput] | None = strawberry.UNSET
