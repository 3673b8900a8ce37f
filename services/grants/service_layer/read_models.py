"""Event consumers: grants' own knowledge of members and partnerships.

Each handler claims the event in its own transaction (a duplicate changes
nothing) and each aspect keeps the time of its latest news (a late event
changes nothing either).
"""

from __future__ import annotations

from datetime import datetime

from common.envelope import Envelope
from services.grants.service_layer.unit_of_work import UowFactory


def _at(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(envelope.occurred_at.replace("Z", "+00:00"))


def member_news(uow_factory: UowFactory, envelope: Envelope) -> None:
    """member_registered, member_updated, membership_status_changed."""
    p = envelope.payload
    at = _at(envelope)
    with uow_factory() as uow:
        if not uow.claim(f"grants.{envelope.type}", envelope):
            return
        member = uow.facts.member(str(p["member_id"]), create=True)
        assert member is not None
        if envelope.type in ("member_registered", "member_updated"):
            member.learn_profile(
                at,
                name=p.get("name"),
                state=p.get("state"),
                population=p.get("population"),
                population_known="population" in p,
            )
        if envelope.type == "member_registered":
            member.learn_standing(
                at, str(p.get("status") or ""), bool(p.get("good_standing"))
            )
        if envelope.type == "membership_status_changed":
            member.learn_standing(at, str(p["new_status"]), bool(p["good_standing"]))
            if "population" in p or "state" in p:
                member.learn_profile(
                    at,
                    state=p.get("state"),
                    population=p.get("population"),
                    population_known="population" in p,
                )
        uow.commit()


def partnership_news(uow_factory: UowFactory, envelope: Envelope) -> None:
    """partnership_registered, partnership_status_changed,
    partnership_recognition_changed."""
    p = envelope.payload
    at = _at(envelope)
    with uow_factory() as uow:
        if not uow.claim(f"grants.{envelope.type}", envelope):
            return
        partnership = uow.facts.partnership(str(p["partnership_id"]), create=True)
        assert partnership is not None
        partnership.learn_identity(
            str(p.get("member_id") or ""),
            str(p.get("partner_city") or ""),
            str(p.get("country") or ""),
        )
        if envelope.type == "partnership_registered":
            partnership.learn_status(at, str(p["status"]))
        elif envelope.type == "partnership_status_changed":
            partnership.learn_status(at, str(p["new_status"]))
        elif envelope.type == "partnership_recognition_changed":
            partnership.learn_recognition(at, bool(p["recognized"]))
        uow.commit()
