"""The events this service emits, through the outbox (see contracts/events.py)."""

from __future__ import annotations

from datetime import datetime

from contracts.events import (
    PartnershipRecognitionChanged,
    PartnershipRegistered,
    PartnershipStatusChanged,
)
from services.partnerships.domain import model
from services.partnerships.domain.model import Partnership
from services.partnerships.service_layer.unit_of_work import PartnershipsUnitOfWork

Payload = (
    PartnershipRegistered | PartnershipStatusChanged | PartnershipRecognitionChanged
)
Event = tuple[str, Payload]


def registered(p: Partnership) -> Event:
    payload: PartnershipRegistered = {
        "partnership_id": p.id,
        "member_id": p.member_id,
        "partner_city": p.partner_city,
        "partner_region": p.partner_region,
        "country": p.country,
        "type": p.type.value,
        "status": p.status.value,
        "program_areas": sorted(a.value for a in p.program_areas),
    }
    return "partnership_registered", payload


def status_changed(p: Partnership, before: model.Status | None, now: datetime) -> Event:
    payload: PartnershipStatusChanged = {
        "partnership_id": p.id,
        "member_id": p.member_id,
        "partner_city": p.partner_city,
        "country": p.country,
        "old_status": before.value if before else None,
        "new_status": p.status.value,
        "reason": p.history[-1].reason,
        "changed_at": now.isoformat(),
    }
    return "partnership_status_changed", payload


def recognition_changed(
    partnership_id: str, member_id: str, recognized: bool, now: datetime
) -> Event:
    payload: PartnershipRecognitionChanged = {
        "partnership_id": partnership_id,
        "member_id": member_id,
        "recognized": recognized,
        "changed_at": now.isoformat(),
    }
    return "partnership_recognition_changed", payload


def emit(u: PartnershipsUnitOfWork, event: Event) -> None:
    u.emit(*event)
