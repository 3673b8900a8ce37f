"""What handlers return over RPC: contracts.members' views (snake_case, ISO
dates, enums as their values)."""

from __future__ import annotations

from datetime import date
from typing import cast

from contracts.members import (
    DuesScheduleView,
    InvoiceView,
    MemberDirectoryFields,
    MemberFullFields,
    MemberStandingFields,
    MemberView,
    StatusChangeView,
)
from services.members.domain.bands import BANDS, DuesSchedule
from services.members.domain.community import Member
from services.members.domain.invoices import Invoice
from services.members.domain.standing import StatusChange
from services.members.service_layer.access import Visibility

# What each level of visibility adds to a member's view: the contract's groups.
_SEEN_FROM: tuple[tuple[Visibility, type], ...] = (
    (Visibility.PUBLIC, MemberDirectoryFields),
    (Visibility.STANDING, MemberStandingFields),
    (Visibility.FULL, MemberFullFields),
)


def member(m: Member, level: Visibility, current_fiscal_year: int) -> MemberView:
    """The groups of `MemberView` that `level` sees, each key filled from the
    `Member` attribute of that name (days as ISO strings)."""
    view: dict[str, object] = {}
    for seen_from, group in _SEEN_FROM:
        if level >= seen_from:
            for key in group.__annotations__:
                value = (
                    current_fiscal_year
                    if key == "current_fiscal_year"
                    else getattr(m, key)
                )
                view[key] = value.isoformat() if isinstance(value, date) else value
    return cast(MemberView, view)


def invoice(i: Invoice) -> InvoiceView:
    return {
        "invoice_id": i.invoice_id,
        "member_id": i.member_id,
        "fiscal_year": i.fiscal_year,
        "band": i.band,
        "amount_cents": i.amount_cents,
        "full_amount_cents": i.full_amount_cents,
        "currency": i.currency,
        "status": i.status,
        "issued_on": i.issued_on.isoformat(),
        "due_date": i.due_date.isoformat(),
        "grace_ends_on": i.grace_ends_on.isoformat(),
        "prorated": i.prorated,
        "covered_days": i.covered_days,
        "year_days": i.year_days,
    }


def status_change(c: StatusChange) -> StatusChangeView:
    return {
        "old_status": c.old_status,
        "new_status": c.new_status,
        "good_standing": c.good_standing,
        "reason": c.reason,
        "changed_at": c.changed_at.isoformat(),
        "effective_on": c.effective_on.isoformat(),
    }


def schedule(s: DuesSchedule, opened: bool) -> DuesScheduleView:
    return {
        "fiscal_year": s.fiscal_year,
        "currency": s.currency,
        "grace_days": s.grace_days,
        "opened": opened,
        "bands": [
            {
                "band": band,
                "label": band.label,
                "min_population": band.min_population,
                "max_population": band.max_population,
                "amount_cents": s.amount_for(band),
            }
            for band in BANDS
        ],
    }


def iso(day: date) -> str:
    return day.isoformat()
