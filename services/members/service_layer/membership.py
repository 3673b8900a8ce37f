"""Registering, changing and cancelling members."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Conflict, Forbidden, NotFound
from common.identity import Identity
from common.ids import is_uuid
from contracts.members import MemberView
from services.members.domain.community import (
    SELF_SERVICE_FIELDS,
    Member,
    changed_member,
    is_printable,
    new_member,
)
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.standing import MembershipStatus, derive_standing
from services.members.service_layer import events, views
from services.members.service_layer.access import Visibility
from services.members.service_layer.dues import invoice_joiners
from services.members.service_layer.standing import (
    record_first_status,
    record_transitions,
    refresh,
)

if TYPE_CHECKING:
    from services.members.service_layer.unit_of_work import (
        MembersUnitOfWork,
        UowFactory,
    )

MAX_REASON_LENGTH = 500


def duplicate_error() -> Conflict:
    return Conflict(
        "a member with this name, kind and state is already registered", "name"
    )


def _check_unique(uow: MembersUnitOfWork, member: Member) -> None:
    if uow.members.duplicate_of(
        member.name_key, member.kind.value, member.state, other_than=member.member_id
    ):
        raise duplicate_error()


def register_member(
    uow_factory: UowFactory, caller: Identity, policy: MembershipPolicy, data: Any
) -> MemberView:
    """A new member, PENDING, billed at once for the current year if it has a
    schedule (and for any later year already opened)."""
    caller.require_staff()
    with uow_factory() as uow:
        today = uow.clock.today()
        member = new_member(str(uuid.uuid4()), data, today)
        _check_unique(uow, member)
        uow.members.add(member)
        uow.emit("member_registered", events.member_registered(member))
        record_first_status(uow, [member], "registered", today)
        invoice_joiners(uow, [member], policy, today)
        uow.commit()
    return views.member(member, Visibility.FULL, policy.calendar.year_of(today))


def update_member(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    member_id: str,
    changes: Any,
) -> MemberView:
    """Staff change anything; a member's own users its name and contact email.
    A new population or band applies to invoices issued from now on. A member
    whose population was missing is billed as a joiner once it is set."""
    caller.require_member(member_id)
    if not caller.is_staff and isinstance(changes, dict):
        for field in changes:
            if field not in SELF_SERVICE_FIELDS:
                raise Forbidden(f"only staff may change {field}", field)
    with uow_factory() as uow:
        member = (
            uow.members.get(member_id, for_update=True) if is_uuid(member_id) else None
        )
        if member is None:
            raise NotFound(f"no member {member_id}", "id")
        updated, changed = changed_member(member, changes)
        today = uow.clock.today()
        if changed:
            updated = replace(updated, version=member.version + 1)
            _check_unique(uow, updated)
            uow.members.save(updated)
            uow.emit("member_updated", events.member_updated(updated, changed))
            if member.population_missing and not updated.population_missing:
                updated = _bill_dues_that_waited(uow, updated, policy, today)
            uow.commit()
    return views.member(updated, Visibility.FULL, policy.calendar.year_of(today))


def _bill_dues_that_waited(
    uow: MembersUnitOfWork, member: Member, policy: MembershipPolicy, today: date
) -> Member:
    """Its population is known at last: billed as a joiner (this year, and the
    next if opened) unless cancelled, and its status derived again."""
    if member.status is MembershipStatus.CANCELLED:
        return member  # billed like any member if reinstated
    billed = {i.fiscal_year for i in uow.invoices.for_member(member.member_id)}
    invoice_joiners(uow, [member], policy, today, skip_years=billed)
    return refresh(uow, member, today, cause="population set")


def _check_reason(reason: Any, what: str) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise BadInput(f"say why the membership is {what}", "reason")
    if not is_printable(reason):
        raise BadInput("a reason has no control characters", "reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise BadInput(f"a reason has at most {MAX_REASON_LENGTH} characters", "reason")
    return reason.strip()


def _locked(uow: MembersUnitOfWork, member_id: str) -> Member:
    member = uow.members.get(member_id, for_update=True) if is_uuid(member_id) else None
    if member is None:
        raise NotFound(f"no member {member_id}", "id")
    return member


def cancel_membership(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    member_id: str,
    reason: Any,
) -> MemberView:
    """Staff or the member itself; open invoices are voided (no more reminders)."""
    caller.require_member(member_id)
    why = _check_reason(reason, "cancelled")
    who = "staff" if caller.is_staff else "the member"
    with uow_factory() as uow:
        member = _locked(uow, member_id)
        if member.status is MembershipStatus.CANCELLED:
            raise Conflict("this membership is already cancelled", "id")
        today = uow.clock.today()
        uow.invoices.void_open(member_id)
        move = (member, MembershipStatus.CANCELLED, f"cancelled by {who}: {why}")
        (cancelled,) = record_transitions(uow, [move], today)
        uow.commit()
    return views.member(cancelled, Visibility.FULL, policy.calendar.year_of(today))


def reinstate_membership(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    member_id: str,
    reason: Any,
) -> MemberView:
    """Staff only: a cancelled member comes back. Its current (and next)
    year's voided invoices are open again, it is billed like a joiner for
    those years it has no invoice for, and its status is derived again."""
    caller.require_staff()
    why = _check_reason(reason, "reinstated")
    with uow_factory() as uow:
        member = _locked(uow, member_id)
        if member.status is not MembershipStatus.CANCELLED:
            raise Conflict("only a cancelled membership can be reinstated", "id")
        today = uow.clock.today()
        year = policy.calendar.year_of(today)
        # This year's and next year's voided invoices are owed again; older
        # ones stay void (what a cancelled member did not pay is not revived).
        uow.invoices.reopen_void(member_id, from_year=year)
        billed = {i.fiscal_year for i in uow.invoices.for_member(member_id)}
        invoice_joiners(uow, [member], policy, today, skip_years=billed)
        standing = derive_standing(
            uow.invoices.for_member(member_id), today, member.imported
        )
        move = (
            member,
            standing.status,
            f"reinstated by staff: {why}; {standing.reason}",
        )
        (back,) = record_transitions(uow, [move], today)
        uow.commit()
    return views.member(back, Visibility.FULL, policy.calendar.year_of(today))
