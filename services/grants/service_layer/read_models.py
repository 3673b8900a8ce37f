"""Event consumers: grants' own knowledge of members and partnerships.

Each handler claims the event in its own transaction (a duplicate changes
nothing) and each aspect keeps the member version, else the time, of its
latest news (a late event changes nothing either; `contracts.member_facts`).
"""

from __future__ import annotations

from datetime import datetime

from common.envelope import Envelope
from contracts import member_facts
from services.grants.service_layer.unit_of_work import UowFactory


def _at(envelope: Envelope) -> datetime:
    return datetime.fromisoformat(envelope.occurred_at.replace("Z", "+00:00"))


def member_news(uow_factory: UowFactory, envelope: Envelope) -> None:
    """member_registered, member_updated, membership_status_changed."""
    news = member_facts.read(envelope.type, envelope.payload, envelope.occurred_at)
    with uow_factory() as uow:
        if not uow.claim(f"grants.{envelope.type}", envelope):
            return
        member = uow.facts.member(news.member_id, create=True)
        assert member is not None
        member.learn(news)
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
