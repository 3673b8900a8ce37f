"""The partnerships unit of work: one transaction and its repositories."""

from __future__ import annotations

from collections.abc import Callable

from common.uow import UnitOfWork
from services.partnerships.adapters.directory import DirectoryQueries
from services.partnerships.adapters.repository import (
    MemberRepository,
    PartnershipRepository,
    PreferencesRepository,
)


class PartnershipsUnitOfWork(UnitOfWork):
    partnerships: PartnershipRepository
    members: MemberRepository
    preferences: PreferencesRepository
    directory: DirectoryQueries

    def _start(self) -> None:
        self.partnerships = PartnershipRepository(self.session)
        self.members = MemberRepository(self.session)
        self.preferences = PreferencesRepository(self.session)
        self.directory = DirectoryQueries(self.session)


UowFactory = Callable[[], PartnershipsUnitOfWork]
