"""Recorded deliveries out: taken when due, handed to the mail server, and
their outcome recorded (sent, retried later with back-off, or parked).

Each delivery is handed over until the server accepted it and that was
recorded. A repeat happens only when the process stops (or the database is
away) between the server's acceptance and the record, and then carries the
same Message-ID: see docs/notifications.md, "The guarantee".
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from services.notifications.domain.delivery import Delivery, DeliveryStatus, RetryPolicy
from services.notifications.service_layer.shared import Courier, Undeliverable
from services.notifications.service_layer.unit_of_work import UowFactory

log = logging.getLogger(__name__)


def take_due(uow_factory: UowFactory, lease: timedelta, limit: int) -> list[Delivery]:
    """Up to `limit` due deliveries, leased to this sender for `lease`."""
    with uow_factory() as uow:
        now = uow.clock.now()
        taken = uow.deliveries.take_due(now, now + lease, limit)
        uow.commit()
    return taken


def hand_over(
    courier: Courier,
    policy: RetryPolicy,
    delivery: Delivery,
    now: Callable[[], datetime],
) -> Delivery:
    """Hand one taken delivery to the mail server; its outcome, not yet recorded."""
    try:
        subject = courier.deliver(delivery)
    except Undeliverable as exc:
        if exc.permanent:
            delivery.parked(exc.error, now())
        else:
            delivery.failed(exc.error, now(), policy)
        parked = delivery.status is DeliveryStatus.PARKED
        log.log(
            logging.ERROR if parked else logging.WARNING,
            "notification %s to %s: %s (%s)",
            delivery.id,
            delivery.recipient,
            exc.error,
            "parked" if parked else "will retry",
        )
        return delivery
    delivery.sent(subject, now())
    return delivery


def record(uow_factory: UowFactory, handed: Sequence[Delivery]) -> list[None]:
    """The outcomes of hand-offs, in one transaction (on PostgreSQL, in one
    round trip): senders that finish together share it (common.batching)."""
    with uow_factory() as uow:
        with uow.writes_together():
            for delivery in handed:
                uow.deliveries.save(delivery)
        uow.commit()
    return [None] * len(handed)


def send(
    uow_factory: UowFactory, courier: Courier, policy: RetryPolicy, delivery: Delivery
) -> DeliveryStatus:
    """Hand one taken delivery over and record what happened."""
    now = uow_factory().clock.now
    record(uow_factory, [hand_over(courier, policy, delivery, now)])
    return delivery.status
