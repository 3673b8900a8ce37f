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
    ReportView,
    ReviewView,
)
from contracts.grants import ProgramStatus as GrantProgramStatus
from contracts.grants import ReportStatus as GranteeReportStatus
from gateway.context import Info
from gateway.schema.decorators import field
from gateway.schema.grants.loaders import programs_by_id

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


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


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

    @classmethod
    def of(cls, p: ProgramView) -> GrantProgram:
        e = p["eligibility"]
        return cls(
            id=strawberry.ID(p["id"]),
            name=p["name"],
            description=p["description"],
            areas=p["areas"],
            opens_at=datetime.fromisoformat(p["opens_at"]),
            closes_at=datetime.fromisoformat(p["closes_at"]),
            budget_cents=p["budget_cents"],
            max_award_cents=p["max_award_cents"],
            currency=p["currency"],
            eligibility=EligibilityRules(
                good_standing_required=e["good_standing_required"],
                partnership_requirement=PartnershipRequirement(
                    e["partnership_requirement"]
                ),
                max_population=e["max_population"],
                allowed_countries=e["allowed_countries"],
                cooling_off_years=e["cooling_off_years"],
            ),
            rubric=[
                RubricCriterion(
                    key=c["key"],
                    name=c["name"],
                    max_score=c["max_score"],
                    weight=c["weight"],
                    anchors=[ScoreAnchor(**a) for a in c["anchors"]],
                )
                for c in p["rubric"]
            ],
            reviewers_per_application=p["reviewers_per_application"],
            blind_review=p["blind_review"],
            disagreement_threshold=p["disagreement_threshold"],
            status=GrantProgramStatus(p["status"]),
            phase=GrantProgramPhase(p["phase"]),
            created_at=datetime.fromisoformat(p["created_at"]),
            published_at=when(p["published_at"]),
            panel=p["panel"],
            awarded_cents=p["awarded_cents"],
            remaining_cents=p["remaining_cents"],
        )


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

    @classmethod
    def of(cls, r: ReviewView) -> Review:
        return cls(
            assignment_id=strawberry.ID(r["assignment_id"])
            if r["assignment_id"]
            else None,
            reviewer_id=r["reviewer_id"],
            status=ReviewStatus(r["status"]),
            scores=[CriterionScore(**s) for s in r["scores"]],
            total=r["total"],
            comment=r["comment"],
            submitted_at=when(r["submitted_at"]),
            recusal_reason=r["recusal_reason"],
        )


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

    @classmethod
    def of(cls, i: InstalmentView) -> Instalment:
        return cls(
            id=strawberry.ID(i["id"]),
            award_id=i["award_id"],
            seq=i["seq"],
            amount_cents=i["amount_cents"],
            currency=i["currency"],
            condition=InstalmentCondition(i["condition"]),
            status=InstalmentStatus(i["status"]),
            released_at=when(i["released_at"]),
            disbursement_id=i["disbursement_id"],
            scheduled_at=when(i["scheduled_at"]),
            paid_at=when(i["paid_at"]),
            paid_cents=i["paid_cents"],
            reference=i["reference"],
        )


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

    @classmethod
    def of(cls, r: ReportView) -> GranteeReport:
        return cls(
            id=strawberry.ID(r["id"]),
            award_id=r["award_id"],
            member_id=r["member_id"],
            kind=GranteeReportKind(r["kind"]),
            narrative=r["narrative"],
            spending=[MoneyLine(**line) for line in r["spending"]],
            attachments=[DocumentRef(**a) for a in r["attachments"]],
            status=GranteeReportStatus(r["status"]),
            submitted_at=datetime.fromisoformat(r["submitted_at"]),
            reviewed_at=when(r["reviewed_at"]),
            staff_comment=r["staff_comment"],
        )


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

    @classmethod
    def of(cls, a: AwardView) -> GrantAward:
        return cls(
            id=strawberry.ID(a["id"]),
            application_id=a["application_id"],
            program_id=a["program_id"],
            member_id=a["member_id"],
            amount_cents=a["amount_cents"],
            currency=a["currency"],
            conditions=a["conditions"],
            awarded_at=datetime.fromisoformat(a["awarded_at"]),
            agreement_signed_at=when(a["agreement_signed_at"]),
            paid_cents=a["paid_cents"],
            instalments=[Instalment.of(i) for i in a["instalments"]],
            reports=[GranteeReport.of(r) for r in a["reports"]],
        )


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

    @classmethod
    def of(cls, a: ApplicationView) -> GrantApplication:
        return cls(
            id=strawberry.ID(a["id"]),
            program_id=a["program_id"],
            area=a["area"],
            title=a["title"],
            amount_requested_cents=a["amount_requested_cents"],
            currency=a["currency"],
            narrative=a["narrative"],
            budget=[MoneyLine(**line) for line in a["budget"]],
            attachments=[DocumentRef(**d) for d in a["attachments"]],
            status=ApplicationStatus(a["status"]),
            created_at=datetime.fromisoformat(a["created_at"]),
            updated_at=datetime.fromisoformat(a["updated_at"]),
            submitted_at=when(a["submitted_at"]),
            blind=a["blind"],
            member_id=a["member_id"],
            applicant_name=a["applicant_name"],
            partnership_id=a["partnership_id"],
            partner_city=a["partner_city"],
            partner_country=a["partner_country"],
            ineligibility_reasons=a["ineligibility_reasons"],
            decided_at=when(a["decided_at"]),
            decline_reasons=a["decline_reasons"],
            decision_letter=a["decision_letter"],
            withdrawn_at=when(a["withdrawn_at"]),
            award=GrantAward.of(a["award"]) if a["award"] else None,
            reviews=[Review.of(r) for r in a["reviews"]],
            score=ScoreSummary(**a["score"]) if a["score"] else None,
            my_review=Review.of(a["my_assignment"]) if a["my_assignment"] else None,
        )


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

    @classmethod
    def of(cls, a: AssignmentView) -> ReviewAssignment:
        return cls(
            # Always set on the reviewer's own assignments.
            assignment_id=strawberry.ID(str(a["assignment_id"])),
            application_id=a["application_id"],
            program_id=a["program_id"],
            program_name=a["program_name"],
            application_title=a["application_title"],
            blind=a["blind"],
            assigned_at=datetime.fromisoformat(a["assigned_at"]),
            status=ReviewStatus(a["status"]),
            scores=[CriterionScore(**s) for s in a["scores"]],
            total=a["total"],
            comment=a["comment"],
            submitted_at=when(a["submitted_at"]),
            recusal_reason=a["recusal_reason"],
        )


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

    @classmethod
    def of(cls, r: RankingView) -> ProgramRanking:
        return cls(
            program_id=r["program_id"],
            budget_cents=r["budget_cents"],
            awarded_cents=r["awarded_cents"],
            remaining_cents=r["remaining_cents"],
            disagreement_threshold=r["disagreement_threshold"],
            entries=[
                RankingEntry(
                    rank=e["rank"],
                    application_id=e["application_id"],
                    member_id=e["member_id"],
                    applicant_name=e["applicant_name"],
                    title=e["title"],
                    status=ApplicationStatus(e["status"]),
                    amount_requested_cents=e["amount_requested_cents"],
                    cumulative_requested_cents=e["cumulative_requested_cents"],
                    reviews_expected=e["reviews_expected"],
                    reviews=e["reviews"],
                    score=e["score"],
                    spread=e["spread"],
                    disagreement=e["disagreement"],
                )
                for e in r["entries"]
            ],
        )


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

    @classmethod
    def of(cls, r: AssignmentRoundView) -> AssignmentRound:
        return cls(
            program_id=r["program_id"],
            assigned=r["assigned"],
            removed=r["removed"],
            shortfall=[ReviewShortfall(**s) for s in r["shortfall"]],
            load=[ReviewerLoad(**x) for x in r["load"]],
        )


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
