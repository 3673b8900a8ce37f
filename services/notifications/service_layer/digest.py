"""The staff's daily digest: read now (GraphQL `staffDigest`), or recorded
once per date for the staff addresses (`STAFF_DIGEST_TO`) and sent like any
delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from common.errors import BadInput
from common.identity import Identity
from contracts.notifications import StaffDigestView
from contracts.rpc import Json
from services.notifications.domain.delivery import Delivery, delivery_id
from services.notifications.domain.digest import (
    EVENT_TYPE,
    Digest,
    digest_event_id,
)
from services.notifications.domain.kinds import Kind
from services.notifications.service_layer.shared import Addressing
from services.notifications.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)


class Desk(Protocol):
    """What waits for staff, from the services that own it."""

    def gather(self, now: datetime) -> Digest: ...


def staff_digest(desk: Desk, caller: Identity, now: datetime) -> StaffDigestView:
    """Staff: the digest's counts as they are now."""
    caller.require_staff()
    found = desk.gather(now)
    return {"counts": found.counts, "generated_at": found.generated_at.isoformat()}


def parse_day(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(
            f"{str(value)[:40]!r} is not an ISO date such as 2027-01-31", "as_of"
        ) from None


def send_staff_digest(
    uow_factory: UowFactory,
    desk: Desk,
    addressing: Addressing,
    recipients: Sequence[str],
    caller: Identity,
    now: Callable[[], datetime],
    as_of: date | None = None,
) -> Json:
    """Record the digest of `as_of` (today, UTC) for each staff address,
    once per (date, address); nothing when nothing waits. How many were
    recorded, and why none if none."""
    caller.require_staff()
    day = as_of or now().date()
    event_id = digest_event_id(day)
    result: Json = {"as_of": day.isoformat(), "recorded": 0}
    if not recipients:
        return result | {"skipped": "STAFF_DIGEST_TO names no address"}
    with uow_factory() as uow:
        uow.read_only()
        missing = [
            r
            for r in recipients
            if uow.deliveries.get(delivery_id(event_id, r)) is None
        ]
    if not missing:
        return result | {"skipped": "already recorded for this date"}
    # Asked before the transaction opens: no connection is held during calls.
    found = desk.gather(now())
    result["counts"] = found.counts
    if found.is_empty:
        return result | {"skipped": "nothing waits"}
    with uow_factory() as uow:
        stamp = uow.clock.now()
        written = uow.deliveries.add_new(
            [
                Delivery.new(
                    event_id=event_id,
                    event_type=EVENT_TYPE,
                    kind=Kind.STAFF_DIGEST,
                    recipient=address,
                    member_id=None,
                    reviewer_id=None,
                    locale=addressing.locale,
                    context=found.context(day) | {"recipient_name": ""},
                    domain=addressing.message_domain,
                    now=stamp,
                )
                for address in missing
            ]
        )
        uow.commit()
    log.info("staff digest of %s: %d recorded", day, len(written))
    return result | {"recorded": len(written)}
