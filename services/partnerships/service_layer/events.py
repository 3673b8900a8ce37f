"""The events this service emits, through the outbox (see contracts/events.py)."""

from __future__ import annotations

from datetime import datetime

from services.partnerships.domain import model
from services.partnerships.domain.model import Partnership
from services.partnerships.service_layer.unit_of_work import PartnershipsUnitOfWork


def emit_registered(u: PartnershipsUnitOfWork, p: Partnership) -> None:
    u.emit(
        "partnership_registered",
        {
            "partnership_id": p.id,
            "member_id": p.member_id,
            "partner_city": p.partner_city,
            "partner_region": p.partner_region,
            "country": p.country,
            "type": p.type.value,
            "status": p.status.value,
            "program_areas": sorted(a.value for a in p.program_areas),
        },
    )


def emit_status_changed(
    u: PartnershipsUnitOfWork,
    p: Partnership,
    before: model.Status | None,
    now: datetime,
) -> None:
    last = p.history[-1]
    u.emit(
        "partnership_status_changed",
        {
            "partnership_id": p.id,
            "member_id": p.member_id,
            "partner_city": p.partner_city,
            "country": p.country,
            "old_status": before.value if before else None,
            "new_status": p.status.value,
            "reason": last.reason,
            "changed_at": now.isoformat(),
        },
    )


def emit_recognition_changed(
    u: PartnershipsUnitOfWork,
    partnership_id: str,
    member_id: str,
    recognized: bool,
    now: datetime,
) -> None:
    u.emit(
        "partnership_recognition_changed",
        {
            "partnership_id": partnership_id,
            "member_id": member_id,
            "recognized": recognized,
            "changed_at": now.isoformat(),
        },
    )
