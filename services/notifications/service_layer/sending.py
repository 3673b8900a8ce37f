"""Recorded deliveries out: taken when due, handed to the mail server, and
their outcome recorded (sent, retried later with back-off, or parked).

Each delivery is handed over until the server accepted it and that was
recorded. A repeat happens only when the process stops (or the database is
away) between the server's acceptance and the record, and then carries the
same Message-ID: see docs/notifications.md, "The guarantee".
"""

from __future__ import annotations

import logging
from datetime import timedelta

from services.notifications.domain.delivery import Delivery, DeliveryStatus, RetryPolicy
from services.notifications.service_layer.shared import (
    Courier,
    Undeliverable,
    UowFactory,
)

log = logging.getLogger(__name__)


def take_due(uow_factory: UowFactory, lease: timedelta, limit: int) -> list[Delivery]:
    """Up to `limit` due deliveries, leased to this sender for `lease`."""
    with uow_factory() as uow:
        now = uow.now()
        taken = uow.deliveries.take_due(now, now + lease, limit)
        uow.commit()
    return taken


def send(
    uow_factory: UowFactory, courier: Courier, policy: RetryPolicy, delivery: Delivery
) -> DeliveryStatus:
    """Hand one taken delivery over and record what happened."""
    try:
        subject = courier.deliver(delivery)
    except Undeliverable as exc:
        with uow_factory() as uow:
            if exc.permanent:
                delivery.parked(exc.error, uow.now())
            else:
                delivery.failed(exc.error, uow.now(), policy)
            uow.deliveries.save(delivery)
            uow.commit()
        level = (
            logging.ERROR
            if delivery.status is DeliveryStatus.PARKED
            else logging.WARNING
        )
        log.log(
            level,
            "notification %s to %s: %s (%s)",
            delivery.id,
            delivery.recipient,
            exc.error,
            "parked" if delivery.status is DeliveryStatus.PARKED else "will retry",
        )
        return delivery.status
    with uow_factory() as uow:
        delivery.sent(subject, uow.now())
        uow.deliveries.save(delivery)
        uow.commit()
    return delivery.status
