"""The notifications unit of work: one transaction and its repositories."""

from __future__ import annotations

from common.uow import UnitOfWork
from services.notifications.adapters import repository


class NotificationsUnitOfWork(UnitOfWork):
    def _start(self) -> None:
        self.deliveries = repository.Deliveries(self.session)
        self.preferences = repository.PreferenceBook(self.session)
