"""Registry use cases: propose, record the agreement, activate, dormant,
reactivate, terminate, edit. Each is one transaction with its events."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from common.errors import BadInput, Conflict, NotFound
from common.identity import Identity
from contracts.partnerships import PartnershipView
from services.partnerships.domain import model
from services.partnerships.domain.directory import Visibility
from services.partnerships.domain.model import Actor, Partnership
from services.partnerships.service_layer import events, views
from services.partnerships.service_layer.member_events import remember_members
from services.partnerships.service_layer.ports import MemberSource
from services.partnerships.service_layer.unit_of_work import UowFactory

EVERYTHING = Visibility(everything=True)


def actor(caller: Identity) -> Actor:
    return Actor(caller.sub, caller.role)


def propose(
    uow: UowFactory,
    caller: Identity,
    data: dict[str, Any],
    source: MemberSource,
    now: datetime,
) -> PartnershipView:
    caller.require_authenticated()
    if not isinstance(data, dict):
        raise BadInput("an input object is required", "input")
    member_id = model.identifier(data.get("member_id"), "memberId")
    caller.require_member(member_id)
    community = model.partner_community({**data, "member_id": member_id})
    reason = model.optional_text(data.get("reason"), "reason")
    known_member(uow, source, member_id)
    try:
        with uow() as u:
            member = u.members.get(member_id, for_update=True)
            if u.partnerships.live_with_partner(
                member_id, community.country, community.partner_key
            ):
                raise _duplicate(community.partner_city)
            p = model.propose(str(uuid.uuid4()), community, actor(caller), now, reason)
            u.partnerships.add_all([p], {member_id: member}, "api", now)
            u.emit_many([events.registered(p), events.status_changed(p, None, now)])
            row = u.directory.by_ids([p.id], EVERYTHING)[p.id]
            u.commit()
    except IntegrityError:
        # Two proposals for the same partner raced; the index kept one.
        raise _duplicate(community.partner_city) from None
    return views.partnership(row, caller)


def _duplicate(city: str) -> Conflict:
    return Conflict(
        f"this member already has a partnership with {city} that is not terminated",
        "partnerCity",
    )


def known_member(uow: UowFactory, source: MemberSource, member_id: str) -> None:
    """Make sure the read model knows the member: ask members once if not."""
    with uow() as u:
        if u.members.get(member_id) is not None:
            return
    try:
        found = source.get_members([member_id])[0]
    except Exception as exc:
        raise NotFound(
            f"member {member_id} is not known here yet and the members service "
            f"could not be asked ({type(exc).__name__})",
            "memberId",
        ) from None
    if found is None:
        raise NotFound(f"no member {member_id}", "memberId")
    with uow() as u:
        remember_members(u, {member_id: found}, datetime.now(UTC))
        u.commit()


def record_agreement(
    uow: UowFactory,
    caller: Identity,
    partnership_id: str,
    data: dict[str, Any],
    now: datetime,
    today: date,
) -> PartnershipView:
    def change(p: Partnership) -> None:
        if not isinstance(data, dict):
            raise BadInput("an input object is required", "input")
        p.record_agreement(model.agreement(data, today), actor(caller), now)

    return _transition(uow, caller, partnership_id, change, now, staff_only=False)


def activate(
    uow: UowFactory, caller: Identity, partnership_id: str, now: datetime
) -> PartnershipView:
    return _transition(
        uow,
        caller,
        partnership_id,
        lambda p: p.activate(actor(caller), now),
        now,
        staff_only=True,
    )


def mark_dormant(
    uow: UowFactory, caller: Identity, partnership_id: str, reason: str, now: datetime
) -> PartnershipView:
    return _transition(
        uow,
        caller,
        partnership_id,
        lambda p: p.mark_dormant(reason, actor(caller), now),
        now,
        staff_only=False,
    )


def reactivate(
    uow: UowFactory,
    caller: Identity,
    partnership_id: str,
    signed_on: str,
    now: datetime,
    today: date,
) -> PartnershipView:
    return _transition(
        uow,
        caller,
        partnership_id,
        lambda p: p.reactivate(
            model.signing_date(signed_on, today, "signedOn"), actor(caller), now, today
        ),
        now,
        staff_only=True,
    )


def terminate(
    uow: UowFactory, caller: Identity, partnership_id: str, reason: str, now: datetime
) -> PartnershipView:
    return _transition(
        uow,
        caller,
        partnership_id,
        lambda p: p.terminate(reason, actor(caller), now),
        now,
        staff_only=False,
    )


def update(
    uow: UowFactory,
    caller: Identity,
    partnership_id: str,
    data: dict[str, Any],
    now: datetime,
) -> PartnershipView:
    def change(p: Partnership) -> None:
        if not isinstance(data, dict):
            raise BadInput("an input object is required", "input")
        p.update(model.partnership_changes(data), actor(caller), now)

    return _transition(uow, caller, partnership_id, change, now, staff_only=False)


def _transition(
    uow: UowFactory,
    caller: Identity,
    partnership_id: str,
    change: Callable[[Partnership], None],
    now: datetime,
    staff_only: bool,
) -> PartnershipView:
    """Load, authorize, change (domain rules), save; events for what changed."""
    caller.require_authenticated()
    if staff_only:
        caller.require_staff()
    partnership_id = model.identifier(partnership_id, "id")
    with uow() as u:
        p = u.partnerships.get(partnership_id)
        if p is None:
            raise NotFound("no such partnership", "id")
        # Another member's partnership is as unknown as one that never was.
        caller.require_member_sees(p.member_id, "partnership")
        # Lock the member's row: a standing change waits for us, or we for it.
        member = u.members.get(p.member_id, for_update=True)
        before = p.status
        change(p)
        flipped = p.refresh_recognition(member.good_standing if member else None)
        if not p.new_transitions:
            row = u.directory.by_ids([p.id], EVERYTHING)[p.id]
            return views.partnership(row, caller)  # nothing changed
        u.partnerships.save(p, member, now)
        if p.status is not before:
            events.emit(u, events.status_changed(p, before, now))
        if flipped:
            events.emit(
                u, events.recognition_changed(p.id, p.member_id, p.recognized, now)
            )
        row = u.directory.by_ids([p.id], EVERYTHING)[p.id]
        u.commit()
    return views.partnership(row, caller)
