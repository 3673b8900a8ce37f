"""The notifications unit of work: one transaction and its repositories."""

from __future__ import annotations

from collections.abc import Callable

from common.uow import UnitOfWork
from services.notifications.adapters import repository


class NotificationsUnitOfWork(UnitOfWork):
    deliveries: repository.Deliveries
    preferences: repository.PreferenceBook

    def _start(self) -> None:
        self.deliveries = repository.Deliveries(self.session)
        self.preferences = repository.PreferenceBook(self.session)


UowFactory = Callable[[], NotificationsUnitOfWork]
