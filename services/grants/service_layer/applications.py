"""Use cases: a member community's applications, and reading them by role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from common.errors import BadInput, Conflict, Forbidden, NotFound
from common.identity import Identity
from contracts.grants import ApplicationView, ReviewView
from contracts.page import Page, decode_time_cursor, encode_time_cursor, page_of
from contracts.rpc import Json
from services.grants.domain.application import (
    Application,
    ApplicationStatus,
    new_application,
    parse_draft,
)
from services.grants.domain.eligibility import ineligibility_reasons
from services.grants.domain.letters import decision_letter
from services.grants.domain.program import Program, ProgramPhase
from services.grants.domain.review import ACTIVE, AssignmentStatus, summarize
from services.grants.service_layer import views
from services.grants.service_layer.review import conflict_index
from services.grants.service_layer.shared import clean_input, found, new_id
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork, UowFactory

MAX_PAGE = 100


@clean_input
def save_application(
    uow_factory: UowFactory, caller: Identity, data: Json
) -> ApplicationView:
    """Create a draft (no `id`) or edit one; nothing is checked for eligibility."""
    caller.require_authenticated()
    with uow_factory() as uow:
        now = uow.clock.now()
        app_id = data.get("id")
        if app_id:
            app = found(uow.applications.get(str(app_id)), "application")
            caller.require_member_sees(app.member_id, "application")
            program = found(uow.programs.get(app.program_id), "programme")
            app.edit(parse_draft({**data, "program_id": program.id}, program), now)
        else:
            member_id = str(data.get("member_id") or caller.member_id or "")
            if not member_id:
                raise BadInput("name the member community applying", "memberId")
            caller.require_member(member_id)
            chosen = uow.programs.get(str(data.get("program_id") or ""))
            if chosen is None or chosen.phase(now) is ProgramPhase.DRAFT:
                raise NotFound("no such programme", "programId")
            program = chosen
            if program.phase(now) is ProgramPhase.CLOSED:
                program.require_open(now)  # the deadline's own clear message
            if uow.applications.live_for(program.id, member_id):
                raise Conflict(
                    "this member community already has an application in this "
                    "programme: edit that one",
                    "programId",
                )
            app = new_application(
                new_id(), member_id, parse_draft(data, program), program.currency, now
            )
            uow.applications.add(app)
        uow.commit()
        return render(uow, caller, [app])[0]


@clean_input
def submit_application(
    uow_factory: UowFactory, caller: Identity, application_id: str
) -> ApplicationView:
    """Submit before the deadline; eligibility is judged now, from the read models."""
    caller.require_authenticated()
    with uow_factory() as uow:
        app = found(uow.applications.get(application_id), "application")
        caller.require_member_sees(app.member_id, "application")
        program = found(uow.programs.get(app.program_id), "programme")
        now = uow.clock.now()
        reasons = ineligibility_reasons(
            app,
            program,
            uow.facts.member(app.member_id),
            uow.facts.partnership(app.partnership_id),
            uow.awards.last_awarded_at(app.member_id),
            now,
        )
        app.submit(program, reasons, now)
        uow.emit(
            "application_submitted",
            {
                "application_id": app.id,
                "program_id": app.program_id,
                "member_id": app.member_id,
                "partnership_id": app.partnership_id,
                "amount_requested_cents": app.amount_requested_cents,
                "eligible": not reasons,
            },
        )
        uow.commit()
        return render(uow, caller, [app])[0]


@clean_input
def withdraw_application(
    uow_factory: UowFactory, caller: Identity, application_id: str, reason: str = ""
) -> ApplicationView:
    caller.require_authenticated()
    with uow_factory() as uow:
        app = found(uow.applications.get(application_id), "application")
        caller.require_member_sees(app.member_id, "application")
        if len(reason or "") > 2000:
            raise BadInput("must be at most 2000 characters", "reason")
        now = uow.clock.now()
        app.withdraw((reason or "").strip(), now)
        # Reviews still open on it are no longer needed.
        for assignment in uow.assignments.for_applications([app.id]):
            if assignment.status is AssignmentStatus.ASSIGNED:
                assignment.remove_for_conflict(["application withdrawn"], now)
        uow.commit()
        return render(uow, caller, [app])[0]


@clean_input
def get_application(
    uow_factory: UowFactory, caller: Identity, application_id: str
) -> ApplicationView:
    caller.require_authenticated()
    with uow_factory() as uow:
        app = uow.applications.get(application_id)
        if app is None:
            raise NotFound("no such application", "id")
        require_reader(uow, caller, app)
        return render(uow, caller, [app])[0]


@clean_input
def list_applications(
    uow_factory: UowFactory,
    caller: Identity,
    filters: Json | None = None,
    first: int = 20,
    after: str | None = None,
) -> Page[ApplicationView]:
    """A page of applications the caller may read: staff all, a member its own,
    a reviewer those assigned to them."""
    caller.require_authenticated()
    filters = dict(filters or {})
    if (
        isinstance(first, bool)
        or not isinstance(first, int)
        or not 0 < first <= MAX_PAGE
    ):
        raise BadInput(f"must be between 1 and {MAX_PAGE}", "first")
    position = decode_time_cursor(after) if after else None
    statuses = filters.get("statuses") or []
    for status in statuses:
        if status not in ApplicationStatus.__members__:
            raise BadInput(
                f"{status!r} is not an application status", "filter.statuses"
            )
    with uow_factory() as uow:
        if caller.role == "member":
            if filters.get("member_id") not in (None, caller.member_id):
                raise Forbidden("you may list only your own applications", "filter")
            filters["member_id"] = caller.member_id
        elif caller.role == "reviewer":
            mine = uow.assignments.for_reviewer(caller.require_reviewer(), True)
            assigned = uow.applications.get_many(a.application_id for a in mine)
            hidden = _conflicted(uow, caller, list(assigned.values()))
            filters["ids"] = [i for i in assigned if i not in hidden]
        elif not caller.is_staff:
            raise Forbidden("you may not list applications")
        apps, total, has_next = uow.applications.page(filters, first, position)
        return page_of(
            render(uow, caller, apps),
            [encode_time_cursor(a.created_at, a.id) for a in apps],
            total,
            has_next=has_next,
            has_previous=position is not None,
        )


def require_reader(uow: GrantsUnitOfWork, caller: Identity, app: Application) -> None:
    """Staff, the applicant's users, or a reviewer it is assigned to who has
    no conflict of interest with it now (the read models may have changed
    since the assignment). To anyone else it does not exist."""
    if caller.is_staff:
        return
    if caller.role == "member":
        caller.require_member_sees(app.member_id, "application")
        return
    if caller.role == "reviewer" and not _conflicted(uow, caller, [app]):
        mine = uow.assignments.find(app.id, caller.require_reviewer())
        if mine is not None and mine.status in ACTIVE:
            return
    raise NotFound("no such application", "id")


def _conflicted(
    uow: GrantsUnitOfWork, caller: Identity, apps: Sequence[Application]
) -> set[str]:
    """The ids of `apps` the calling reviewer now has a conflict with (all of
    them if the reviewer is not on the roster)."""
    reviewer = uow.reviewers.get(caller.require_reviewer())
    if reviewer is None:
        return {a.id for a in apps}
    index = conflict_index(uow, list(apps), [reviewer])
    return {
        a.id for a in apps if index.reasons(reviewer, a.member_id, a.partnership_id)
    }


def render(
    uow: GrantsUnitOfWork, caller: Identity, apps: Sequence[Application]
) -> list[ApplicationView]:
    """Views for a page of applications, with a constant number of queries."""
    if not apps:
        return []
    ids = [a.id for a in apps]
    members = uow.facts.members(a.member_id for a in apps)
    partnerships = {
        p.partnership_id: p
        for p in (uow.facts.partnership(a.partnership_id) for a in apps)
        if p is not None
    }
    programs: dict[str, Program] = {}
    for a in apps:
        if a.program_id not in programs:
            programs[a.program_id] = found(uow.programs.get(a.program_id), "programme")
    by_app: dict[str, list[Any]] = {}
    for assignment in uow.assignments.for_applications(ids):
        by_app.setdefault(assignment.application_id, []).append(assignment)
    awards = uow.awards.for_applications(ids)
    reviewer_id = caller.reviewer_id if caller.role == "reviewer" else None
    result = []
    for app in apps:
        program = programs[app.program_id]
        member = members.get(app.member_id)
        assignments = by_app.get(app.id, [])
        submitted = [a for a in assignments if a.status is AssignmentStatus.SUBMITTED]
        reviews: list[ReviewView] = []
        scores = None
        my = None
        award_view = None
        letter = None
        if reviewer_id is not None:
            mine = next((a for a in assignments if a.reviewer_id == reviewer_id), None)
            my = views.review(mine, with_reviewer=True) if mine else None
            # Independent scoring: others' scores only once one's own is in.
            if mine is not None and mine.status is AssignmentStatus.SUBMITTED:
                reviews = [views.review(a, with_reviewer=False) for a in submitted]
                scores = views.summary(
                    summarize(
                        [a.total for a in submitted], program.disagreement_threshold
                    )
                )
        else:
            if caller.is_staff:
                reviews = [views.review(a, with_reviewer=True) for a in assignments]
                scores = views.summary(
                    summarize(
                        [a.total for a in submitted], program.disagreement_threshold
                    )
                )
            award = awards.get(app.id)
            instalments = uow.awards.instalments(award.id) if award else []
            if award is not None:
                award_view = views.award(
                    award, instalments, uow.reports.for_award(award.id)
                )
            letter = decision_letter(
                program, app, member.name if member else "", award, instalments
            )
        result.append(
            views.application(
                app,
                member=member,
                partnership=partnerships.get(app.partnership_id),
                show_identity=not (reviewer_id is not None and program.blind_review),
                show_outcome=reviewer_id is None,
                reviews=reviews,
                scores=scores,
                award=award_view,
                letter=letter,
                my_assignment=my,
            )
        )
    return result
