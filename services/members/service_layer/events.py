"""Payloads of the events members emits (shapes in contracts/events.py)."""

from __future__ import annotations

from contracts.events import (
    DuesInvoiceIssued,
    DuesReminderDue,
    MemberRegistered,
    MembershipStatusChanged,
    MemberUpdated,
)
from services.members.domain.community import Member
from services.members.domain.invoices import Invoice
from services.members.domain.reminders import Reminder
from services.members.domain.standing import StatusChange


def member_registered(m: Member) -> MemberRegistered:
    payload: MemberRegistered = {
        "member_id": m.member_id,
        "name": m.name,
        "kind": m.kind.value,
        "state": m.state,
        "population": m.population,
        "status": m.status.value,
        "good_standing": m.good_standing,
        "version": m.version,
    }
    if m.dues_band:  # left out while the population is missing: no band yet
        payload["dues_band"] = m.dues_band.value
    return payload


def member_updated(m: Member, changed: list[str]) -> MemberUpdated:
    payload: MemberUpdated = {
        "member_id": m.member_id,
        "name": m.name,
        "kind": m.kind.value,
        "state": m.state,
        "population": m.population,
        "changed": changed,
        "version": m.version,
    }
    if m.dues_band:
        payload["dues_band"] = m.dues_band.value
    return payload


def dues_invoice_issued(i: Invoice) -> DuesInvoiceIssued:
    return {
        "invoice_id": i.invoice_id,
        "member_id": i.member_id,
        "fiscal_year": i.fiscal_year,
        "amount_cents": i.amount_cents,
        "currency": i.currency,
        "due_date": i.due_date.isoformat(),
        "band": i.band.value,
    }


def membership_status_changed(
    m: Member, change: StatusChange
) -> MembershipStatusChanged:
    return {
        "member_id": m.member_id,
        "old_status": change.old_status.value if change.old_status else None,
        "new_status": change.new_status.value,
        "good_standing": change.good_standing,
        "reason": change.reason,
        "changed_at": change.changed_at.isoformat(),
        "population": m.population,
        "state": m.state,
        "version": m.version,
    }


def dues_reminder_due(i: Invoice, reminder: Reminder, m: Member) -> DuesReminderDue:
    return {
        "invoice_id": i.invoice_id,
        "member_id": i.member_id,
        "fiscal_year": i.fiscal_year,
        "amount_cents": i.amount_cents,
        "due_date": i.due_date.isoformat(),
        "reminder": reminder.value,
        "contact_email": m.contact_email,
        "grace_ends_on": i.grace_ends_on.isoformat(),
    }
