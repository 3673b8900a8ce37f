"""Dues invoices: issuing one for a fiscal year, and settling it by payments."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from contracts.members import InvoiceStatus
from services.members.domain.bands import Band, DuesSchedule
from services.members.domain.fiscal import FiscalCalendar

# The payment id recorded for invoices the seed imports as already paid.
IMPORTED = "imported"


@dataclass(frozen=True)
class Invoice:
    invoice_id: str
    member_id: str
    fiscal_year: int
    band: Band
    amount_cents: int
    full_amount_cents: int
    currency: str
    status: InvoiceStatus
    issued_on: date
    due_date: date
    grace_days: int
    # Set when the amount was prorated: days covered out of days in the year.
    covered_days: int | None = None
    year_days: int | None = None

    @property
    def grace_ends_on(self) -> date:
        return self.due_date + timedelta(days=self.grace_days)

    @property
    def prorated(self) -> bool:
        return self.covered_days is not None

    @property
    def is_unpaid(self) -> bool:
        return self.status in (InvoiceStatus.OPEN, InvoiceStatus.REFUNDED)


def issue_invoice(
    invoice_id: str,
    member_id: str,
    band: Band,
    schedule: DuesSchedule,
    calendar: FiscalCalendar,
    issued_on: date,
    prorate_from: date | None = None,
) -> Invoice:
    """The invoice of `schedule`'s year for a member in `band`.

    Due on the first day of the fiscal year, or on the day it is issued when
    that is later (a joiner, or a year opened late): nobody is overdue on an
    invoice before it exists. With `prorate_from` (a joiner's first day, when
    the organization prorates) after the year started, the amount covers only
    the days from then to the year's end, rounded to the nearest cent.
    """
    year = schedule.fiscal_year
    start, end = calendar.start_of(year), calendar.end_of(year)
    full = schedule.amount_for(band)
    amount, covered, total = full, None, None
    if prorate_from is not None and start < prorate_from <= end:
        covered = (end - prorate_from).days + 1
        total = calendar.days_in(year)
        amount = (2 * full * covered + total) // (2 * total)  # round half up
    return Invoice(
        invoice_id=invoice_id,
        member_id=member_id,
        fiscal_year=year,
        band=band,
        amount_cents=amount,
        full_amount_cents=full,
        currency=schedule.currency,
        status=InvoiceStatus.OPEN,
        issued_on=issued_on,
        due_date=max(start, issued_on),
        grace_days=schedule.grace_days,
        covered_days=covered,
        year_days=total,
    )


@dataclass(frozen=True)
class PaymentRecord:
    """What the payments service told us about one payment of an invoice.

    Events may arrive in any order: a refund can be known before the payment
    it refunds, so each fact is kept and the invoice status derived from all.
    """

    invoice_id: str
    payment_id: str
    succeeded: bool = False
    fully_refunded: bool = False
    amount_cents: int | None = None
    amount_refunded_cents: int = 0

    def merge(self, other: PaymentRecord) -> PaymentRecord:
        return replace(
            self,
            succeeded=self.succeeded or other.succeeded,
            fully_refunded=self.fully_refunded or other.fully_refunded,
            amount_cents=other.amount_cents
            if other.amount_cents is not None
            else self.amount_cents,
            amount_refunded_cents=max(
                self.amount_refunded_cents, other.amount_refunded_cents
            ),
        )


def settled_status(
    current: InvoiceStatus, payments: Iterable[PaymentRecord]
) -> InvoiceStatus:
    """PAID while one payment stands; REFUNDED when every payment was fully
    refunded; otherwise as it was (OPEN or VOID). A partial refund leaves it PAID."""
    succeeded = [p for p in payments if p.succeeded]
    if any(not p.fully_refunded for p in succeeded):
        return InvoiceStatus.PAID
    if succeeded:
        return InvoiceStatus.REFUNDED
    if current in (InvoiceStatus.PAID, InvoiceStatus.REFUNDED):
        return InvoiceStatus.OPEN
    return current
