"""Use cases: assigning reviewers, recusal, scoring, and the programme ranking."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from common.errors import BadInput, Conflict, Forbidden
from common.identity import Identity
from contracts.events import ReviewerAssigned
from contracts.grants import (
    AssignmentRoundView,
    AssignmentView,
    RankingEntryView,
    RankingView,
    RecusalView,
    SubmittedReviewView,
)
from contracts.rpc import Json
from services.grants.domain.application import Application, ApplicationStatus
from services.grants.domain.assignment import Need, Plan, plan_assignments
from services.grants.domain.conflicts import ConflictIndex, Reviewer
from services.grants.domain.program import Program, ProgramStatus
from services.grants.domain.review import (
    ACTIVE,
    Assignment,
    AssignmentStatus,
    summarize,
    validate_scores,
)
from services.grants.service_layer import views
from services.grants.service_layer.shared import clean_input, found, new_id
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork, UowFactory

IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW)
RANKED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.AWARDED,
    ApplicationStatus.DECLINED,
)


@clean_input
def assign_reviewers(
    uow_factory: UowFactory, caller: Identity, program_id: str
) -> AssignmentRoundView:
    """Fill every open application of the programme up to N reviewers.

    Assignments that a new conflict now forbids (the read models changed) are
    removed first and replaced. Running it again changes nothing.
    """
    caller.require_staff()
    with uow_factory() as uow:
        program = found(uow.programs.get(program_id, lock=True), "programme")
        if program.status is ProgramStatus.DRAFT:
            raise Conflict("the programme is not published", "programId")
        now = uow.clock.now()
        apps = list(uow.applications.for_program(program.id, IN_REVIEW))
        result = _fill(uow, program, apps, now)
        uow.commit()
        return result


def _fill(
    uow: GrantsUnitOfWork, program: Program, apps: list[Application], now: datetime
) -> AssignmentRoundView:
    reviewers = {
        r.reviewer_id: r
        for r in uow.reviewers.active()
        if not program.panel or r.reviewer_id in program.panel
    }
    index = conflict_index(uow, apps, reviewers.values())
    existing = uow.assignments.for_program(program.id)
    by_app: dict[str, list[Assignment]] = {}
    for a in existing:
        by_app.setdefault(a.application_id, []).append(a)
    apps_by_id = {a.id: a for a in apps}
    removed = 0
    for a in existing:
        app = apps_by_id.get(a.application_id)
        if app is None or a.status is not AssignmentStatus.ASSIGNED:
            continue
        reviewer = reviewers.get(a.reviewer_id) or uow.reviewers.get(a.reviewer_id)
        reasons = (
            index.reasons(reviewer, app.member_id, app.partnership_id)
            if reviewer is not None
            else []
        )
        if reviewer is None or not reviewer.active:
            reasons = reasons or ["the reviewer is no longer active"]
        if reasons:
            a.remove_for_conflict(reasons, now)
            removed += 1
    load = Counter(a.reviewer_id for a in existing if a.status in ACTIVE)
    needs = []
    for app in apps:
        on_it = by_app.get(app.id, [])
        active = sum(1 for a in on_it if a.status in ACTIVE)
        needs.append(
            Need(
                application_id=app.id,
                needed=program.reviewers_per_application - active,
                order_key=views.iso(app.submitted_at) or "",
                excluded=frozenset(a.reviewer_id for a in on_it),
            )
        )
    plan = plan_assignments(
        needs,
        list(reviewers),
        dict(load),
        lambda r, a: (
            not index.reasons(
                reviewers[r], apps_by_id[a].member_id, apps_by_id[a].partnership_id
            )
        ),
    )
    _apply(uow, program, plan, apps_by_id, reviewers, now)
    return {
        "program_id": program.id,
        "assigned": len(plan.pairs),
        "removed": removed,
        "shortfall": [
            {"application_id": a, "missing": n}
            for a, n in sorted(plan.shortfall.items())
        ],
        "load": [
            {"reviewer_id": r, "assignments": n} for r, n in sorted(plan.load.items())
        ],
    }


def _apply(
    uow: GrantsUnitOfWork,
    program: Program,
    plan: Plan,
    apps_by_id: dict[str, Application],
    reviewers: dict[str, Reviewer],
    now: datetime,
) -> None:
    news = []
    for app_id, reviewer_id in plan.pairs:
        assignment = Assignment(
            id=new_id(),
            program_id=program.id,
            application_id=app_id,
            reviewer_id=reviewer_id,
            status=AssignmentStatus.ASSIGNED,
            assigned_at=now,
            scores={},
        )
        uow.assignments.add(assignment)
        app = apps_by_id[app_id]
        app.start_review(now)
        news.append(
            assigned_news(uow, program, app, reviewers[reviewer_id], assignment)
        )
    uow.emit_all("reviewer_assigned", news)


def assigned_news(
    uow: GrantsUnitOfWork,
    program: Program,
    app: Application,
    reviewer: Reviewer,
    assignment: Assignment,
) -> ReviewerAssigned:
    """The `reviewer_assigned` payload: a blind programme's leaves the
    applicant out, so no consumer can name it."""
    news: ReviewerAssigned = {
        "assignment_id": assignment.id,
        "reviewer_id": reviewer.reviewer_id,
        "reviewer_name": reviewer.name,
        "reviewer_email": reviewer.email,
        "program_id": program.id,
        "program_name": program.name,
        "application_id": app.id,
        "application_title": app.title,
        "blind": program.blind_review,
    }
    if not program.blind_review:
        member = uow.facts.member(app.member_id)
        news["applicant_member_id"] = app.member_id
        news["applicant_name"] = member.name if member and member.name else ""
    return news


def conflict_index(
    uow: GrantsUnitOfWork, apps: list[Application], reviewers: Any
) -> ConflictIndex:
    member_ids = {a.member_id for a in apps} | {r.home_member_id for r in reviewers}
    partnerships = uow.facts.partnerships_of(member_ids)
    applied = [uow.facts.partnership(a.partnership_id) for a in apps]
    known = {p.partnership_id for p in partnerships}
    partnerships += [
        p for p in applied if p is not None and p.partnership_id not in known
    ]
    return ConflictIndex(uow.facts.members(member_ids), partnerships)


def conflicts_of(
    uow: GrantsUnitOfWork, reviewer: Reviewer, app: Application
) -> list[str]:
    return conflict_index(uow, [app], [reviewer]).reasons(
        reviewer, app.member_id, app.partnership_id
    )


@clean_input
def my_review_assignments(
    uow_factory: UowFactory, caller: Identity
) -> list[AssignmentView]:
    reviewer_id = caller.require_reviewer()
    with uow_factory() as uow:
        mine = uow.assignments.for_reviewer(reviewer_id, active_only=False)
        apps = uow.applications.get_many(a.application_id for a in mine)
        result: list[AssignmentView] = []
        for a in mine:
            app = apps[a.application_id]
            program = found(uow.programs.get(app.program_id), "programme")
            result.append(
                {
                    **views.review(a, with_reviewer=True),
                    "application_id": a.application_id,
                    "program_id": a.program_id,
                    "program_name": program.name,
                    "application_title": app.title,
                    "blind": program.blind_review,
                    "assigned_at": a.assigned_at.isoformat(),
                }
            )
        return result


@clean_input
def recuse(
    uow_factory: UowFactory, caller: Identity, assignment_id: str, reason: str
) -> RecusalView:
    """The reviewer steps aside with a reason; another one takes the place."""
    reviewer_id = caller.require_reviewer()
    with uow_factory() as uow:
        assignment = found(
            uow.assignments.get(assignment_id), "assignment", "assignmentId"
        )
        assignment.require_reviewer(reviewer_id)
        program = found(uow.programs.get(assignment.program_id, lock=True), "programme")
        now = uow.clock.now()
        assignment.recuse(reason or "", now)
        app = found(uow.applications.get(assignment.application_id), "application")
        replacement = None
        if app.status in IN_REVIEW:
            uow.session.flush()
            result = _fill(uow, program, [app], now)
            if result["assigned"]:
                replacement = "assigned"
        uow.commit()
        return {
            **views.review(assignment, with_reviewer=True),
            "application_id": app.id,
            "replacement": replacement,
        }


@clean_input
def submit_review(
    uow_factory: UowFactory,
    caller: Identity,
    assignment_id: str,
    scores: list[Json] | dict[str, Any],
    comment: str = "",
) -> SubmittedReviewView:
    reviewer_id = caller.require_reviewer()
    if isinstance(scores, list):
        try:
            score_map = {str(s["key"]): s["score"] for s in scores}
        except (KeyError, TypeError):
            raise BadInput("each score needs a key and a score", "scores") from None
        if len(score_map) != len(scores):
            raise BadInput("a criterion is scored twice", "scores")
    elif isinstance(scores, dict):
        score_map = dict(scores)
    else:
        raise BadInput("must be a list of {key, score}", "scores")
    if comment is not None and not isinstance(comment, str):
        raise BadInput("must be text", "comment")
    with uow_factory() as uow:
        assignment = found(
            uow.assignments.get(assignment_id), "assignment", "assignmentId"
        )
        assignment.require_reviewer(reviewer_id)
        app = found(uow.applications.get(assignment.application_id), "application")
        program = found(uow.programs.get(assignment.program_id), "programme")
        if app.status not in IN_REVIEW:
            raise Conflict(f"the application is {app.status.value}", "assignmentId")
        reviewer = found(uow.reviewers.get(reviewer_id), "reviewer", "assignmentId")
        # Enforced again at scoring: the read models may have changed since.
        reasons = conflicts_of(uow, reviewer, app)
        if reasons:
            raise Forbidden(
                "conflict of interest: " + "; ".join(reasons), "assignmentId"
            )
        clean = validate_scores(program.rubric, score_map)
        assignment.submit(program.rubric, clean, comment or "", uow.clock.now())
        uow.commit()
        return {
            **views.review(assignment, with_reviewer=True),
            "application_id": app.id,
        }


@clean_input
def program_ranking(
    uow_factory: UowFactory, caller: Identity, program_id: str
) -> RankingView:
    """Applications by weighted score, highest first; unscored ones last."""
    caller.require_staff()
    with uow_factory() as uow:
        program = found(uow.programs.get(program_id), "programme", "programId")
        apps = list(uow.applications.for_program(program.id, RANKED))
        assignments = uow.assignments.for_program(program.id)
        members = uow.facts.members(a.member_id for a in apps)
        awarded = uow.awards.awarded_total(program.id)
        totals: dict[str, list[float]] = {}
        for a in assignments:
            if a.status is AssignmentStatus.SUBMITTED and a.total is not None:
                totals.setdefault(a.application_id, []).append(a.total)
        rows = []
        for app in apps:
            s = summarize(totals.get(app.id, []), program.disagreement_threshold)
            rows.append((app, s))
        rows.sort(
            key=lambda r: (
                r[1].score is None,
                -(r[1].score or 0.0),
                views.iso(r[0].submitted_at) or "",
                r[0].id,
            )
        )
        entries: list[RankingEntryView] = []
        cumulative = 0
        for rank, (app, s) in enumerate(rows, start=1):
            cumulative += app.amount_requested_cents
            member = members.get(app.member_id)
            entries.append(
                {
                    "rank": rank,
                    "application_id": app.id,
                    "member_id": app.member_id,
                    "applicant_name": member.name if member else None,
                    "title": app.title,
                    "status": app.status,
                    "amount_requested_cents": app.amount_requested_cents,
                    "cumulative_requested_cents": cumulative,
                    "reviews_expected": program.reviewers_per_application,
                    **views.summary(s),
                }
            )
        return {
            "program_id": program.id,
            "budget_cents": program.budget_cents,
            "awarded_cents": awarded,
            "remaining_cents": program.budget_cents - awarded,
            "disagreement_threshold": program.disagreement_threshold,
            "entries": entries,
        }
