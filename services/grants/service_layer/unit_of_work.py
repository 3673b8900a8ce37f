"""The grants unit of work: one transaction and its repositories."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from sqlalchemy import text

from common.uow import UnitOfWork
from services.grants.adapters import repository


class GrantsUnitOfWork(UnitOfWork):
    programs: repository.Programs
    applications: repository.Applications
    reviewers: repository.Reviewers
    assignments: repository.Assignments
    awards: repository.Awards
    reports: repository.Reports
    facts: repository.Facts
    reminders: repository.Reminders

    def _start(self) -> None:
        self.programs = repository.Programs(self.session)
        self.applications = repository.Applications(self.session)
        self.reviewers = repository.Reviewers(self.session)
        self.assignments = repository.Assignments(self.session)
        self.awards = repository.Awards(self.session)
        self.reports = repository.Reports(self.session)
        self.facts = repository.Facts(self.session)
        self.reminders = repository.Reminders(self.session)

    def lock(self, name: str) -> None:
        """Serialize a batch job (the daily run) across processes.

        PostgreSQL: a transaction-scoped advisory lock. SQLite allows one
        writer at a time anyway.
        """
        if self.session.get_bind().dialect.name == "postgresql":
            key = zlib.crc32(f"grants:{name}".encode())
            self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})


UowFactory = Callable[[], GrantsUnitOfWork]
