"""Repositories: members, invoices, schedules and history on SQLAlchemy Core.

Rows map to the domain's frozen dataclasses; bulk paths (opening a year, the
daily job, the import) use executemany and set-based queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, exists, func, insert, or_, select, tuple_, update
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from services.members.adapters.orm import (
    dues_schedules,
    invoice_payments,
    invoices,
    members,
    reminders_sent,
    status_changes,
)
from services.members.domain.bands import Band, DuesSchedule
from services.members.domain.community import Member, MemberKind
from services.members.domain.directory import MemberFilter
from services.members.domain.invoices import Invoice, InvoiceStatus, PaymentRecord
from services.members.domain.reminders import Reminder
from services.members.domain.standing import MembershipStatus, StatusChange

UNPAID = (InvoiceStatus.OPEN.value, InvoiceStatus.REFUNDED.value)


def now() -> datetime:
    return datetime.now(UTC)


# --- members -------------------------------------------------------------------


def _member(row: Row[Any]) -> Member:
    return Member(
        member_id=row.member_id,
        name=row.name,
        kind=MemberKind(row.kind),
        state=row.state,
        population=row.population,
        contact_email=row.contact_email,
        status=MembershipStatus(row.status),
        joined_on=row.joined_on,
        chosen_band=Band(row.chosen_band) if row.chosen_band else None,
        version=row.version,
    )


def _member_values(member: Member) -> dict[str, Any]:
    return {
        "name": member.name,
        "name_key": member.name_key,
        "kind": member.kind.value,
        "state": member.state,
        "population": member.population,
        "chosen_band": member.chosen_band.value if member.chosen_band else None,
        "contact_email": member.contact_email,
        "status": member.status.value,
        "good_standing": member.good_standing,
        "version": member.version,
        "updated_at": now(),
    }


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class MemberRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, new: Sequence[Member]) -> None:
        if not new:
            return
        stamp = now()
        self.session.execute(
            insert(members),
            [
                {
                    **_member_values(m),
                    "member_id": m.member_id,
                    "joined_on": m.joined_on,
                    "created_at": stamp,
                }
                for m in new
            ],
        )

    def add(self, member: Member) -> None:
        self.add_many([member])

    def get(self, member_id: str, for_update: bool = False) -> Member | None:
        query = select(members).where(members.c.member_id == member_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _member(row) if row else None

    def get_many(self, member_ids: Iterable[str]) -> dict[str, Member]:
        ids = list(set(member_ids))
        if not ids:
            return {}
        rows = self.session.execute(select(members).where(members.c.member_id.in_(ids)))
        return {row.member_id: _member(row) for row in rows}

    def lock_many(self, member_ids: Iterable[str]) -> dict[str, Member]:
        ids = sorted(set(member_ids))  # one order for every locker: no deadlocks
        if not ids:
            return {}
        rows = self.session.execute(
            select(members)
            .where(members.c.member_id.in_(ids))
            .order_by(members.c.member_id)
            .with_for_update()
        )
        return {row.member_id: _member(row) for row in rows}

    def duplicate_of(
        self, name_key: str, kind: str, state: str, other_than: str | None = None
    ) -> str | None:
        query = select(members.c.member_id).where(
            members.c.name_key == name_key,
            members.c.kind == kind,
            members.c.state == state,
        )
        if other_than:
            query = query.where(members.c.member_id != other_than)
        return self.session.execute(query).scalar()

    def existing_identities(
        self, identities: Iterable[tuple[str, str, str]]
    ) -> set[tuple[str, str, str]]:
        wanted = list(set(identities))
        found: set[tuple[str, str, str]] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.session.execute(
                select(members.c.name_key, members.c.kind, members.c.state).where(
                    tuple_(members.c.name_key, members.c.kind, members.c.state).in_(
                        chunk
                    )
                )
            )
            found.update((r.name_key, r.kind, r.state) for r in rows)
        return found

    def by_name_and_state(
        self, keys: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], list[Member]]:
        wanted = list(set(keys))
        found: dict[tuple[str, str], list[Member]] = defaultdict(list)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = self.session.execute(
                select(members)
                .where(tuple_(members.c.name_key, members.c.state).in_(chunk))
                .order_by(members.c.kind, members.c.member_id)
            )
            for row in rows:
                found[(row.name_key, row.state)].append(_member(row))
        return found

    def save(self, member: Member) -> None:
        self.session.execute(
            update(members)
            .where(members.c.member_id == member.member_id)
            .values(**_member_values(member))
        )

    def save_status_moves(self, moved: Sequence[Member]) -> None:
        """Members whose status moved, each by one version (rows locked by the
        caller): one UPDATE per new status and 1000 members, not one each."""
        groups: dict[tuple[str, bool], list[str]] = defaultdict(list)
        for member in moved:
            groups[(member.status.value, member.good_standing)].append(member.member_id)
        stamp = now()
        for (status, good), ids in groups.items():
            for start in range(0, len(ids), 1000):
                self.session.execute(
                    update(members)
                    .where(members.c.member_id.in_(ids[start : start + 1000]))
                    .values(
                        status=status,
                        good_standing=good,
                        version=members.c.version + 1,
                        updated_at=stamp,
                    )
                )

    def _filtered(self, query: Any, flt: MemberFilter) -> Any:
        if flt.state:
            query = query.where(members.c.state == flt.state)
        if flt.kind:
            query = query.where(members.c.kind == flt.kind)
        if flt.status:
            query = query.where(members.c.status == flt.status)
        if flt.search:
            query = query.where(
                members.c.name_key.like(f"%{_escape_like(flt.search)}%", escape="\\")
            )
        return query

    def page(
        self, flt: MemberFilter, first: int, after: tuple[str, str] | None
    ) -> list[Member]:
        """Keyset page in name order; `after` is the (name_key, member_id) cursor."""
        query = self._filtered(select(members), flt)
        if after is not None:
            key, member_id = after
            query = query.where(
                or_(
                    members.c.name_key > key,
                    and_(members.c.name_key == key, members.c.member_id > member_id),
                )
            )
        query = query.order_by(members.c.name_key, members.c.member_id).limit(first)
        return [_member(row) for row in self.session.execute(query)]

    def count(self, flt: MemberFilter) -> int:
        query = self._filtered(select(func.count()).select_from(members), flt)
        return int(self.session.execute(query).scalar_one())

    def billable_without_invoice(
        self, fiscal_year: int, joined_since: date | None = None
    ) -> list[Member]:
        """Members not cancelled and not yet invoiced for `fiscal_year`."""
        invoiced = exists().where(
            invoices.c.member_id == members.c.member_id,
            invoices.c.fiscal_year == fiscal_year,
        )
        query = select(members).where(
            members.c.status != MembershipStatus.CANCELLED.value, ~invoiced
        )
        if joined_since is not None:
            query = query.where(members.c.joined_on >= joined_since)
        return [_member(row) for row in self.session.execute(query)]

    def not_cancelled(self) -> list[Member]:
        query = select(members).where(
            members.c.status != MembershipStatus.CANCELLED.value
        )
        return [_member(row) for row in self.session.execute(query)]

    def is_empty(self) -> bool:
        return (
            self.session.execute(select(members.c.member_id).limit(1)).first() is None
        )


# --- invoices ------------------------------------------------------------------


def _invoice(row: Row[Any]) -> Invoice:
    return Invoice(
        invoice_id=row.invoice_id,
        member_id=row.member_id,
        fiscal_year=row.fiscal_year,
        band=Band(row.band),
        amount_cents=row.amount_cents,
        full_amount_cents=row.full_amount_cents,
        currency=row.currency,
        status=InvoiceStatus(row.status),
        issued_on=row.issued_on,
        due_date=row.due_date,
        grace_days=row.grace_days,
        covered_days=row.covered_days,
        year_days=row.year_days,
    )


class InvoiceRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, new: Sequence[Invoice]) -> None:
        if not new:
            return
        stamp = now()
        self.session.execute(
            insert(invoices),
            [
                {
                    "invoice_id": i.invoice_id,
                    "member_id": i.member_id,
                    "fiscal_year": i.fiscal_year,
                    "band": i.band.value,
                    "amount_cents": i.amount_cents,
                    "full_amount_cents": i.full_amount_cents,
                    "currency": i.currency,
                    "status": i.status.value,
                    "issued_on": i.issued_on,
                    "due_date": i.due_date,
                    "grace_days": i.grace_days,
                    "covered_days": i.covered_days,
                    "year_days": i.year_days,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
                for i in new
            ],
        )

    def get(self, invoice_id: str, for_update: bool = False) -> Invoice | None:
        query = select(invoices).where(invoices.c.invoice_id == invoice_id)
        if for_update:
            query = query.with_for_update()
        row = self.session.execute(query).first()
        return _invoice(row) if row else None

    def for_members(self, member_ids: Iterable[str]) -> dict[str, list[Invoice]]:
        """Each member's invoices, newest fiscal year first."""
        ids = list(set(member_ids))
        found: dict[str, list[Invoice]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.session.execute(
            select(invoices)
            .where(invoices.c.member_id.in_(ids))
            .order_by(invoices.c.fiscal_year.desc())
        )
        for row in rows:
            found[row.member_id].append(_invoice(row))
        return found

    def for_member(self, member_id: str) -> list[Invoice]:
        return self.for_members([member_id])[member_id]

    def any_for_year(self, fiscal_year: int) -> bool:
        query = select(invoices.c.invoice_id).where(
            invoices.c.fiscal_year == fiscal_year
        )
        return self.session.execute(query.limit(1)).first() is not None

    def set_status(self, invoice_id: str, status: InvoiceStatus) -> None:
        self.session.execute(
            update(invoices)
            .where(invoices.c.invoice_id == invoice_id)
            .values(status=status.value, updated_at=now())
        )

    def set_status_many(
        self, invoice_ids: Sequence[str], status: InvoiceStatus
    ) -> None:
        for start in range(0, len(invoice_ids), 1000):
            self.session.execute(
                update(invoices)
                .where(invoices.c.invoice_id.in_(invoice_ids[start : start + 1000]))
                .values(status=status.value, updated_at=now())
            )

    def void_open(self, member_id: str) -> int:
        result = self.session.execute(
            update(invoices)
            .where(
                invoices.c.member_id == member_id,
                invoices.c.status == InvoiceStatus.OPEN.value,
            )
            .values(status=InvoiceStatus.VOID.value, updated_at=now())
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def standing_facts(self, today: date) -> dict[str, list[Invoice]]:
        """For the daily job, per member: its overdue unpaid invoices and its
        latest paid one, which is all a status derivation on `today` needs."""
        found: dict[str, list[Invoice]] = defaultdict(list)
        overdue = self.session.execute(
            select(invoices).where(
                invoices.c.status.in_(UNPAID), invoices.c.due_date < today
            )
        )
        for row in overdue:
            found[row.member_id].append(_invoice(row))
        latest_paid = (
            select(
                invoices.c.member_id,
                func.max(invoices.c.fiscal_year).label("fiscal_year"),
            )
            .where(invoices.c.status == InvoiceStatus.PAID.value)
            .group_by(invoices.c.member_id)
            .subquery()
        )
        paid = self.session.execute(
            select(invoices).join(
                latest_paid,
                and_(
                    invoices.c.member_id == latest_paid.c.member_id,
                    invoices.c.fiscal_year == latest_paid.c.fiscal_year,
                ),
            )
        )
        for row in paid:
            found[row.member_id].append(_invoice(row))
        return found

    def needing_reminders(self, today: date, lookahead_days: int) -> list[Invoice]:
        """Unpaid invoices of members not cancelled, due soon or overdue."""
        horizon = date.fromordinal(today.toordinal() + lookahead_days)
        query = (
            select(invoices)
            .join(members, members.c.member_id == invoices.c.member_id)
            .where(
                invoices.c.status.in_(UNPAID),
                invoices.c.due_date <= horizon,
                members.c.status != MembershipStatus.CANCELLED.value,
            )
        )
        return [_invoice(row) for row in self.session.execute(query)]

    # payments

    def payments(self, invoice_id: str) -> list[PaymentRecord]:
        rows = self.session.execute(
            select(invoice_payments).where(invoice_payments.c.invoice_id == invoice_id)
        )
        return [
            PaymentRecord(
                invoice_id=r.invoice_id,
                payment_id=r.payment_id,
                succeeded=r.succeeded,
                fully_refunded=r.fully_refunded,
                amount_cents=r.amount_cents,
                amount_refunded_cents=r.amount_refunded_cents,
            )
            for r in rows
        ]

    def put_payment(self, record: PaymentRecord, is_new: bool) -> None:
        values = {
            "succeeded": record.succeeded,
            "fully_refunded": record.fully_refunded,
            "amount_cents": record.amount_cents,
            "amount_refunded_cents": record.amount_refunded_cents,
            "updated_at": now(),
        }
        if is_new:
            self.session.execute(
                insert(invoice_payments).values(
                    invoice_id=record.invoice_id, payment_id=record.payment_id, **values
                )
            )
            return
        self.session.execute(
            update(invoice_payments)
            .where(
                invoice_payments.c.invoice_id == record.invoice_id,
                invoice_payments.c.payment_id == record.payment_id,
            )
            .values(**values)
        )

    def put_payments(self, records: Sequence[PaymentRecord]) -> None:
        if records:
            stamp = now()
            self.session.execute(
                insert(invoice_payments),
                [
                    {
                        "invoice_id": r.invoice_id,
                        "payment_id": r.payment_id,
                        "succeeded": r.succeeded,
                        "fully_refunded": r.fully_refunded,
                        "amount_cents": r.amount_cents,
                        "amount_refunded_cents": r.amount_refunded_cents,
                        "updated_at": stamp,
                    }
                    for r in records
                ],
            )

    # reminders

    def reminders_sent(self, invoice_ids: Iterable[str]) -> dict[str, set[Reminder]]:
        ids = list(set(invoice_ids))
        found: dict[str, set[Reminder]] = defaultdict(set)
        for start in range(0, len(ids), 1000):
            rows = self.session.execute(
                select(reminders_sent).where(
                    reminders_sent.c.invoice_id.in_(ids[start : start + 1000])
                )
            )
            for row in rows:
                found[row.invoice_id].add(Reminder(row.reminder))
        return found

    def record_reminders(
        self, sent: Sequence[tuple[str, Reminder]], today: date
    ) -> None:
        if sent:
            self.session.execute(
                insert(reminders_sent),
                [
                    {"invoice_id": i, "reminder": r.value, "sent_on": today}
                    for i, r in sent
                ],
            )


# --- schedules -----------------------------------------------------------------


@dataclass(frozen=True)
class StoredSchedule:
    schedule: DuesSchedule
    opened: bool


class ScheduleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, fiscal_year: int) -> StoredSchedule | None:
        row = self.session.execute(
            select(dues_schedules).where(dues_schedules.c.fiscal_year == fiscal_year)
        ).first()
        return self._stored(row) if row else None

    @staticmethod
    def _stored(row: Row[Any]) -> StoredSchedule:
        schedule = DuesSchedule(
            fiscal_year=row.fiscal_year,
            amounts={Band(k): int(v) for k, v in row.amounts.items()},
            grace_days=row.grace_days,
            currency=row.currency,
        )
        return StoredSchedule(schedule, row.opened_at is not None)

    def put(self, schedule: DuesSchedule) -> None:
        values = {
            "amounts": {band.value: cents for band, cents in schedule.amounts.items()},
            "currency": schedule.currency,
            "grace_days": schedule.grace_days,
            "set_at": now(),
        }
        done = self.session.execute(
            update(dues_schedules)
            .where(dues_schedules.c.fiscal_year == schedule.fiscal_year)
            .values(**values)
        )
        if not done.rowcount:  # type: ignore[attr-defined]
            self.session.execute(
                insert(dues_schedules).values(
                    fiscal_year=schedule.fiscal_year, **values
                )
            )

    def mark_opened(self, fiscal_year: int) -> None:
        self.session.execute(
            update(dues_schedules)
            .where(
                dues_schedules.c.fiscal_year == fiscal_year,
                dues_schedules.c.opened_at.is_(None),
            )
            .values(opened_at=now())
        )

    def opened_after(self, fiscal_year: int) -> list[DuesSchedule]:
        rows = self.session.execute(
            select(dues_schedules)
            .where(
                dues_schedules.c.fiscal_year > fiscal_year,
                dues_schedules.c.opened_at.is_not(None),
            )
            .order_by(dues_schedules.c.fiscal_year)
        )
        return [self._stored(row).schedule for row in rows]


# --- status history ------------------------------------------------------------


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_many(self, changes: Sequence[StatusChange]) -> None:
        if changes:
            self.session.execute(
                insert(status_changes),
                [
                    {
                        "member_id": c.member_id,
                        "old_status": c.old_status.value if c.old_status else None,
                        "new_status": c.new_status.value,
                        "good_standing": c.good_standing,
                        "reason": c.reason[:500],
                        "changed_at": c.changed_at,
                        "effective_on": c.effective_on,
                    }
                    for c in changes
                ],
            )

    def for_members(self, member_ids: Iterable[str]) -> dict[str, list[StatusChange]]:
        """Each member's transitions, oldest first."""
        ids = list(set(member_ids))
        found: dict[str, list[StatusChange]] = {i: [] for i in ids}
        if not ids:
            return found
        rows = self.session.execute(
            select(status_changes)
            .where(status_changes.c.member_id.in_(ids))
            .order_by(status_changes.c.id)
        )
        for r in rows:
            found[r.member_id].append(
                StatusChange(
                    member_id=r.member_id,
                    old_status=MembershipStatus(r.old_status) if r.old_status else None,
                    new_status=MembershipStatus(r.new_status),
                    reason=r.reason,
                    effective_on=r.effective_on,
                    changed_at=r.changed_at,
                )
            )
        return found
