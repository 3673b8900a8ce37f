"""Keep the read model of members from their events; recognition follows.

Idempotent (`uow.claim`) and order-proof (each part of a member record keeps
the time of the news it came from; older news is ignored).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from common.envelope import Envelope
from services.partnerships.domain import members as rules
from services.partnerships.domain.members import MemberRecord
from services.partnerships.service_layer.events import emit_recognition_changed
from services.partnerships.service_layer.unit_of_work import (
    PartnershipsUnitOfWork,
    UowFactory,
)

CONSUMER = "partnerships.members"


def occurred_at(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(envelope.occurred_at)


def _profile(payload: dict[str, Any]) -> rules.Profile:
    return rules.Profile(
        name=str(payload["name"]),
        kind=str(payload.get("kind") or ""),
        state=str(payload.get("state") or ""),
        population=payload.get("population"),
    )


def member_registered(uow: UowFactory, envelope: Envelope) -> None:
    payload = envelope.payload
    as_of = occurred_at(envelope)

    def change(current: MemberRecord | None, member_id: str) -> MemberRecord | None:
        record = rules.apply_profile(current, member_id, _profile(payload), as_of)
        standing = rules.Standing(
            str(payload.get("status") or ""), bool(payload.get("good_standing"))
        )
        return rules.apply_standing(record or current, member_id, standing, as_of) or (
            record
        )

    _apply(uow, envelope, change)


def member_updated(uow: UowFactory, envelope: Envelope) -> None:
    profile = _profile(envelope.payload)
    as_of = occurred_at(envelope)
    _apply(
        uow,
        envelope,
        lambda current, member_id: rules.apply_profile(
            current, member_id, profile, as_of
        ),
    )


def membership_status_changed(uow: UowFactory, envelope: Envelope) -> None:
    payload = envelope.payload
    standing = rules.Standing(
        str(payload["new_status"]), bool(payload["good_standing"])
    )
    extra: dict[str, Any] = {
        k: payload[k] for k in ("state", "population") if k in payload
    }
    as_of = occurred_at(envelope)
    _apply(
        uow,
        envelope,
        lambda current, member_id: rules.apply_standing(
            current, member_id, standing, as_of, extra
        ),
    )


def _apply(uow: UowFactory, envelope: Envelope, change: Any) -> None:
    member_id = str(envelope.payload["member_id"])
    with uow() as u:
        if not u.claim(f"{CONSUMER}.{envelope.type}", envelope):
            return  # a duplicate: already done
        current = u.members.get(member_id, for_update=True)
        record = change(current, member_id)
        if record is not None:  # None: stale news, nothing to do
            u.members.put(record, existed=current is not None)
            refresh_partnerships(u, record, occurred_at(envelope))
        u.commit()


def refresh_partnerships(
    u: PartnershipsUnitOfWork, record: MemberRecord, now: datetime
) -> None:
    for partnership_id, recognized in u.partnerships.refresh_member(record):
        emit_recognition_changed(u, partnership_id, record.member_id, recognized, now)


def remember_members(
    u: PartnershipsUnitOfWork, snapshots: dict[str, dict[str, Any]], as_of: datetime
) -> dict[str, MemberRecord]:
    """Store members as members' RPC described them `as_of` (if newer)."""
    known = u.members.get_many(snapshots)
    result: dict[str, MemberRecord] = dict(known)
    for member_id, data in snapshots.items():
        profile, standing = rules.from_snapshot(data)
        current = known.get(member_id)
        record = rules.apply_profile(current, member_id, profile, as_of)
        if standing is not None:
            record = (
                rules.apply_standing(record or current, member_id, standing, as_of)
                or record
            )
        if record is not None:
            u.members.put(record, existed=current is not None)
            refresh_partnerships(u, record, as_of)
            result[member_id] = record
    return result
