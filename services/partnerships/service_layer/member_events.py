"""Keep the read model of members from their events; recognition follows.

Idempotent (`uow.claim`) and order-proof (each part of a member record keeps
the time of the news it came from; older news is ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from common.envelope import Envelope
from services.partnerships.domain import members as rules
from services.partnerships.domain.members import MemberRecord
from services.partnerships.service_layer import events
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
        record = u.members.apply(member_id, lambda current: change(current, member_id))
        if record is not None:  # None: stale news, nothing to do
            refresh_partnerships(u, [record], occurred_at(envelope))
        u.commit()


def refresh_partnerships(
    u: PartnershipsUnitOfWork, records: list[MemberRecord], now: datetime
) -> None:
    """Members' names, states and standing onto their partnerships; an event
    for each partnership whose recognition flipped."""
    flipped = u.partnerships.refresh_members(records)
    u.emit_many(
        [
            events.recognition_changed(pid, member_id, recognized, now)
            for pid, member_id, recognized in flipped
        ]
    )


def remember_members(
    u: PartnershipsUnitOfWork, snapshots: dict[str, dict[str, Any]], as_of: datetime
) -> dict[str, MemberRecord]:
    """Store members as members' RPC described them `as_of` (if newer)."""
    known = u.members.get_many(snapshots)
    changes = {}
    for member_id, data in snapshots.items():
        change = _snapshot_change(member_id, data, as_of)
        current = known.get(member_id)
        if current is None or change(current) is not None:
            changes[member_id] = change  # else nothing newer: no need to lock
    written = u.members.apply_many(changes)
    refresh_partnerships(u, written, as_of)
    return {**known, **{r.member_id: r for r in written}}


def _snapshot_change(
    member_id: str, data: dict[str, Any], as_of: datetime
) -> Callable[[MemberRecord | None], MemberRecord | None]:
    profile, standing = rules.from_snapshot(data)

    def change(current: MemberRecord | None) -> MemberRecord | None:
        record = rules.apply_profile(current, member_id, profile, as_of)
        if standing is not None:
            newer = rules.apply_standing(record or current, member_id, standing, as_of)
            record = newer or record
        return record

    return change
