"""Use cases: grant programmes and the reviewer roster (staff)."""

from __future__ import annotations

import re
from typing import Any

from common.errors import BadInput, Conflict, NotFound
from common.identity import Identity
from contracts.events import GrantRoundPublished
from contracts.grants import ProgramView, ReviewerView
from contracts.rpc import Json
from services.grants.domain.conflicts import Reviewer
from services.grants.domain.program import (
    Program,
    ProgramPhase,
    ProgramStatus,
    announcement_audience,
    parse_program,
)
from services.grants.service_layer import views
from services.grants.service_layer.shared import clean_input, found, new_id
from services.grants.service_layer.unit_of_work import GrantsUnitOfWork, UowFactory

EDITABLE_FIELDS = (
    "name",
    "description",
    "areas",
    "opens_at",
    "closes_at",
    "budget_cents",
    "max_award_cents",
    "currency",
    "eligibility",
    "rubric",
    "reviewers_per_application",
    "blind_review",
    "disagreement_threshold",
    "panel",
)


@clean_input
def create_program(
    uow_factory: UowFactory, caller: Identity, data: Json
) -> ProgramView:
    caller.require_staff()
    with uow_factory() as uow:
        now = uow.clock.now()
        program = parse_program(data, new_id(), now)
        _require_reviewers(uow, program.panel)
        uow.programs.add(program)
        uow.commit()
        return views.program(program, now, 0)


@clean_input
def update_program(
    uow_factory: UowFactory, caller: Identity, program_id: str, data: Json
) -> ProgramView:
    """Replace a draft's definition; a published programme is fixed."""
    caller.require_staff()
    with uow_factory() as uow:
        program = found(uow.programs.get(program_id, lock=True), "programme")
        if program.status is not ProgramStatus.DRAFT:
            raise Conflict("a published programme can no longer be changed", "id")
        now = uow.clock.now()
        fresh = parse_program(data, program.id, now)
        _require_reviewers(uow, fresh.panel)
        for name in EDITABLE_FIELDS:
            setattr(program, name, getattr(fresh, name))
        uow.commit()
        return views.program(program, now, 0)


def _require_reviewers(uow: GrantsUnitOfWork, panel: tuple[str, ...]) -> None:
    unknown = [r for r in panel if uow.reviewers.get(r) is None]
    if unknown:
        raise BadInput(f"unknown reviewers: {', '.join(unknown)}", "panel")


@clean_input
def publish_program(
    uow_factory: UowFactory, caller: Identity, program_id: str
) -> ProgramView:
    caller.require_staff()
    with uow_factory() as uow:
        program = found(uow.programs.get(program_id, lock=True), "programme")
        now = uow.clock.now()
        program.publish(now)
        audience = announcement_audience(program, uow.facts.all_members())
        uow.emit("grant_round_published", _round_news(program, audience))
        uow.commit()
        return views.program(program, now, 0)


def _round_news(program: Program, audience: list[str]) -> GrantRoundPublished:
    """The `grant_round_published` payload: the round and whom to tell."""
    return {
        "program_id": program.id,
        "program_name": program.name,
        "description": program.description,
        "areas": list(program.areas),
        "opens_at": program.opens_at.isoformat(),
        "closes_at": program.closes_at.isoformat(),
        "max_award_cents": program.max_award_cents,
        "currency": program.currency,
        "member_ids": audience,
    }


@clean_input
def get_program(
    uow_factory: UowFactory, caller: Identity, program_id: str
) -> ProgramView:
    with uow_factory() as uow:
        program = uow.programs.get(program_id)
        # A draft does not exist for anyone but staff.
        if program is None or (
            program.status is ProgramStatus.DRAFT and not caller.is_staff
        ):
            raise NotFound("no such programme", "id")
        awarded = uow.awards.awarded_total(program.id) if caller.is_staff else None
        return views.program(program, uow.clock.now(), awarded)


@clean_input
def list_programs(
    uow_factory: UowFactory,
    caller: Identity,
    phase: str | None = None,
    ids: list[str] | None = None,
) -> list[ProgramView]:
    """`phase`: DRAFT, UPCOMING, OPEN or CLOSED; none: all the caller may see.
    `ids`: only these (the gateway's batch loader)."""
    if phase is not None and phase not in ProgramPhase.__members__:
        raise BadInput("must be DRAFT, UPCOMING, OPEN or CLOSED", "status")
    if ids is not None and (
        not isinstance(ids, list)
        or len(ids) > 500
        or not all(isinstance(i, str) for i in ids)
    ):
        raise BadInput("must be a list of at most 500 ids", "ids")
    with uow_factory() as uow:
        now = uow.clock.now()
        stored = None if caller.is_staff else ProgramStatus.PUBLISHED
        result = []
        for program in uow.programs.list(stored, ids):
            if phase is not None and program.phase(now).value != phase:
                continue
            awarded = uow.awards.awarded_total(program.id) if caller.is_staff else None
            result.append(views.program(program, now, awarded))
        return result


@clean_input
def register_reviewer(
    uow_factory: UowFactory, caller: Identity, data: Json
) -> ReviewerView:
    """Add a reviewer, or update one (same reviewer id): name, home, active."""
    caller.require_staff()
    reviewer_id = str(data.get("reviewer_id") or "").strip()
    name = str(data.get("name") or "").strip()
    home = str(data.get("home_member_id") or "").strip()
    if not reviewer_id or len(reviewer_id) > 64:
        raise BadInput("is required (at most 64 characters)", "reviewerId")
    if not name or len(name) > 200:
        raise BadInput("is required (at most 200 characters)", "name")
    if not home or len(home) > 64:
        raise BadInput("name the reviewer's home member community", "homeMemberId")
    active = data.get("active", True)
    if not isinstance(active, bool):
        raise BadInput("must be true or false", "active")
    email = _email(data.get("email"))
    with uow_factory() as uow:
        reviewer = uow.reviewers.get(reviewer_id)
        if reviewer is None:
            reviewer = Reviewer(reviewer_id, name, home, active, email)
            uow.reviewers.add(reviewer)
        else:
            reviewer.name, reviewer.home_member_id, reviewer.active = name, home, active
            reviewer.email = email
        uow.commit()
        return views.reviewer(reviewer, uow.facts.member(home))


@clean_input
def list_reviewers(uow_factory: UowFactory, caller: Identity) -> list[ReviewerView]:
    caller.require_staff()
    with uow_factory() as uow:
        reviewers = uow.reviewers.all()
        homes = uow.facts.members(r.home_member_id for r in reviewers)
        return [views.reviewer(r, homes.get(r.home_member_id)) for r in reviewers]


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: Any) -> str | None:
    """A reviewer's address: optional (no messages without one)."""
    if value is None or value == "":
        return None
    email = value.strip() if isinstance(value, str) else ""
    if len(email) > 254 or not _EMAIL.match(email):
        raise BadInput(f"{value!r} is not a valid email address", "email")
    return email
