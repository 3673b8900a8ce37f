"""Importing communities (the demo seed) through the same validation as the API."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from common.errors import BadInput, Conflict
from common.identity import Identity
from services.members.domain.community import Member, new_member
from services.members.domain.fiscal import MembershipPolicy
from services.members.domain.invoices import IMPORTED, InvoiceStatus, PaymentRecord
from services.members.domain.standing import MembershipStatus
from services.members.service_layer import events
from services.members.service_layer.dues import issue_invoices
from services.members.service_layer.standing import record_first_status

if TYPE_CHECKING:
    from services.members.service_layer.unit_of_work import UowFactory

IMPORTED_REASON = "imported"
POPULATION_MISSING_REASON = (
    "imported; population missing: dues not issued until staff sets it"
)


@dataclass(frozen=True)
class Skipped:
    row: int
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    already_present: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    # Rows imported with their population missing: no dues until it is set.
    population_missing: list[int] = field(default_factory=list)

    def add(self, other: ImportReport) -> None:
        self.imported += other.imported
        self.already_present += other.already_present
        self.skipped += other.skipped
        self.population_missing += other.population_missing


def import_members(
    uow_factory: UowFactory,
    caller: Identity,
    policy: MembershipPolicy,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
) -> ImportReport:
    """Register a batch of (row number, fields) as members in good standing.

    Each row is validated like `register_member`; rows that fail are reported
    with the reason and the rest are taken. A member already registered (same
    name, kind and state) is left alone, so a second import adds nothing. The
    current year must have a schedule: each imported member gets its invoice
    for that year, recorded as paid, and ACTIVE with the reason "imported"
    (a real deployment would import the standing its own records show).

    Unlike a registration, a row may lack the population (and, for a county
    or state, a band): such a community is still a member, imported ACTIVE
    with its population missing and no invoice. Its dues wait until staff
    sets the population; it is then billed as a joiner (`update_member`).
    """
    caller.require_staff()
    report = ImportReport()
    with uow_factory() as uow:
        today = uow.clock.today()
        year = policy.calendar.year_of(today)
        stored = uow.schedules.get(year)
        if stored is None:
            raise Conflict(
                f"set the dues schedule for {year} before importing", "fiscal_year"
            )
        candidates: list[tuple[int, Member]] = []
        for number, data in rows:
            try:
                member = new_member(
                    str(uuid.uuid4()), data, today, population_may_be_missing=True
                )
            except BadInput as exc:
                report.skipped.append(Skipped(number, str(exc)))
                continue
            candidates.append((number, member))
        present = uow.members.existing_identities(_identity(m) for _, m in candidates)
        fresh: list[Member] = []
        for number, member in candidates:
            if _identity(member) in present:
                report.already_present += 1
                continue
            present.add(_identity(member))  # a repeat inside the file counts once
            fresh.append(replace(member, status=MembershipStatus.ACTIVE, imported=True))
            if member.population_missing:
                report.population_missing.append(number)
        uow.members.add_many(fresh)
        uow.emit_all("member_registered", [events.member_registered(m) for m in fresh])
        invoices = issue_invoices(uow, fresh, stored.schedule, policy, today)
        uow.invoices.put_payments(
            [
                PaymentRecord(
                    i.invoice_id, IMPORTED, succeeded=True, amount_cents=i.amount_cents
                )
                for i in invoices
            ]
        )
        uow.invoices.set_status_many(
            [i.invoice_id for i in invoices], InvoiceStatus.PAID
        )
        record_first_status(
            uow, [m for m in fresh if not m.population_missing], IMPORTED_REASON, today
        )
        record_first_status(
            uow,
            [m for m in fresh if m.population_missing],
            POPULATION_MISSING_REASON,
            today,
        )
        uow.commit()
    report.imported = len(fresh)
    return report


def _identity(member: Member) -> tuple[str, str, str]:
    return member.name_key, member.kind.value, member.state
