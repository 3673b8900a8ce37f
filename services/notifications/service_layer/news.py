"""Events in, deliveries recorded: one per (event, recipient), exactly once.

The event's claim and its deliveries commit in one transaction, so an event
handled twice (a redelivery, a replay) records nothing new, and one whose
handling failed records nothing at all and is retried whole. Sending happens
afterwards, from the recorded deliveries (service_layer/sending.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from common.envelope import Envelope
from services.notifications.domain.delivery import Delivery, DeliveryStatus
from services.notifications.domain.notices import Contact, Notice, notices
from services.notifications.service_layer.shared import Addressing, Directory
from services.notifications.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)


def consumer(envelope: Envelope) -> str:
    return f"notifications.{envelope.type}"


def event_news(
    uow_factory: UowFactory,
    directory: Directory,
    addressing: Addressing,
    envelopes: Sequence[Envelope],
) -> int:
    """Record the deliveries these events cause; how many are to be sent."""
    caused = [(e, notices(e.type, e.payload)) for e in envelopes]
    wanted = sorted({n.member_id for _, found in caused for n in found if n.member_id})
    # Asked before the transaction opens: no connection is held during a call.
    contacts = directory.contacts(wanted) if wanted else {}
    with uow_factory() as uow:
        claimed = uow.claim_many((consumer(e), e) for e in envelopes)
        fresh = [(e, ns) for e, ns in caused if (consumer(e), e.event_id) in claimed]
        if not fresh:
            return 0
        now = uow.clock.now()
        members = {n.member_id for _, ns in fresh for n in ns if n.member_id}
        choices = uow.preferences.of(members)
        recorded = []
        for envelope, found in fresh:
            for notice in found:
                to = _addressee(notice, contacts)
                if to is None:
                    log.warning(
                        "%s %s: no address for member %s; nothing sent",
                        envelope.type,
                        envelope.event_id,
                        notice.member_id,
                    )
                    continue
                address, name = to
                recorded.append(
                    Delivery.new(
                        event_id=envelope.event_id,
                        event_type=envelope.type,
                        kind=notice.kind,
                        recipient=address,
                        member_id=notice.member_id,
                        reviewer_id=notice.reviewer_id,
                        locale=addressing.locale,
                        context={**notice.context, "recipient_name": name},
                        domain=addressing.message_domain,
                        now=now,
                        wanted=notice.member_id is None
                        or choices[notice.member_id].wants(notice.kind),
                    )
                )
        written = uow.deliveries.add_new(recorded)
        uow.commit()
    return sum(
        1 for x in recorded if x.id in written and x.status is DeliveryStatus.PENDING
    )


def _addressee(notice: Notice, contacts: dict[str, Contact]) -> tuple[str, str] | None:
    if notice.reviewer_email:
        return notice.reviewer_email, str(notice.context.get("reviewer_name") or "")
    contact = contacts.get(notice.member_id or "")
    return (contact.email, contact.name) if contact else None
