"""The grants unit of work: one transaction, its repositories and its clock."""

from __future__ import annotations

from datetime import datetime

from common.uow import UnitOfWork
from services.grants.adapters import clock, repository


class GrantsUnitOfWork(UnitOfWork):
    def _start(self) -> None:
        self.programs = repository.Programs(self.session)
        self.applications = repository.Applications(self.session)
        self.reviewers = repository.Reviewers(self.session)
        self.assignments = repository.Assignments(self.session)
        self.awards = repository.Awards(self.session)
        self.reports = repository.Reports(self.session)
        self.facts = repository.Facts(self.session)

    def now(self) -> datetime:
        return clock.now(self.session)
