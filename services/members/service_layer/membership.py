"""Registering, changing and cancelling members."""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Conflict, Forbidden, NotFound
from common.identity import Identity
from services.members.domain.community import (
    SELF_SERVICE_FIELDS,
    Member,
    changed_member,
    is_printable,
    new_member,
)
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.standing import MembershipStatus
from services.members.service_layer import events, views
from services.members.service_layer.access import Visibility
from services.members.service_layer.dues import invoice_joiners
from services.members.service_layer.ids import is_uuid
from services.members.service_layer.standing import (
    record_first_status,
    record_transitions,
)

if TYPE_CHECKING:
    from services.members.adapters.uow import MembersUnitOfWork
    from services.members.service_layer import UowFactory

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
) -> dict[str, Any]:
    """A new member, PENDING, billed at once for the current year if it has a
    schedule (and for any later year already opened)."""
    caller.require_staff()
    with uow_factory() as uow:
        today = uow.today()
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
) -> dict[str, Any]:
    """Staff change anything; a member's own users its name and contact email.
    A new population or band applies to invoices issued from now on."""
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
        if changed:
            updated = replace(updated, version=member.version + 1)
            _check_unique(uow, updated)
            uow.members.save(updated)
            uow.emit("member_updated", events.member_updated(updated, changed))
            uow.commit()
        today = uow.today()
    return views.member(updated, Visibility.FULL, policy.calendar.year_of(today))


def cancel_membership(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    member_id: str,
    reason: Any,
) -> dict[str, Any]:
    """Staff or the member itself; open invoices are voided (no more reminders)."""
    caller.require_member(member_id)
    if not isinstance(reason, str) or not reason.strip():
        raise BadInput("say why the membership is cancelled", "reason")
    if not is_printable(reason):
        raise BadInput("a reason has no control characters", "reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise BadInput(f"a reason has at most {MAX_REASON_LENGTH} characters", "reason")
    who = "staff" if caller.is_staff else "the member"
    with uow_factory() as uow:
        member = (
            uow.members.get(member_id, for_update=True) if is_uuid(member_id) else None
        )
        if member is None:
            raise NotFound(f"no member {member_id}", "id")
        if member.status is MembershipStatus.CANCELLED:
            raise Conflict("this membership is already cancelled", "id")
        today = uow.today()
        uow.invoices.void_open(member_id)
        (cancelled,) = record_transitions(
            uow,
            [
                (
                    member,
                    MembershipStatus.CANCELLED,
                    f"cancelled by {who}: {reason.strip()}",
                )
            ],
            today,
        )
        uow.commit()
    return views.member(cancelled, Visibility.FULL, policy.calendar.year_of(today))
