"""What each caller sees: contracts.grants' views (snake_case, ISO 8601 times)."""

from __future__ import annotations

from datetime import datetime

from contracts.grants import (
    ApplicationView,
    AwardView,
    DocumentRefView,
    InstalmentView,
    MoneyLineView,
    ProgramView,
    ReportView,
    ReviewerView,
    ReviewView,
    ScoreSummaryView,
)
from services.grants.domain.application import Application, Attachment, BudgetLine
from services.grants.domain.awards import Award, Instalment
from services.grants.domain.conflicts import Reviewer
from services.grants.domain.facts import MemberFacts, PartnershipFacts
from services.grants.domain.program import Program
from services.grants.domain.reports import GranteeReport
from services.grants.domain.review import Assignment, ScoreSummary


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def program(p: Program, now: datetime, awarded_cents: int | None = None) -> ProgramView:
    rules = p.eligibility
    view: ProgramView = {
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "areas": list(p.areas),
        "opens_at": p.opens_at.isoformat(),
        "closes_at": p.closes_at.isoformat(),
        "budget_cents": p.budget_cents,
        "max_award_cents": p.max_award_cents,
        "currency": p.currency,
        "eligibility": {
            "good_standing_required": rules.good_standing_required,
            "partnership_requirement": rules.partnership_requirement,
            "max_population": rules.max_population,
            "allowed_countries": list(rules.allowed_countries),
            "cooling_off_years": rules.cooling_off_years,
        },
        "rubric": [
            {
                "key": c.key,
                "name": c.name,
                "max_score": c.max_score,
                "weight": c.weight,
                "anchors": [{"score": s, "text": t} for s, t in c.anchors.items()],
            }
            for c in p.rubric
        ],
        "reviewers_per_application": p.reviewers_per_application,
        "blind_review": p.blind_review,
        "disagreement_threshold": p.disagreement_threshold,
        "status": p.status,
        "phase": p.phase(now),
        "created_at": p.created_at.isoformat(),
        "published_at": iso(p.published_at),
        "panel": list(p.panel),
        "awarded_cents": awarded_cents,
        "remaining_cents": (
            p.budget_cents - awarded_cents if awarded_cents is not None else None
        ),
    }
    return view


def money_line(line: BudgetLine) -> MoneyLineView:
    return {"item": line.item, "amount_cents": line.amount_cents}


def document(a: Attachment) -> DocumentRefView:
    return {"name": a.name, "ref": a.ref}


def summary(s: ScoreSummary) -> ScoreSummaryView:
    return {
        "reviews": s.reviews,
        "score": s.score,
        "spread": s.spread,
        "disagreement": s.disagreement,
    }


def review(a: Assignment, with_reviewer: bool) -> ReviewView:
    return {
        "assignment_id": a.id if with_reviewer else None,
        "reviewer_id": a.reviewer_id if with_reviewer else None,
        "status": a.status,
        "scores": [{"key": k, "score": v} for k, v in a.scores.items()],
        "total": a.total,
        "comment": a.comment,
        "submitted_at": iso(a.submitted_at),
        "recusal_reason": a.recusal_reason if with_reviewer else None,
    }


def application(
    app: Application,
    *,
    member: MemberFacts | None,
    partnership: PartnershipFacts | None,
    show_identity: bool = True,
    show_outcome: bool = True,
    reviews: list[ReviewView] | None = None,
    scores: ScoreSummaryView | None = None,
    award: AwardView | None = None,
    letter: str | None = None,
    my_assignment: ReviewView | None = None,
) -> ApplicationView:
    view: ApplicationView = {
        "id": app.id,
        "program_id": app.program_id,
        "area": app.area,
        "title": app.title,
        "amount_requested_cents": app.amount_requested_cents,
        "currency": app.currency,
        "narrative": app.narrative,
        "budget": [money_line(line) for line in app.budget],
        "attachments": [document(a) for a in app.attachments],
        "status": app.status,
        "created_at": app.created_at.isoformat(),
        "updated_at": app.updated_at.isoformat(),
        "submitted_at": iso(app.submitted_at),
        "blind": not show_identity,
        # Identity fields: hidden from reviewers of a blind programme.
        "member_id": app.member_id if show_identity else None,
        "applicant_name": (member.name if member else None) if show_identity else None,
        "partnership_id": app.partnership_id if show_identity else None,
        "partner_city": (
            (partnership.partner_city if partnership else None)
            if show_identity
            else None
        ),
        "partner_country": partnership.country if partnership else None,
        "ineligibility_reasons": (
            list(app.ineligibility_reasons) if show_outcome else []
        ),
        "decided_at": iso(app.decided_at) if show_outcome else None,
        "decline_reasons": list(app.decline_reasons) if show_outcome else [],
        "decision_letter": letter if show_outcome else None,
        "withdrawn_at": iso(app.withdrawn_at),
        "award": award if show_outcome else None,
        "reviews": reviews or [],
        "score": scores,
        "my_assignment": my_assignment,
    }
    return view


def instalment(i: Instalment) -> InstalmentView:
    return {
        "id": i.id,
        "award_id": i.award_id,
        "seq": i.seq,
        "amount_cents": i.amount_cents,
        "currency": i.currency,
        "condition": i.condition,
        "status": i.status,
        "released_at": iso(i.released_at),
        "disbursement_id": i.disbursement_id,
        "scheduled_at": iso(i.scheduled_at),
        "paid_at": iso(i.paid_at),
        "paid_cents": i.paid_cents,
        "reference": i.reference,
    }


def report(r: GranteeReport) -> ReportView:
    return {
        "id": r.id,
        "award_id": r.award_id,
        "member_id": r.member_id,
        "kind": r.kind,
        "narrative": r.narrative,
        "spending": [money_line(line) for line in r.spending],
        "attachments": [document(a) for a in r.attachments],
        "status": r.status,
        "submitted_at": r.submitted_at.isoformat(),
        "reviewed_at": iso(r.reviewed_at),
        "staff_comment": r.staff_comment,
    }


def award(
    a: Award, instalments: list[Instalment], reports: list[GranteeReport]
) -> AwardView:
    paid = sum(i.paid_cents or i.amount_cents for i in instalments if i.paid_at)
    return {
        "id": a.id,
        "application_id": a.application_id,
        "program_id": a.program_id,
        "member_id": a.member_id,
        "amount_cents": a.amount_cents,
        "currency": a.currency,
        "conditions": a.conditions,
        "awarded_at": a.awarded_at.isoformat(),
        "agreement_signed_at": iso(a.agreement_signed_at),
        "paid_cents": paid,
        "instalments": [instalment(i) for i in instalments],
        "reports": [report(r) for r in reports],
    }


def reviewer(r: Reviewer, home: MemberFacts | None) -> ReviewerView:
    return {
        "reviewer_id": r.reviewer_id,
        "name": r.name,
        "home_member_id": r.home_member_id,
        "home_member_name": home.name if home else None,
        "active": r.active,
        "email": r.email,
    }
