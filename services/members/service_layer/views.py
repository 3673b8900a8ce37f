"""What handlers return over RPC: contracts.members' views (snake_case, ISO
dates, enums as their values)."""

from __future__ import annotations

from datetime import date

from contracts.members import (
    DuesScheduleView,
    InvoiceView,
    MemberView,
    StatusChangeView,
)
from services.members.domain.bands import BANDS, DuesSchedule
from services.members.domain.community import Member
from services.members.domain.invoices import Invoice
from services.members.domain.standing import StatusChange
from services.members.service_layer.access import Visibility


def member(m: Member, level: Visibility, current_fiscal_year: int) -> MemberView:
    view: MemberView = {
        "member_id": m.member_id,
        "name": m.name,
        "kind": m.kind,
        "state": m.state,
    }
    if level >= Visibility.STANDING:
        view["population"] = m.population
        view["status"] = m.status
        view["good_standing"] = m.good_standing
    if level >= Visibility.FULL:
        view["contact_email"] = m.contact_email
        view["dues_band"] = m.dues_band
        view["population_missing"] = m.population_missing
        view["dues_band_chosen"] = m.chosen_band is not None
        view["joined_on"] = m.joined_on.isoformat()
        view["current_fiscal_year"] = current_fiscal_year
        view["version"] = m.version
    return view


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
