"""Repositories: the grants aggregates and read models, by the questions asked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Table, and_, func, insert, or_, select, true
from sqlalchemy.orm import Session

from common.upsert import insert_unless_taken
from services.grants.adapters import orm
from services.grants.domain.application import LIVE, Application, ApplicationStatus
from services.grants.domain.awards import (
    Award,
    Condition,
    Instalment,
    InstalmentStatus,
)
from services.grants.domain.conflicts import Reviewer
from services.grants.domain.facts import MemberFacts, PartnershipFacts
from services.grants.domain.program import Program, ProgramStatus
from services.grants.domain.reports import GranteeReport, ReportStatus
from services.grants.domain.review import ACTIVE, Assignment, AssignmentStatus

F = TypeVar("F", MemberFacts, PartnershipFacts)


class Programs:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, program: Program) -> None:
        self.session.add(program)

    def get(self, program_id: str, lock: bool = False) -> Program | None:
        # The lock serialises awards against one programme's budget.
        return self.session.get(Program, program_id, with_for_update=lock or None)

    def published_closing_between(
        self, start: datetime, end: datetime
    ) -> list[Program]:
        """Published programmes that close within [start, end)."""
        return list(
            self.session.scalars(
                select(Program).where(
                    orm.programs.c.status == ProgramStatus.PUBLISHED,
                    orm.programs.c.closes_at >= start,
                    orm.programs.c.closes_at < end,
                )
            )
        )

    def list(
        self, status: ProgramStatus | None = None, ids: list[str] | None = None
    ) -> Sequence[Program]:
        query = select(Program).order_by(orm.programs.c.opens_at, orm.programs.c.id)
        if status is not None:
            query = query.where(orm.programs.c.status == status)
        if ids is not None:
            query = query.where(orm.programs.c.id.in_(ids))
        return self.session.scalars(query).all()


class Applications:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, app: Application) -> None:
        self.session.add(app)

    def get(self, application_id: str) -> Application | None:
        return self.session.get(Application, application_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, Application]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.session.scalars(
            select(Application).where(orm.applications.c.id.in_(ids))
        )
        return {a.id: a for a in rows}

    def live_for(self, program_id: str, member_id: str) -> Application | None:
        return self.session.scalars(
            select(Application).where(
                orm.applications.c.program_id == program_id,
                orm.applications.c.member_id == member_id,
                orm.applications.c.status.in_(LIVE),
            )
        ).first()

    def for_program(
        self, program_id: str, statuses: Iterable[ApplicationStatus]
    ) -> Sequence[Application]:
        return self.session.scalars(
            select(Application)
            .where(
                orm.applications.c.program_id == program_id,
                orm.applications.c.status.in_(list(statuses)),
            )
            .order_by(orm.applications.c.submitted_at, orm.applications.c.id)
        ).all()

    def page(
        self,
        filters: dict[str, Any],
        first: int,
        after: tuple[datetime, str] | None,
    ) -> tuple[list[Application], int, bool]:
        """Newest last, keyset pagination on (created_at, id) after `after`'s;
        with the total."""
        conditions = []
        for key in ("program_id", "member_id", "partnership_id"):
            if filters.get(key):
                conditions.append(orm.applications.c[key] == filters[key])
        if filters.get("statuses"):
            conditions.append(orm.applications.c.status.in_(filters["statuses"]))
        if filters.get("ids") is not None:
            conditions.append(orm.applications.c.id.in_(filters["ids"]))
        where = and_(true(), *conditions)
        total = self.session.scalar(
            select(func.count()).select_from(Application).where(where)
        )
        query = select(Application).where(where)
        if after:
            created, app_id = after
            query = query.where(
                or_(
                    orm.applications.c.created_at > created,
                    and_(
                        orm.applications.c.created_at == created,
                        orm.applications.c.id > app_id,
                    ),
                )
            )
        rows = list(
            self.session.scalars(
                query.order_by(
                    orm.applications.c.created_at, orm.applications.c.id
                ).limit(first + 1)
            )
        )
        return rows[:first], int(total or 0), len(rows) > first


class Reviewers:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, reviewer: Reviewer) -> None:
        self.session.add(reviewer)

    def get(self, reviewer_id: str) -> Reviewer | None:
        return self.session.get(Reviewer, reviewer_id)

    def active(self) -> Sequence[Reviewer]:
        return self.session.scalars(
            select(Reviewer)
            .where(orm.reviewers.c.active.is_(True))
            .order_by(orm.reviewers.c.reviewer_id)
        ).all()

    def all(self) -> Sequence[Reviewer]:
        return self.session.scalars(
            select(Reviewer).order_by(orm.reviewers.c.reviewer_id)
        ).all()


class Assignments:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, assignment: Assignment) -> None:
        self.session.add(assignment)

    def get(self, assignment_id: str) -> Assignment | None:
        return self.session.get(Assignment, assignment_id)

    def for_program(self, program_id: str) -> Sequence[Assignment]:
        return self.session.scalars(
            select(Assignment).where(orm.assignments.c.program_id == program_id)
        ).all()

    def for_applications(self, ids: Iterable[str]) -> Sequence[Assignment]:
        ids = list(set(ids))
        if not ids:
            return []
        return self.session.scalars(
            select(Assignment)
            .where(orm.assignments.c.application_id.in_(ids))
            .order_by(orm.assignments.c.assigned_at, orm.assignments.c.id)
        ).all()

    def for_reviewer(self, reviewer_id: str, active_only: bool) -> Sequence[Assignment]:
        query = select(Assignment).where(orm.assignments.c.reviewer_id == reviewer_id)
        if active_only:
            query = query.where(orm.assignments.c.status.in_(ACTIVE))
        return self.session.scalars(
            query.order_by(orm.assignments.c.assigned_at, orm.assignments.c.id)
        ).all()

    def unreviewed(self, program_ids: Iterable[str]) -> list[Assignment]:
        """Assignments still waiting for their review, in these programmes."""
        ids = list(set(program_ids))
        if not ids:
            return []
        return list(
            self.session.scalars(
                select(Assignment)
                .where(
                    orm.assignments.c.program_id.in_(ids),
                    orm.assignments.c.status == AssignmentStatus.ASSIGNED,
                )
                .order_by(orm.assignments.c.assigned_at, orm.assignments.c.id)
            )
        )

    def find(self, application_id: str, reviewer_id: str) -> Assignment | None:
        return self.session.scalars(
            select(Assignment).where(
                orm.assignments.c.application_id == application_id,
                orm.assignments.c.reviewer_id == reviewer_id,
            )
        ).first()


class Awards:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, award: Award) -> None:
        self.session.add(award)

    def add_instalment(self, instalment: Instalment) -> None:
        self.session.add(instalment)

    def get(self, award_id: str) -> Award | None:
        return self.session.get(Award, award_id)

    def for_application(self, application_id: str) -> Award | None:
        return self.session.scalars(
            select(Award).where(orm.awards.c.application_id == application_id)
        ).first()

    def for_applications(self, ids: Iterable[str]) -> dict[str, Award]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.session.scalars(
            select(Award).where(orm.awards.c.application_id.in_(ids))
        )
        return {a.application_id: a for a in rows}

    def awarded_total(self, program_id: str) -> int:
        total = self.session.scalar(
            select(func.coalesce(func.sum(orm.awards.c.amount_cents), 0)).where(
                orm.awards.c.program_id == program_id
            )
        )
        return int(total or 0)

    def last_awarded_at(self, member_id: str) -> datetime | None:
        return self.session.scalar(
            select(func.max(orm.awards.c.awarded_at)).where(
                orm.awards.c.member_id == member_id
            )
        )

    def waiting_on(self, conditions: Iterable[Condition]) -> list[Instalment]:
        """Instalments not released yet that wait for one of these conditions."""
        return list(
            self.session.scalars(
                select(Instalment)
                .where(
                    orm.instalments.c.status == InstalmentStatus.PENDING,
                    orm.instalments.c.condition.in_(list(conditions)),
                )
                .order_by(orm.instalments.c.award_id, orm.instalments.c.seq)
            )
        )

    def get_many(self, ids: Iterable[str]) -> dict[str, Award]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.session.scalars(select(Award).where(orm.awards.c.id.in_(ids)))
        return {a.id: a for a in rows}

    def instalment(self, instalment_id: str, lock: bool = False) -> Instalment | None:
        return self.session.get(Instalment, instalment_id, with_for_update=lock or None)

    def instalments(self, award_id: str) -> list[Instalment]:
        return list(
            self.session.scalars(
                select(Instalment)
                .where(orm.instalments.c.award_id == award_id)
                .order_by(orm.instalments.c.seq)
            )
        )


class Reports:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, report: GranteeReport) -> None:
        self.session.add(report)

    def get(self, report_id: str) -> GranteeReport | None:
        return self.session.get(GranteeReport, report_id)

    def for_awards(self, award_ids: Iterable[str]) -> dict[str, list[GranteeReport]]:
        ids = list(set(award_ids))
        found: dict[str, list[GranteeReport]] = {i: [] for i in ids}
        if ids:
            for report in self.session.scalars(
                select(GranteeReport).where(orm.grantee_reports.c.award_id.in_(ids))
            ):
                found[report.award_id].append(report)
        return found

    def for_award(self, award_id: str) -> list[GranteeReport]:
        return list(
            self.session.scalars(
                select(GranteeReport)
                .where(orm.grantee_reports.c.award_id == award_id)
                .order_by(orm.grantee_reports.c.submitted_at, orm.grantee_reports.c.id)
            )
        )

    def awaiting_review(self, first: int) -> tuple[list[GranteeReport], int]:
        """Reports submitted and not yet reviewed: the oldest `first`, and how
        many in all."""
        r = orm.grantee_reports.c
        waiting = r.status == ReportStatus.SUBMITTED.value
        total = self.session.scalar(select(func.count()).where(waiting))
        oldest = self.session.scalars(
            select(GranteeReport)
            .where(waiting)
            .order_by(r.submitted_at, r.id)
            .limit(first)
        )
        return list(oldest), int(total or 0)


class Facts:
    """The read models of members and partnerships."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def member(self, member_id: str, create: bool = False) -> MemberFacts | None:
        """The member's facts; with `create`, locked for this transaction
        (made first if new)."""
        if not create:
            return self.session.get(MemberFacts, member_id)
        return self._locked(MemberFacts, orm.member_facts, member_id)

    def _locked(self, cls: type[F], table: Table, key: str) -> F:
        """The row of `key`, inserted with its defaults unless there, then
        locked: news of one entity is applied one transaction at a time. A new
        entity's first two events often come together; a plain insert lost
        the race (a unique violation, a retry, an ERROR in the log)."""
        found = self.session.get(cls, key, with_for_update=True)
        if found is not None:
            return found
        # Waits for a concurrent insert of the same key to commit, then skips.
        blank = cls(key)
        insert_unless_taken(
            self.session,
            table,
            {c.name: getattr(blank, c.name) for c in table.columns},
            list(table.primary_key.columns),
        )
        found = self.session.get(cls, key, with_for_update=True)
        assert found is not None
        return found

    def all_members(self) -> list[MemberFacts]:
        return list(
            self.session.scalars(
                select(MemberFacts).order_by(orm.member_facts.c.member_id)
            )
        )

    def members(self, ids: Iterable[str]) -> dict[str, MemberFacts]:
        ids = list(set(ids))
        if not ids:
            return {}
        rows = self.session.scalars(
            select(MemberFacts).where(orm.member_facts.c.member_id.in_(ids))
        )
        return {m.member_id: m for m in rows}

    def partnership(
        self, partnership_id: str, create: bool = False
    ) -> PartnershipFacts | None:
        if not create:
            return self.session.get(PartnershipFacts, partnership_id)
        return self._locked(PartnershipFacts, orm.partnership_facts, partnership_id)

    def partnerships_of(self, member_ids: Iterable[str]) -> list[PartnershipFacts]:
        ids = list(set(member_ids))
        if not ids:
            return []
        return list(
            self.session.scalars(
                select(PartnershipFacts).where(
                    orm.partnership_facts.c.member_id.in_(ids)
                )
            )
        )


class Reminders:
    """Which reminders were sent (keys of domain.reminders)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def sent(self, keys: Iterable[str]) -> set[str]:
        wanted = list(set(keys))
        if not wanted:
            return set()
        return set(
            self.session.scalars(
                select(orm.reminders_sent.c.key).where(
                    orm.reminders_sent.c.key.in_(wanted)
                )
            )
        )

    def record(self, keys: Iterable[str], today: date) -> None:
        rows = [{"key": k, "sent_on": today} for k in keys]
        if rows:
            self.session.execute(insert(orm.reminders_sent), rows)
