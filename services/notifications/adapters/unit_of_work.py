"""The notifications unit of work: one transaction, its repositories, its clock."""

from __future__ import annotations

from datetime import datetime

from common.uow import UnitOfWork
from services.notifications.adapters import clock, repository


class NotificationsUnitOfWork(UnitOfWork):
    def _start(self) -> None:
        self.deliveries = repository.Deliveries(self.session)
        self.preferences = repository.PreferenceBook(self.session)

    def now(self) -> datetime:
        return clock.now()
