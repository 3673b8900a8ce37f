"""Membership status, derived from a member's invoices and the date."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from contracts.members import MembershipStatus
from services.members.domain.invoices import Invoice, InvoiceStatus

GOOD_STANDING = frozenset({MembershipStatus.ACTIVE, MembershipStatus.GRACE})


def is_good_standing(status: MembershipStatus) -> bool:
    return status in GOOD_STANDING


@dataclass(frozen=True)
class Standing:
    status: MembershipStatus
    reason: str


def derive_standing(
    invoices: Iterable[Invoice], today: date, imported: bool = False
) -> Standing:
    """The status a (not cancelled) member has on `today`.

    Void invoices never count. The oldest unpaid invoice decides: past its
    grace period -> LAPSED; past its due date -> GRACE, or PENDING for a
    member that never paid any dues (a new member is not in good standing
    until its first invoice is paid). Otherwise ACTIVE once any invoice was
    paid (an invoice for a year that has not started yet included: paying
    ahead is being current). An invoice issued ahead is never overdue: its
    due date is the first day of its year.

    A member `imported` from earlier records came in good standing: it is no
    joiner, so with nothing paid here yet (its dues waited for its
    population) it is ACTIVE until an invoice is overdue, then GRACE.
    """
    relevant = [i for i in invoices if i.status != InvoiceStatus.VOID]
    paid = [i.fiscal_year for i in relevant if i.status == InvoiceStatus.PAID]
    unpaid = sorted((i for i in relevant if i.is_unpaid), key=lambda i: i.fiscal_year)
    for invoice in unpaid:
        if today > invoice.grace_ends_on:
            return Standing(
                MembershipStatus.LAPSED,
                f"dues for {invoice.fiscal_year} unpaid after the grace period "
                f"(ended {invoice.grace_ends_on.isoformat()})",
            )
    overdue = [i for i in unpaid if today > i.due_date]
    if not paid and imported and not overdue:
        return Standing(
            MembershipStatus.ACTIVE,
            "in good standing when imported; "
            + (
                f"dues for {unpaid[0].fiscal_year} due {unpaid[0].due_date}"
                if unpaid
                else "no dues invoice issued yet"
            ),
        )
    if not paid and not imported:
        reason = (
            f"first invoice ({unpaid[0].fiscal_year}) not paid yet"
            if unpaid
            else "no dues invoice issued yet"
        )
        return Standing(MembershipStatus.PENDING, reason)
    if overdue:
        first = overdue[0]
        return Standing(
            MembershipStatus.GRACE,
            f"dues for {first.fiscal_year} overdue since {first.due_date.isoformat()}; "
            f"grace period until {first.grace_ends_on.isoformat()}",
        )
    return Standing(MembershipStatus.ACTIVE, f"dues paid for {max(paid)}")


@dataclass(frozen=True)
class StatusChange:
    """One transition in a member's history."""

    member_id: str
    old_status: MembershipStatus | None
    new_status: MembershipStatus
    reason: str
    effective_on: date  # the business date (the clock's today)
    changed_at: datetime  # when it was recorded

    @property
    def good_standing(self) -> bool:
        return is_good_standing(self.new_status)
