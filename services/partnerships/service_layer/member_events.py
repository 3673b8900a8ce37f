"""Keep the read model of members from their events; recognition follows.

Idempotent (`uow.claim`) and order-proof: the read model and its rule for
newer news are `contracts.member_facts` (each part of a member record keeps
the member version, else the time, of the news it came from; older news is
ignored).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from common.envelope import Envelope
from contracts import member_facts as facts
from contracts.member_facts import MemberFacts
from services.partnerships.service_layer import events
from services.partnerships.service_layer.unit_of_work import (
    PartnershipsUnitOfWork,
    UowFactory,
)

CONSUMER = "partnerships.members"


def occurred_at(envelope: Envelope) -> datetime:
    return facts.occurred_at(envelope.occurred_at)


def member_news(uow: UowFactory, envelope: Envelope) -> None:
    """member_registered, member_updated, membership_status_changed."""
    news = facts.read(envelope.type, envelope.payload, envelope.occurred_at)
    with uow() as u:
        if not u.claim(f"{CONSUMER}.{envelope.type}", envelope):
            return  # a duplicate: already done
        record = u.members.apply(
            news.member_id, lambda current: facts.learn(current, news)
        )
        if record is not None:  # None: stale news, nothing to do
            refresh_partnerships(u, [record], news.stamp.at)
        u.commit()


member_registered = member_updated = membership_status_changed = member_news


def refresh_partnerships(
    u: PartnershipsUnitOfWork, records: list[MemberFacts], now: datetime
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
) -> dict[str, MemberFacts]:
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
) -> Callable[[MemberFacts | None], MemberFacts | None]:
    news = facts.from_snapshot(member_id, data, as_of)
    return lambda current: facts.learn(current, news)
